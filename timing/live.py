"""Getting committed changes onto every screen.

Design (measured in bench/results.md): each process runs one Hub. The hub holds the process's
sockets per race and is the only member of the race's channel-layer group, so a broadcast is one
channel-layer message per *process*, serialized once, and the per-socket work is a single write.
Delivery is best effort by design: every message carries the race version, a client that sees a
gap reloads the snapshot, and the hub's poll of the database's version catches any broadcast
that was lost (a writer in another process with no shared layer, Redis down, a full channel).
"""
import asyncio
import json
import logging
import time
from collections import defaultdict

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0


def now_ms():
    return int(time.time() * 1000)


def group(race_id):
    return f"race.{race_id}"


def dumps(data):
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


# --- building messages (inside the writer's transaction) -------------------------------------


def update_message(action, before, after, audit):
    """One update: the change, the race, the pairs whose board moved, the standings if they moved."""
    old_pairs = {p["number"]: p for p in before["pairs"]}
    changed = [p for p in after["pairs"] if old_pairs.get(p["number"]) != p]
    message = {
        "type": action,
        "version": after["version"],
        "server_time": now_ms(),
        "change": {k: v for k, v in audit.items() if v not in ("", None)},
        "race": after["race"],
        "pairs": changed,
    }
    if before["standings"] != after["standings"]:
        message["standings"] = after["standings"]
    return after["version"], dumps(message)


def snapshot_key(race_id, version):
    return f"oval:snapshot:{race_id}:{version}"


def cache_snapshot_on_commit(snap):
    text = dumps(snap)
    transaction.on_commit(lambda: cache.set(snapshot_key(snap["race"]["id"], snap["version"]), text, 600))


def snapshot_text(race_id):
    """(version, JSON text) of the race snapshot, built once per version per process."""
    from .models import Race
    from .snapshot import build

    version = Race.objects.filter(pk=race_id).values_list("version", flat=True).first()
    if version is None:
        return None, None
    key = snapshot_key(race_id, version)
    text = cache.get(key)
    if text is None:
        snap = build(Race.objects.select_related("competition").get(pk=race_id))
        text = dumps(snap)
        cache.set(key, text, 600)
        version = snap["version"]
    return version, text


def snapshot_frame(text):
    """The websocket snapshot: the cached snapshot text with the type and this moment's clock."""
    return f'{{"type":"snapshot","server_time":{now_ms()},{text[1:]}'


# --- publishing (after commit) ---------------------------------------------------------------


def publish_on_commit(race_id, versioned_text):
    version, text = versioned_text
    transaction.on_commit(lambda: publish(race_id, version, text))


def shared_layer():
    """The channel layer that reaches other processes, or None when this process is the world.

    The in-memory layer cannot cross a process boundary, so in the embedded setup the hubs of
    this process are handed the update directly: one hop fewer, and no layer queue to overflow.
    """
    layer = get_channel_layer()
    return None if layer is None or isinstance(layer, InMemoryChannelLayer) else layer


def publish(race_id, version, text):
    """Hand one serialized update on. Never raises: the database is the truth, and a lost
    broadcast is recovered by the hubs' version poll and the clients' resync."""
    try:
        layer = shared_layer()
        if layer is None:
            for hub in list(HUBS.values()):
                if hub.loop.is_running():
                    hub.loop.call_soon_threadsafe(hub.loop.create_task, hub.fanout(race_id, version, text))
            return
        message = {"type": "race.update", "race": race_id, "version": version, "text": text}
        send = _guarded(layer.group_send(group(race_id), message))
        loop = next((h.loop for h in HUBS.values() if h.loop.is_running()), None)
        if loop is None:
            async_to_sync(_await)(send)  # a writer process with no sockets of its own
        elif _in_loop(loop):
            loop.create_task(send)
        else:
            asyncio.run_coroutine_threadsafe(send, loop)
    except Exception:  # logged, recovered by resync
        log.exception("broadcast of race %s version %s failed", race_id, version)


async def _await(coro):
    await coro


def _in_loop(loop):
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


async def _guarded(coro):
    try:
        await asyncio.wait_for(coro, timeout=2)
    except Exception as e:
        log.warning("broadcast failed (%s); screens will catch up from the database version", e)


