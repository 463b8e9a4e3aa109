"""A spectator that never reads is dropped once the server has queued a bounded amount for it,
and the spectators who do read get every message without waiting for it."""
import asyncio
import json
import socket
import threading
import time
from urllib.parse import urlparse

import pytest
from websockets.sync.client import connect

from timing import services, topics
from timing.wire import MAX_QUEUED

from .conftest import race_hub, race_sockets

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = 32 * 1024
FRAMES = 3 * (MAX_QUEUED // FRAME) + 40  # far more than the kernel and the bound hold together


def handshake_and_stop_reading(host, port, race_id):
    """A raw client with a tiny receive window that reads the 101 answer and then nothing more."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, port))
    sock.sendall(
        f"GET /ws/races/{race_id}/ HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: http://{host}:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def members(race_id):
    return len(race_sockets(race_id))


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_spectator_that_never_reads_is_dropped_and_the_others_get_everything(live_url, startlist_race):
    race_id = startlist_race.id
    url = urlparse(live_url)
    with connect(f"ws://{url.hostname}:{url.port}/ws/races/{race_id}/", origin=live_url, max_size=None) as reader:
        stalled = handshake_and_stop_reading(url.hostname, url.port, race_id)
        try:
            check_the_reader_is_not_held_back(reader, race_id)
        finally:
            stalled.close()


def check_the_reader_is_not_held_back(reader, race_id):
    assert json.loads(reader.recv(timeout=10))["type"] == "snapshot"
    assert wait_for(lambda: members(race_id) == 2)

    received = []

    def read_all():
        while len(received) < FRAMES + 1:
            message = json.loads(reader.recv(timeout=20))
            if "pad" in message or message["type"] == "passing":  # not the hub's own heartbeats
                received.append((message, time.monotonic()))

    listener = threading.Thread(target=read_all, daemon=True)
    listener.start()
    hub = race_hub()
    pad = "x" * FRAME
    sent_at = time.monotonic()
    for n in range(FRAMES):
        text = json.dumps({"type": "heartbeat", "server_time": n, "pad": pad})
        asyncio.run_coroutine_threadsafe(hub.fanout(topics.group(topics.RACE, race_id), 0, text), hub.loop).result(5)
    services.record_passing(race_id, 1, "inner", 200, 18190, services.REPLAY)  # and a real update after them

    assert wait_for(lambda: members(race_id) == 1), "the stalled socket was never dropped"
    listener.join(20)
    assert [m["server_time"] for m, _ in received[:FRAMES]] == list(range(FRAMES))
    last, at = received[-1]
    assert last["type"] == "passing" and last["pairs"][0]["inner"]["passings"][0]["time"] == "18.19"
    # The reader was not held back by the stalled one: everything arrived in about the time it
    # takes to write it, not after a timeout.
    assert at - sent_at < 10
