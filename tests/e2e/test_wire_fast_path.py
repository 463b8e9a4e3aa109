"""timing/wire.py reaches into Daphne, autobahn and Twisted: under the pinned versions a fan-out
must take its fast path, and a socket whose internals do not fit must still get its frame."""
import json
from urllib.parse import urlparse

import pytest
from websockets.sync.client import connect

from timing import services, wire
from timing.hub import Frame

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_fanout_under_the_pinned_daphne_takes_the_fast_path(live_url, startlist_race):
    url = urlparse(live_url)
    with connect(f"ws://{url.hostname}:{url.port}/ws/races/{startlist_race.id}/") as ws:
        snap = json.loads(ws.recv(timeout=5))
        before = dict(wire.PATHS)
        services.start_pair(startlist_race.id, 1, services.IMPORT)
        assert json.loads(ws.recv(timeout=5))["version"] == snap["version"] + 1
    assert wire.PATHS["fast"] == before["fast"] + 1 and wire.PATHS["asgi"] == before["asgi"]


class Renamed:
    """A protocol whose internals an upgrade renamed: only the public state is there."""

    STATE_OPEN = 1
    state = 1


def test_a_socket_whose_internals_changed_falls_back_and_counts_it():
    before = dict(wire.PATHS)
    assert wire.send_frame(Renamed(), Frame('{"type":"x"}')) is False
    assert wire.PATHS["asgi"] == before["asgi"] + 1


def test_a_spectator_socket_sends_at_once_and_holds_a_bounded_kernel_buffer(live_url, startlist_race):
    """TCP_NODELAY: an update is a small write, and Nagle's algorithm would hold it until the
    previous one is acknowledged (with a delayed ACK, tens of ms on a real network)."""
    import socket

    from timing import topics
    from timing.hub import HUBS

    url = urlparse(live_url)
    with connect(f"ws://{url.hostname}:{url.port}/ws/races/{startlist_race.id}/") as ws:
        ws.recv(timeout=5)
        topic = topics.group(topics.RACE, startlist_race.id)
        [consumer] = [c for hub in HUBS.values() for c in hub.sockets.get(topic, ())]
        handle = consumer.wire.transport.getHandle()
        assert handle.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        # Linux doubles the value asked for, for its own bookkeeping
        assert handle.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) <= 2 * wire.KERNEL_SNDBUF
