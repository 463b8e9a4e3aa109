"""Two Daphne processes sharing PostgreSQL and Redis, as in docs/deploy.md.

A change recorded through one process, or by a writer process with no sockets at all (the Lynx
listener, a shell), reaches the spectators of both as the update itself, not as the version
poll's resync, and both processes serve the same snapshot afterwards. Run for both channels-redis
layers. Everything here is a real process over a real socket: nothing of ours is stubbed.
"""
import asyncio
import itertools
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.procs import POSTGRES, base_env, manage, prepare, reachable, scratch_postgres, stop

pytestmark = pytest.mark.scaleout

ROOT = Path(__file__).resolve().parent.parent
DAPHNE = str(Path(sys.executable).with_name("daphne"))
REDIS = ("127.0.0.1", 6379)
WAIT = 20  # seconds before a missing message fails the test (a hang guard, not a speed claim)


for _name, _address in (("Redis", REDIS), ("PostgreSQL", POSTGRES)):
    if not reachable(_address):
        pytest.skip(f"scale-out tests need {_name} on {_address[0]}:{_address[1]}, which is not reachable",
                    allow_module_level=True)

websockets = pytest.importorskip("websockets.asyncio.client")

# The demo's passings, in race order: each test takes the next one so they never conflict.
_script = None
_taken = itertools.count()


def next_passing():
    global _script
    if _script is None:
        from timing import demo

        _script = demo.script(demo.load_data())
    pair, lane, point, ms, _ = _script[next(_taken)]
    return pair, lane, point, ms


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A fresh PostgreSQL database with the demo start list and a device token, and a Redis
    prefix of this run's own; the database is dropped at the end."""
    with scratch_postgres("oval_scaleout") as (database_url, name):
        try:
            env = base_env(DATABASE_URL=database_url, REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/0",
                           OVAL_REDIS_PREFIX=f"{name}:")
            yield prepare(env), tmp_path_factory.mktemp("daphne")
        finally:
            forget_redis_keys(f"{name}:*")


def forget_redis_keys(pattern):
    """The core layer leaves group sets behind (they expire after a day): remove this run's."""
    import redis

    client = redis.Redis(host=REDIS[0], port=REDIS[1])
    try:
        keys = list(client.scan_iter(match=pattern))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


