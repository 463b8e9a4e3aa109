"""Each process's hub: the one member of the channel-layer group of every topic it serves.

Design (measured in bench/results.md): the hub holds the process's sockets per topic, so a
broadcast is one channel-layer message per *process*, serialized once, and the per-socket work
is a single write. Its poll of the database's versions is what makes delivery safe although the
layer is best effort: a version the database has and no socket got is sent as a snapshot.
"""
import asyncio
import logging
import threading
from collections import defaultdict

from channels.db import database_sync_to_async

from . import topics
from .messages import database_notice, heartbeat, snapshot_frame
from .publish import UPDATE, shared_layer

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0


class Frame:
    """One message for many sockets: its text, and the websocket frame the consumers build from
    it once (`wire`), so a fan-out does the encoding and framing once, not once per socket."""

    __slots__ = ("text", "wire")

    def __init__(self, text):
        self.text = text
        self.wire = None


class Hub:
    """One per event loop (in production: one per Daphne process)."""

    def __init__(self, loop):
        self.loop = loop
        self.sockets = defaultdict(set)  # topic -> consumers
        self.sent = {}  # topic -> highest version fanned out here
        self.texts = {}  # topic -> (version, snapshot text) of current(), while followed
        self.reading = {}  # topic -> the snapshot read from the database under way
        self.stale = {}  # topic -> version seen in the database but not yet broadcast
        # topic -> highest committed version heard since the topic was last followed: what the
        # snapshot GETs answer from without asking the database (timing/fastread.py, `current`).
        self.known = {}
        self._known_lock = threading.Lock()  # heard() is also called from writers' threads
        self.database_ok = True  # the last version poll reached the database
        self.channel = None
        self.started = None  # the task running start(): awaited by every socket before joining
        self._lock = None
        self._tasks = []

    async def start(self):
        self._lock = asyncio.Lock()
        self._tasks = [asyncio.ensure_future(self._poll()), asyncio.ensure_future(self._heartbeat())]
        layer = shared_layer()
        if layer:
            await self._subscribe(layer)
            self._tasks.append(asyncio.ensure_future(self._receive(layer)))

    async def _subscribe(self, layer):
        """A fresh channel for this hub, added to the group of every topic it serves. Failing is
        allowed (Redis away): the receive loop tries again and the poll covers the gap."""
        try:
            channel = await asyncio.wait_for(layer.new_channel("hub."), timeout=2)
        except Exception as e:
            log.warning("hub could not open a channel-layer channel: %s", e)
            return False
        async with self._lock:
            self.channel = channel
            for topic in list(self.sockets):
                await self._group(topic, "group_add")
        return True

    async def join(self, topic, consumer):
        """Add a socket; returns the highest version fanned out here before it joined (for
        snapshot(): everything later reaches the socket through the hub)."""
        async with self._lock:
            first = not self.sockets[topic]
            self.sockets[topic].add(consumer)
            if first:
                self.known.pop(topic, None)  # heard while not a group member: may be behind
                await self._group(topic, "group_add")
        return self.sent.get(topic, -1)

    async def snapshot(self, topic, since):
        """(version, text) of the snapshot for a socket that has just joined `topic` (`since`:
        what join() returned), or (None, None) if the topic does not exist.

        Any version at least as high as every update fanned out here before the socket joined
        will do: what comes after reaches the socket through the hub. While the hub vouches for
        the topic's version (current()), that is such a version, and its text is in this process's
        snapshot cache, so a reconnect storm costs no query and no thread hop per socket. Else
        the database is read, once for all the sockets that join while that read is under way
        (again for a socket that saw an update newer than what the read found)."""
        version = self.current(topic)
        if version is not None and version >= since:
            known = self.texts.get(topic)
            if known is not None and known[0] == version:
                return known
            text = topics.cached_text(*topics.parse(topic), version)
            if text is not None:
                self.texts[topic] = (version, text)
                return version, text
        while True:
            read = self.reading.get(topic)
            if read is None:
                read = self.reading[topic] = asyncio.ensure_future(
                    database_sync_to_async(topics.snapshot_text)(*topics.parse(topic)))
                read.add_done_callback(lambda done: self.reading.pop(topic) if self.reading.get(topic) is done else None)
            version, text = await asyncio.shield(read)
            if version is None or version >= since:
                break
            if self.reading.get(topic) is read:
                del self.reading[topic]
        if version is not None:
            self.saw(topic, version)
            if self.current(topic) == version:
                self.texts[topic] = (version, text)
        return version, text

    async def leave(self, topic, consumer):
        async with self._lock:
            members = self.sockets.get(topic)
            if members is None:
                return
            members.discard(consumer)
            if not members:
                del self.sockets[topic]
                # Unfollowed, the hub hears of this topic no more: the next socket reads it afresh.
                self.known.pop(topic, None)
                self.texts.pop(topic, None)
                self.reading.pop(topic, None)
                await self._group(topic, "group_discard")

    def saw(self, topic, version):
        self.sent[topic] = max(self.sent.get(topic, -1), version)
        self.heard(topic, version)

    def heard(self, topic, version):
        """A committed version of the topic: from a fan-out, a socket's snapshot, or a writer of
        this process as its transaction commits (timing/publish.py), before its answer is sent."""
        with self._known_lock:
            if version > self.known.get(topic, -1):
                self.known[topic] = version

    def current(self, topic):
        """The topic's committed version as far as this hub can vouch for it, or None.

        It can while the topic is followed here: then this hub is in the topic's group and hears
        every change, and whatever a lost broadcast withheld, its poll of the database sends
        within two poll intervals, the same bound the sockets live by. Not while the database is
        unreachable (the poll is blind), the poll has stopped, or the hub has no channel to hear
        other processes on: the caller asks the database then."""
        if not self.sockets.get(topic) or not self.database_ok:
            return None
        if self.started is None or not self.started.done() or self.started.cancelled() \
                or self.started.exception() is not None:
            return None
        if not self._tasks or self._tasks[0].done():
            return None
        if self.channel is None and shared_layer() is not None:
            return None
        return self.known.get(topic)

    async def _group(self, topic, op):
        layer = shared_layer()
        if layer is None or self.channel is None:
            return  # no channel yet: _subscribe adds every topic once it has one
        try:
            await asyncio.wait_for(getattr(layer, op)(topic, self.channel), timeout=2)
        except Exception as e:  # Redis away: the poll keeps this topic's screens current
            log.warning("%s for %s failed: %s", op, topic, e)

    async def fanout(self, topic, version, text):
        self.saw(topic, version)
        frame = Frame(text)
        for consumer in list(self.sockets.get(topic, ())):
            if not consumer.offer(version, frame):  # sent or held without a coroutine per socket
                await consumer.deliver(frame)

    async def _receive(self, layer):
        delay = 0.5
        while True:
            try:
                if self.channel is None and not await self._subscribe(layer):
                    raise ConnectionError("no channel")
                msg = await layer.receive(self.channel)
                delay = 0.5
                if msg.get("type") == UPDATE:
                    await self.fanout(msg["topic"], msg["version"], msg["text"])
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("hub receive failed (%s); retrying in %.1fs", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)
                await self._rejoin(layer)

    async def _rejoin(self, layer):
        """After a failure: re-add every topic with the same channel (a restarted Redis has
        forgotten the groups; the core layer keeps what was queued for the channel meanwhile).
        If the layer has forgotten the channel itself, drop it: the next round makes a new one."""
        if self.channel is None:
            return
        async with self._lock:
            try:
                for topic in list(self.sockets):
                    await asyncio.wait_for(layer.group_add(topic, self.channel), timeout=2)
            except Exception as e:
                log.warning("hub re-subscription failed (%s); opening a new channel", e)
                for topic in list(self.sockets):
                    await self._group(topic, "group_discard")
                self.channel = None

    async def _poll(self):
        """Catch what a lost broadcast missed: a version the database has and no screen got."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            followed = {}
            for topic, members in list(self.sockets.items()):
                if members:
                    kind, ident = topics.parse(topic)
                    followed.setdefault(kind, []).append(ident)
            if not followed:
                continue
            try:
                current = await database_sync_to_async(_versions)(followed)
            except Exception as e:
                log.warning("version poll failed: %s", e)
                await self._database(False)
                continue
            await self._database(True)
            for topic, version in current.items():
                if version <= self.sent.get(topic, -1):
                    self.stale.pop(topic, None)
                elif self.stale.get(topic) == version:
                    # Behind for a whole poll interval: the broadcast is not coming.
                    self.stale.pop(topic, None)
                    v, text = await database_sync_to_async(topics.snapshot_text)(*topics.parse(topic))
                    if v is not None:
                        log.info("%s: broadcast of version %s lost; sending the snapshot", topic, v)
                        await self.fanout(topic, v, snapshot_frame(text))
                else:
                    self.stale[topic] = version

    async def _database(self, ok):
        """Tell every screen when the database goes away and when it is back: a screen keeps its
        last picture either way, and says it is behind meanwhile (the poll then catches it up)."""
        if ok == self.database_ok:
            return
        self.database_ok = ok
        log.warning("database %s", "reachable again" if ok else "unreachable: screens show they are behind")
        await self._to_all(Frame(database_notice(ok)))

    async def _to_all(self, frame):
        for members in list(self.sockets.values()):
            for consumer in list(members):
                if not consumer.offer(None, frame):
                    await consumer.deliver(frame)

    async def _heartbeat(self):
        """Keeps idle sockets alive through proxies, and gives clocks a fresh server time."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self._to_all(Frame(heartbeat()))


HUBS = {}  # event loop -> Hub


async def hub():
    """The hub of the running event loop, started on first use."""
    loop = asyncio.get_running_loop()
    found = HUBS.get(loop)
    if found is None:
        for old in [lp for lp in HUBS if lp.is_closed()]:
            del HUBS[old]
        found = HUBS[loop] = Hub(loop)
        found.started = loop.create_task(found.start())
    # Every caller waits for the start: sockets that connect while the hub is still subscribing
    # (thousands at once after a restart) must not join a hub with no channel yet.
    await found.started
    return found


def _versions(followed):
    """{topic: version} for {kind: [ids]}: one query per kind of topic followed."""
    return {
        topics.group(kind, ident): version
        for kind, ids in followed.items()
        for ident, version in topics.versions(kind, ids).items()
    }
