"""Redis dies mid-race in the scale-out setup: the database is the truth, so writes still save and
answer at once, screens still catch up (the hub's version poll), and once Redis is back on the same
port, updates flow through it again by themselves.

Everything is a real process: a redis-server of this test's own on a free port (never the
machine's Redis), a fresh PostgreSQL database created and dropped here, `manage.py serve` with
DATABASE_URL and REDIS_URL, a spectator over a real websocket.
"""
import asyncio
import json
import shutil
import signal
import subprocess
import time

import pytest

from tests.procs import (
    POSTGRES, Server, base_env, current_passings, device_post, free_port, prepare, reachable, scratch_postgres,
)

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]

REDIS_SERVER = shutil.which("redis-server")
ANSWER_S = 5  # a write must answer within this, Redis or not: "never a hang"
CATCH_UP_S = 10  # the poll runs every second; this is a hang guard, not a speed claim


if REDIS_SERVER is None:
    pytest.skip("needs the redis-server binary to run a Redis of its own", allow_module_level=True)
if not reachable(POSTGRES):
    pytest.skip("needs PostgreSQL on 127.0.0.1:5432", allow_module_level=True)

psycopg = pytest.importorskip("psycopg")
websockets = pytest.importorskip("websockets.asyncio.client")


class Redis:
    def __init__(self, port):
        self.port = port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not reachable(("127.0.0.1", self.port)):
            assert self.proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        return self

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def scaled(tmp_path):
    """(server, redis, world): one Daphne on a fresh PostgreSQL database and a Redis of our own."""
    with scratch_postgres("oval_faults") as (database_url, name):
        redis = Redis(free_port()).start()
        server = None
        try:
            env = base_env(DATABASE_URL=database_url, REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
                           OVAL_REDIS_PREFIX=f"{name}:")
            world = prepare(env)
            server = Server(env, log=tmp_path / "serve.log").start()
            yield server, redis, world
        finally:
            if server:
                server.stop()
            redis.stop()


async def post(server, world, pair, lane, point, ms):
    body = {"pair": pair, "lane": lane, "distance": point, "time_ms": ms}
    answer = await asyncio.to_thread(device_post, server, f"/api/races/{world.race}/passings", body, world.token,
                                     None, ANSWER_S * 3)
    assert answer.status == 201, answer
    assert answer.elapsed < ANSWER_S, f"a write took {answer.elapsed:.1f} s"
    return answer


async def until_version(ws, version, timeout):
    """Messages up to the one carrying `version` (a heartbeat has none); the last one."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"version {version} did not arrive within {timeout} s"
        message = json.loads(await asyncio.wait_for(ws.recv(), left))
        if message.get("version", -1) >= version:
            return message


async def test_writes_save_at_once_without_redis_and_screens_catch_up_and_recover(scaled):
    server, redis, world = scaled
    race = world.race
    start = await asyncio.to_thread(device_post, server, f"/api/races/{race}/pairs/1/start", {}, world.token)
    assert start.status == 200
    async with websockets.connect(server.ws_url(f"/ws/races/{race}/"), origin=server.origin, open_timeout=10) as ws:
        snap = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert snap["type"] == "snapshot"
        version = snap["version"]

        await post(server, world, 1, "outer", 200, 18050)
        assert (await until_version(ws, version + 1, CATCH_UP_S))["type"] == "passing"  # through Redis

        redis.kill()
        answers = [await post(server, world, 1, lane, point, ms)
                   for lane, point, ms in [("inner", 200, 18190), ("outer", 600, 45290), ("inner", 600, 46050)]]
        assert [a.data["version"] for a in answers] == [version + 2, version + 3, version + 4]
        caught_up = await until_version(ws, version + 4, CATCH_UP_S)
        assert caught_up["type"] == "snapshot"  # the poll's resync: no broadcast could get through
        fresh = server.snapshot(race)
        assert current_passings(caught_up) == current_passings(fresh)
        assert len(current_passings(fresh)) == 4

        redis.start()  # same port, empty: the hub must subscribe afresh
        await post(server, world, 1, "inner", 1000, 77150)
        await until_version(ws, version + 5, CATCH_UP_S)  # at once, by the poll if not by Redis
        # And Redis carries the updates again, not only the poll: within the hub's retry back-off.
        v, through_redis = version + 5, False
        deadline = time.monotonic() + 30
        for lane, point, ms in [(lane, p, ms) for p, ms in [(200, 18100), (600, 45400), (1000, 75600)]
                                for lane in ("outer", "inner")]:
            await post(server, world, 2, lane, point, ms + (lane == "inner"))
            v += 1
            if (await until_version(ws, v, CATCH_UP_S))["type"] == "passing":
                through_redis = True
                break
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(2)
        assert through_redis, "after Redis came back, updates still arrived only through the poll"
