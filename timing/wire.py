"""The last metre of a fan-out under Daphne: one prepared frame, written straight to each socket.

Daphne's `websocket.send` encodes and frames the message again for every socket, and Twisted's
transport then registers each socket for writability and writes it on the next turn of the loop
(two epoll_ctl calls and a reactor callback per socket). Profiling a 1,000-spectator fan-out put
most of the server's time there (bench/results.md). Here the frame is built once per message
(hub.Frame.wire) and sent with one send() per socket when nothing is queued before it; whatever
the kernel does not take at once goes through the transport as usual, so ordering and
back-pressure stay Twisted's. Anything unexpected (another ASGI server, TLS, compression) takes
the ordinary `websocket.send` path: the bytes on the wire are the same either way.
"""
import socket
from functools import partial

#: What the server keeps queued for one socket beyond what the kernel has taken. A spectator this
#: far behind (a phone in a tunnel, a client that stopped reading) is dropped rather than buffered
#: without end: its page reconnects and starts again from a fresh snapshot, and the memory of the
#: process stays bounded by sockets x this. An update is a few KiB, a snapshot about 30 KiB.
MAX_QUEUED = 256 * 1024


#: The kernel's send buffer for a spectator socket. Left to autotuning it grows to about 4 MiB
#: per socket here, which a stalled client fills before the bound above is ever reached; a few
#: updates' worth is all a live page needs.
KERNEL_SNDBUF = 128 * 1024


def bound_kernel_buffer(wire):
    """The send buffer above, and TCP_NODELAY: every update is one small write, which Nagle's
    algorithm would hold back until the previous one is acknowledged (with a client's delayed
    ACK, tens of milliseconds on a real network). asyncio, and so the floor, sets it by default;
    Twisted does not."""
    try:
        handle = wire.transport.getHandle()
        handle.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, KERNEL_SNDBUF)
        handle.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (AttributeError, OSError):
        pass  # not a plain TCP socket (a test transport, TLS): Twisted's bound still applies


def queued(transport):
    """Bytes Twisted holds for this socket and has not yet handed to the kernel."""
    return len(transport.dataBuffer) - transport.offset + transport._tempDataLen


def daphne_wire(send):
    """The autobahn protocol behind Daphne's ASGI `send` (a partial of Server.handle_reply bound
    to it), or None under any other server."""
    if isinstance(send, partial) and send.args and hasattr(send.args[0], "sendPreparedMessage"):
        return send.args[0]
    return None


#: How often each path was taken in this process: a test holds that the fast path is the one used
#: under the pinned Daphne, autobahn and Twisted, so an upgrade that renames an internal shows up
#: as a failing test, not as a silent slowdown.
PATHS = {"fast": 0, "asgi": 0}


def send_frame(wire, frame):
    """Send a hub.Frame on an open Daphne socket; False if this socket needs the ASGI path.

    Every private attribute is read before a byte is written, so an AttributeError (an upgrade
    renamed one) sends this socket's frame the ordinary way and never skips another socket."""
    try:
        sent = _send_prepared(wire, frame)
    except AttributeError:
        sent = False
    PATHS["fast" if sent else "asgi"] += 1
    return sent


def _send_prepared(wire, frame):
    if getattr(wire, "_perMessageCompress", None) is not None:
        return False
    if wire.state != wire.STATE_OPEN:
        return True  # closing or closed: dropped, as Daphne's own send would
    if frame.wire is None:
        frame.wire = wire.factory.prepareMessage(frame.text.encode())
    data = frame.wire.payloadHybi
    t = wire.transport
    if queued(t) + len(data) > MAX_QUEUED:
        t.abortConnection()  # the consumer's disconnect() takes it out of the hub
        return True
    idle = (
        getattr(t, "TLS", True) is False and not wire.send_queue and t.connected and not t.disconnecting
        and not getattr(t, "_writeDisconnected", True) and not t._tempDataBuffer and t.offset >= len(t.dataBuffer)
    )
    if idle:
        sent = t.writeSomeData(data)
        if isinstance(sent, int) and sent > 0:
            data = data[sent:]
    if data:
        wire.sendData(data)  # the transport queues it and writes when the socket is writable
    return True