class Daphne:
    """One `daphne` process of ours on a port the kernel picked."""

    def __init__(self, env, log):
        self.env = env
        self.log = log
        self.proc = subprocess.Popen(
            [DAPHNE, "-e", "tcp:port=0:interface=127.0.0.1", "-v", "1", "config.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
        )
        self.port = None

    def wait_listening(self):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            found = re.search(r"Listening on TCP address [\d.]+:(\d+)", self.log.read_text())
            if found:
                self.port = int(found.group(1))
                return self
            assert self.proc.poll() is None, f"daphne exited:\n{self.log.read_text()}"
            time.sleep(0.1)
        raise AssertionError(f"daphne did not listen within {WAIT} s:\n{self.log.read_text()}")

    def stop(self):
        stop(self.proc)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module", params=["pubsub", "core"])
def daphnes(request, world):
    """Two Daphne processes on one channels-redis layer (both layers are supported settings)."""
    # INFO: Daphne logs the port the kernel picked ("Listening on TCP address ...").
    prepared, logs = world
    env = {**prepared.env, "OVAL_REDIS_LAYER": request.param, "LOG_LEVEL": "INFO"}
    servers = []
    try:
        for i in range(2):
            servers.append(Daphne(env, logs / f"{request.param}-{i}.log"))
        yield [s.wait_listening() for s in servers]
    finally:
        for s in servers:
            s.stop()


def http(method, url, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=WAIT) as answer:
        return answer.status, json.loads(answer.read())


def spectator(server, race_id):
    return websockets.connect(f"ws://127.0.0.1:{server.port}/ws/races/{race_id}/",
                              origin=f"http://127.0.0.1:{server.port}", open_timeout=WAIT)


async def next_message(ws):
    """The next message that is not a heartbeat."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        if message["type"] != "heartbeat":
            return message


async def both_snapshots(sockets):
    snapshots = [await next_message(ws) for ws in sockets]
    assert [s["type"] for s in snapshots] == ["snapshot", "snapshot"]
    assert snapshots[0]["version"] == snapshots[1]["version"]
    return snapshots[0]["version"]


async def assert_both_get_update(sockets, version, servers, race_id):
    updates = [await next_message(ws) for ws in sockets]
    # The update itself (type "passing"), not the version poll's resync (a snapshot).
    assert [u["type"] for u in updates] == ["passing", "passing"]
    assert [u["version"] for u in updates] == [version + 1, version + 1]
    assert updates[0] == updates[1]  # the very same serialized message
    answers = [await asyncio.to_thread(http, "GET", s.url(f"/api/races/{race_id}/")) for s in servers]
    assert [status for status, _ in answers] == [200, 200]
    assert answers[0][1] == answers[1][1]
    assert answers[0][1]["version"] == version + 1
    return updates[0]


async def test_a_passing_posted_to_one_process_reaches_spectators_of_both(daphnes, world):
    race_id = world[0].race
    pair, lane, point, ms = next_passing()
    async with spectator(daphnes[0], race_id) as first, spectator(daphnes[1], race_id) as second:
        version = await both_snapshots([first, second])
        status, _ = await asyncio.to_thread(
            http, "POST", daphnes[0].url(f"/api/races/{race_id}/passings"),
            {"pair": pair, "lane": lane, "distance": point, "time_ms": ms}, world[0].token,
        )
        assert status == 201
        update = await assert_both_get_update([first, second], version, daphnes, race_id)
    assert update["change"]["pair"] == pair and update["change"]["distance"] == point


async def test_a_writer_process_without_sockets_reaches_spectators_of_both(daphnes, world):
    """The Lynx listener and `manage.py` commands write from processes that serve no sockets."""
    race_id = world[0].race
    pair, lane, point, ms = next_passing()
    code = (
        "from timing import services; "
        f"services.record_passing({race_id}, {pair}, {lane!r}, {point}, {ms}, services.Actor.from_device('lynx'))"
    )
    async with spectator(daphnes[0], race_id) as first, spectator(daphnes[1], race_id) as second:
        version = await both_snapshots([first, second])
        await asyncio.to_thread(manage, daphnes[0].env, "shell", "-c", code)
        update = await assert_both_get_update([first, second], version, daphnes, race_id)
    assert (update["change"]["pair"], update["change"]["lane"]) == (pair, lane)


def etag_version(server, race_id):
    """(version in the ETag, version in the body) of the race's snapshot GET through `server`."""
    with urllib.request.urlopen(server.url(f"/api/races/{race_id}/"), timeout=WAIT) as answer:
        etag = answer.headers["ETag"]
        body = json.loads(answer.read())
    return int(etag.strip('"').rsplit("-", 1)[1]), body["version"]


async def test_a_followed_race_read_through_either_process_is_never_behind_a_write(daphnes, world):
    """Both hubs follow the race, so both answer its GETs from memory (timing/fastread.py): the
    writer's process serves the new version to the very next GET; the other process serves it as
    soon as its hub hears it (the update, else its poll), and never goes back to an older one."""
    race_id = world[0].race
    async with spectator(daphnes[0], race_id) as first, spectator(daphnes[1], race_id) as second:
        await both_snapshots([first, second])
        for _ in range(3):
            pair, lane, point, ms = next_passing()
            status, answer = await asyncio.to_thread(
                http, "POST", daphnes[0].url(f"/api/races/{race_id}/passings"),
                {"pair": pair, "lane": lane, "distance": point, "time_ms": ms}, world[0].token,
            )
            assert status == 201
            written = answer["version"]
            assert await asyncio.to_thread(etag_version, daphnes[0], race_id) == (written, written)
            seen, deadline = [], time.monotonic() + WAIT
            while not seen or seen[-1] != written:
                assert time.monotonic() < deadline, f"the other process still serves {seen[-1]}, not {written}"
                etag, body = await asyncio.to_thread(etag_version, daphnes[1], race_id)
                assert etag == body
                seen.append(etag)
            assert seen == sorted(seen) and seen[0] >= written - 1
            assert await asyncio.to_thread(etag_version, daphnes[1], race_id) == (written, written)