# --- the per-process hub ---------------------------------------------------------------------


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
        self.sockets = defaultdict(set)  # race id -> consumers
        self.sent = {}  # race id -> highest version fanned out here
        self.stale = {}  # race id -> version seen in the database but not yet broadcast
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
        """A fresh channel for this hub, added to the group of every race it serves. Failing is
        allowed (Redis away): the receive loop tries again and the poll covers the gap."""
        try:
            channel = await asyncio.wait_for(layer.new_channel("hub."), timeout=2)
        except Exception as e:
            log.warning("hub could not open a channel-layer channel: %s", e)
            return False
        async with self._lock:
            self.channel = channel
            for race_id in list(self.sockets):
                await self._group(race_id, "group_add")
        return True

    async def join(self, race_id, consumer):
        async with self._lock:
            first = not self.sockets[race_id]
            self.sockets[race_id].add(consumer)
            if first:
                await self._group(race_id, "group_add")

    async def leave(self, race_id, consumer):
        async with self._lock:
            members = self.sockets.get(race_id)
            if members is None:
                return
            members.discard(consumer)
            if not members:
                del self.sockets[race_id]
                await self._group(race_id, "group_discard")

    def saw(self, race_id, version):
        self.sent[race_id] = max(self.sent.get(race_id, -1), version)

    async def _group(self, race_id, op):
        layer = shared_layer()
        if layer is None or self.channel is None:
            return  # no channel yet: _subscribe adds every race once it has one
        try:
            await asyncio.wait_for(getattr(layer, op)(group(race_id), self.channel), timeout=2)
        except Exception as e:  # Redis away: the poll keeps this race's screens current
            log.warning("%s for race %s failed: %s", op, race_id, e)

    async def fanout(self, race_id, version, text):
        self.saw(race_id, version)
        frame = Frame(text)
        for consumer in list(self.sockets.get(race_id, ())):
            await consumer.deliver(version, frame)

    async def _receive(self, layer):
        delay = 0.5
        while True:
            try:
                if self.channel is None and not await self._subscribe(layer):
                    raise ConnectionError("no channel")
                msg = await layer.receive(self.channel)
                delay = 0.5
                if msg.get("type") == "race.update":
                    await self.fanout(msg["race"], msg["version"], msg["text"])
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("hub receive failed (%s); retrying in %.1fs", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)
                await self._rejoin(layer)

    async def _rejoin(self, layer):
        """After a failure: re-add every race with the same channel (a restarted Redis has
        forgotten the groups; the core layer keeps what was queued for the channel meanwhile).
        If the layer has forgotten the channel itself, drop it: the next round makes a new one."""
        if self.channel is None:
            return
        async with self._lock:
            try:
                for race_id in list(self.sockets):
                    await asyncio.wait_for(layer.group_add(group(race_id), self.channel), timeout=2)
            except Exception as e:
                log.warning("hub re-subscription failed (%s); opening a new channel", e)
                for race_id in list(self.sockets):
                    await self._group(race_id, "group_discard")
                self.channel = None

    async def _poll(self):
        """Catch what a lost broadcast missed: a version the database has and no screen got."""
        from .models import Race

        def versions(ids):
            return dict(Race.objects.filter(pk__in=ids).values_list("id", "version"))

        while True:
            await asyncio.sleep(POLL_SECONDS)
            ids = [r for r, members in self.sockets.items() if members]
            if not ids:
                continue
            try:
                current = await database_sync_to_async(versions)(ids)
            except Exception as e:
                log.warning("version poll failed: %s", e)
                continue
            for race_id, version in current.items():
                if version <= self.sent.get(race_id, -1):
                    self.stale.pop(race_id, None)
                elif self.stale.get(race_id) == version:
                    # Behind for a whole poll interval: the broadcast is not coming.
                    self.stale.pop(race_id, None)
                    v, text = await database_sync_to_async(snapshot_text)(race_id)
                    if v is not None:
                        log.info("race %s: broadcast of version %s lost; sending the snapshot", race_id, v)
                        await self.fanout(race_id, v, snapshot_frame(text))
                else:
                    self.stale[race_id] = version

    async def _heartbeat(self):
        """Keeps idle sockets alive through proxies, and gives clocks a fresh server time."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            frame = Frame(dumps({"type": "heartbeat", "server_time": now_ms()}))
            for members in list(self.sockets.values()):
                for consumer in list(members):
                    await consumer.deliver(None, frame)


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
