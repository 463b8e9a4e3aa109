"""Handing a committed change on to every process's hub.

Delivery is best effort by design: every message carries its topic's version, a client that sees
a gap reloads the snapshot, and each hub's poll of the database's versions catches any broadcast
that was lost (a writer in another process with no shared layer, Redis down, a full channel).
"""
import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

#: The channel-layer message type; its payload names the topic (timing.topics.group).
UPDATE = "topic.update"


def publish_on_commit(topic, versioned_text):
    version, text = versioned_text
    transaction.on_commit(lambda: publish(topic, version, text))


def shared_layer():
    """The channel layer that reaches other processes, or None when this process is the world.

    The in-memory layer cannot cross a process boundary, so in the embedded setup the hubs of
    this process are handed the update directly: one hop fewer, and no layer queue to overflow.
    """
    layer = get_channel_layer()
    return None if layer is None or isinstance(layer, InMemoryChannelLayer) else layer


def publish(topic, version, text):
    """Hand one serialized update on. Never raises: the database is the truth, and a lost
    broadcast is recovered by the hubs' version poll and the clients' resync."""
    from .hub import HUBS

    try:
        for hub in list(HUBS.values()):
            hub.heard(topic, version)  # before the writer answers: its next GET sees this version
        layer = shared_layer()
        if layer is None:
            for hub in list(HUBS.values()):
                if hub.loop.is_running():
                    hub.loop.call_soon_threadsafe(hub.loop.create_task, hub.fanout(topic, version, text))
            return
        message = {"type": UPDATE, "topic": topic, "version": version, "text": text}
        send = guarded(layer.group_send(topic, message))
        loop = next((h.loop for h in HUBS.values() if h.loop.is_running()), None)
        if loop is None:
            async_to_sync(_await)(send)  # a writer process with no sockets of its own
        elif _in_loop(loop):
            loop.create_task(send)
        else:
            asyncio.run_coroutine_threadsafe(send, loop)
    except Exception:  # logged, recovered by resync
        log.exception("broadcast of %s version %s failed", topic, version)


async def _await(coro):
    await coro


def _in_loop(loop):
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


async def guarded(coro):
    try:
        await asyncio.wait_for(coro, timeout=2)
    except Exception as e:
        log.warning("broadcast failed (%s); screens will catch up from the database version", e)
