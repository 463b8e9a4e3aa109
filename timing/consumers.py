"""The spectators' and screens' sockets: a snapshot on connect, then the hub's updates. Read-only.

A socket follows one topic (timing.topics): a race, or a competition's schedule. Both behave
the same way, so a screen's live connection (static/oval/live.js) is one piece of code too.
"""
from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from . import gcpolicy, topics
from .hub import hub
from .messages import snapshot_frame
from .wire import bound_kernel_buffer, daphne_wire, send_frame

# Application close codes must lie in 4000-4999 (autobahn refuses 1003 from an application).
READ_ONLY = 4003  # the client sent text: this socket only listens
UNSUPPORTED = 4415  # the client sent a binary frame
NOT_FOUND = 4404


class ReadOnlySocket(AsyncWebsocketConsumer):
    """What every socket here shares: no channel layer of its own (the process's hub is the only
    group member: timing.hub.Hub), and no database work outside the hub.

    Channels closes the thread's stale database connections around every message a consumer
    handles (connect, disconnect), each time by a hop into the sync thread and back. These
    sockets never touch the database themselves; the hub reads through database_sync_to_async,
    which closes them around its own work. In a reconnect storm those hops queued behind each
    other in the one sync thread until handshakes passed Daphne's 5 s limit and were dropped
    (bench/results.md, reconnect storm)."""

    channel_layer = None

    async def __call__(self, scope, receive, send):
        """AsyncConsumer's, less what a socket with no channel layer does not need: the layer
        lookup (under an alias that names none, Channels searched the settings again on every
        connect, an exception caught each time: 5 % of a reconnect storm), and a task and an
        asyncio.wait() per message to listen to one source only."""
        self.scope = scope
        self.base_send = send
        gcpolicy.socket_opened()
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass
        finally:
            gcpolicy.socket_closed()  # its garbage is collected with others' (timing/gcpolicy.py)

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message):
        await self.disconnect(message["code"])
        raise StopConsumer()


class TopicConsumer(ReadOnlySocket):
    kind = None  # a timing.topics kind

    async def connect(self):
        self.ident = self.scope["url_route"]["kwargs"][f"{self.kind}_id"]
        self.topic = topics.group(self.kind, self.ident)
        self.ready = False
        self.pending = []
        self.wire = daphne_wire(self.base_send)
        await self.accept()
        if self.wire is not None:
            bound_kernel_buffer(self.wire)
        # Join before taking the snapshot so no update can fall between the two; updates that
        # arrive meanwhile wait in `pending` and are sent after it if they are newer.
        self.hub = await hub()
        since = await self.hub.join(self.topic, self)
        version, text = await self.hub.snapshot(self.topic, since)
        if version is None:
            await self.hub.leave(self.topic, self)
            await self.close(code=NOT_FOUND)
            return
        await self.send(text_data=snapshot_frame(text))
        self.ready = True
        pending, self.pending = self.pending, []
        for v, frame in pending:
            if v is None or v > version:
                await self._send_frame(frame)

    def offer(self, version, frame):
        """A hub.Frame, handled without awaiting in the usual cases: held until the snapshot is
        out, or written straight to the socket (timing/wire.py). False when it must go through
        Daphne's `websocket.send` instead (`deliver`). A fan-out to 5,000 sockets calls this
        5,000 times, so it creates no coroutine."""
        if not self.ready:
            if len(self.pending) < 100:
                self.pending.append((version, frame))
            return True
        return self.wire is not None and send_frame(self.wire, frame)

    async def deliver(self, frame):
        """What `offer` declined: the ordinary ASGI send."""
        await self.base_send({"type": "websocket.send", "text": frame.text})

    async def _send_frame(self, frame):
        if self.wire is None or not send_frame(self.wire, frame):
            await self.deliver(frame)

    async def receive(self, text_data=None, bytes_data=None):
        await self.hub.leave(self.topic, self)
        await self.close(code=UNSUPPORTED if bytes_data is not None else READ_ONLY)

    async def disconnect(self, code):
        if hasattr(self, "hub"):
            await self.hub.leave(self.topic, self)


class RaceConsumer(TopicConsumer):
    kind = topics.RACE


class CompetitionConsumer(TopicConsumer):
    kind = topics.COMPETITION


class NoSuchPath(ReadOnlySocket):
    """A socket on a path that names no topic: accepted only to be closed with NOT_FOUND."""

    async def connect(self):
        await self.accept()
        await self.close(code=NOT_FOUND)
