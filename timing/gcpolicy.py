"""The cyclic garbage collector's policy in a serving process (`manage.py serve`).

Measured in a reconnect storm of 5,000 sockets (bench/results.md): CPython's full collections
were a fifth of the server's CPU. Every 10 young collections one walks every object the process
holds, and a storm adds hundreds of thousands of long-lived ones (each socket's protocol,
transport, consumer and buffers), so six full passes over a growing heap ran during one storm.

Two changes, and one duty they bring:
- What start-up built (Django, the URLconf, Twisted, the models) lives as long as the process:
  `gc.freeze()` puts it out of every later pass.
- A full pass runs at most once every FULL_AFTER young passes (Python's default: 10), so a storm
  does not pay for one pass after another over its own new sockets.
- The duty: a closed socket leaves reference cycles (Twisted's, autobahn's, the consumer's) that
  only a full pass frees, because the socket lived long enough to reach the oldest generation.
  Without a full pass, 2,000 connects and disconnects kept 36 MB (tests/test_websocket_abuse.py).
  So closes start full passes: one after CLOSES_PER_PASS closes, or after a quarter of the
  sockets still open if that is more (a pass walks every open socket, so a mass disconnect of
  5,000 pays a few passes, not one per 500). Garbage is freed at the pace it is made, and a
  storm of connects alone triggers none.
"""
import gc

FULL_AFTER = 100
CLOSES_PER_PASS = 500

_open = 0
_closed = 0


def configure():
    """Once, when the server has loaded everything and before it takes its first connection."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_AFTER)


def socket_opened():
    global _open
    _open += 1


def socket_closed():
    """Called once for every socket socket_opened counted, when it has closed."""
    global _open, _closed
    _open -= 1
    _closed += 1
    if _closed >= max(CLOSES_PER_PASS, _open // 4):
        _closed = 0
        gc.collect()
