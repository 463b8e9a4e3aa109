"""Hostile spectators against a real server process (`manage.py serve`): oversized frames, binary
frames, floods, thousands of connect/disconnect cycles. The server stays up, its memory returns to
its level, and a well-behaved screen connected all along still gets the next update promptly.

Memory: VmRSS of the server process. CPython rarely hands freed memory back to the OS, so
"returns to its level" is measured as "does not grow with the number of cycles", against what a
leak would cost on this machine: first HELD sockets are held open at once to measure what one
socket costs here (18 to 28 KiB measured), then CYCLES connect/disconnect cycles may grow the
process by at most LEAK_SHARE of CYCLES sockets' worth: less than one socket in four leaking.
Measured: +0.1 to +3 MiB against an allowance of 9 to 14 MiB (docs/reliability.md). No wall-clock limit: speed belongs to bench/, and WAIT guards each step.
"""
import asyncio
import json
import random
import time

import pytest

from tests.procs import Server, device_post, sqlite_world
from timing.consumers import READ_ONLY, UNSUPPORTED

pytestmark = pytest.mark.slow
websockets = pytest.importorskip("websockets.asyncio.client")
from websockets.exceptions import ConnectionClosed  # noqa: E402

# Past websocket_max_message_size (timing/server.py) autobahn fails the connection: by default it
# drops the TCP connection at once (the client sees 1006) rather than sending 1009 and waiting.
TOO_BIG = (1006, 1009)
WAIT = 10  # seconds: a hang guard
PROMPT_S = 3  # an update reaches an open socket within this (it normally takes milliseconds)
CYCLES = 2000
HELD = 200  # sockets held open at once to measure what one costs on this machine
LEAK_SHARE = 0.25
ROUNDS = 3  # measured rounds of CYCLES after the warm-up


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ws-abuse")
    world = sqlite_world(tmp / "ws.sqlite3")
    server = Server(world.env, log=tmp / "serve.log").start()
    try:
        assert device_post(server, f"/api/races/{world.race}/pairs/1/start", {}, world.token).status == 200
        yield server, world
    finally:
        server.stop()


def connect(server, world, **kwargs):
    return websockets.connect(server.ws_url(f"/ws/races/{world.race}/"), origin=server.origin, open_timeout=WAIT,
                              **kwargs)


async def snapshot(ws):
    message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
    assert message["type"] == "snapshot"
    return message


async def close_code(ws):
    """Read until the server closes; its close code."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), WAIT)
    except ConnectionClosed:
        pass
    return ws.close_code


_next_ms = iter(range(18_100, 19_000, 10))
_lanes = iter([(pair, lane) for pair in range(1, 16) for lane in ("outer", "inner")])


async def post_a_passing(server, world):
    pair, lane = next(_lanes)
    body = {"pair": pair, "lane": lane, "distance": 200, "time_ms": next(_next_ms)}
    answer = await asyncio.to_thread(device_post, server, f"/api/races/{world.race}/passings", body, world.token)
    assert answer.status == 201, answer
    return answer.data["version"]


async def receives_promptly(ws, version):
    """The update carrying `version` arrives within PROMPT_S (heartbeats may come in between)."""
    deadline = time.monotonic() + PROMPT_S
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"version {version} did not arrive within {PROMPT_S} s"
        message = json.loads(await asyncio.wait_for(ws.recv(), left))
        if message.get("version") == version:
            return message


async def test_a_text_frame_closes_the_socket_with_4003(served):
    server, world = served
    async with connect(server, world) as ws:
        await snapshot(ws)
        await ws.send("please record 17.00 for me")
        assert await close_code(ws) == READ_ONLY


async def test_a_binary_frame_closes_the_socket_with_its_own_code_not_an_internal_error(served):
    server, world = served
    async with connect(server, world) as ws:
        await snapshot(ws)
        await ws.send(b"\x00\x01binary")
        assert await close_code(ws) == UNSUPPORTED  # 1011 would mean the consumer crashed
    assert "Exception inside application" not in server.log_text()


@pytest.mark.parametrize("size", [64 * 1024 + 1, 1024 * 1024])
async def test_an_oversized_frame_is_refused_and_others_are_unaffected(served, size):
    server, world = served
    async with connect(server, world) as bystander:
        await snapshot(bystander)
        async with connect(server, world) as ws:
            await snapshot(ws)
            await ws.send("x" * size)
            assert await close_code(ws) in TOO_BIG
        version = await post_a_passing(server, world)
        await receives_promptly(bystander, version)
    assert server.alive()


async def test_a_flood_from_a_spectator_is_cut_off_and_others_are_unaffected(served):
    server, world = served
    async with connect(server, world) as bystander:
        await snapshot(bystander)
        floods = []
        for kind in ("text", "binary"):
            ws = await connect(server, world)
            await snapshot(ws)
            payload = "flood" * 100 if kind == "text" else b"\xff" * 500
            sent = 0
            try:
                for _ in range(5000):  # as fast as the socket takes them
                    await ws.send(payload)
                    sent += 1
            except ConnectionClosed:
                pass
            floods.append((kind, sent, await close_code(ws)))
        # The server closes after the first frame while the client is still sending; the frames
        # it never reads can make its kernel reset the TCP connection before the client has read
        # the close frame, which the client then reports as 1006 (seen about one run in four, on
        # main too). The exact codes are proven by the one-frame tests above; here: cut off, by
        # the server, never with an internal error (1011).
        assert [(k, c in (code, 1006)) for (k, _, c), code in zip(floods, (READ_ONLY, UNSUPPORTED))] == [
            ("text", True), ("binary", True)], floods
        version = await post_a_passing(server, world)
        await receives_promptly(bystander, version)
    assert server.alive()


async def churn(server, world, cycles, workers=20, seed=0):
    """`cycles` connects and disconnects over `workers` parallel clients, ended in every way a
    client ends: a clean close after the snapshot, a close before it, and a dropped TCP connection."""
    rng = random.Random(seed)
    plan = [rng.choice(["clean", "early", "abort"]) for _ in range(cycles)]
    errors = []

    async def worker(mine):
        for how in mine:
            try:
                ws = await connect(server, world)
                if how != "early":
                    await snapshot(ws)
                if how == "abort":
                    ws.transport.abort()
                else:
                    await ws.close()
            except Exception as e:  # noqa: BLE001 - counted and reported below
                errors.append(repr(e))

    await asyncio.gather(*(worker(plan[i::workers]) for i in range(workers)))
    return errors


async def socket_cost_kib(server, world):
    """RSS per open socket on this machine: HELD sockets opened (each past its snapshot) and closed."""
    await asyncio.sleep(1)
    before = server.rss_kib()
    held = []
    try:
        for _ in range(HELD):
            ws = await connect(server, world)
            held.append(ws)
            await snapshot(ws)
        opened = server.rss_kib()
    finally:
        await asyncio.gather(*(ws.close() for ws in held))
    return (opened - before) / HELD


async def test_thousands_of_connects_and_disconnects_leave_memory_flat_and_others_unaffected(served):
    server, world = served
    async with connect(server, world) as bystander:
        await snapshot(bystander)
        # Before any churn: HELD sockets at once need memory no earlier test freed for them.
        per_socket = await socket_cost_kib(server, world)
        assert per_socket > 1, f"{per_socket:.1f} KiB per held socket: the measurement is broken"
        # Warm-up as large as a measured round: caches, thread pools, the allocator at this concurrency.
        assert await churn(server, world, CYCLES, seed=1) == []
        allowance = per_socket * CYCLES * LEAK_SHARE
        # A leak grows the process in every round; the allocator's high-water mark moves in some
        # rounds and not others (seen: 133, 136, 136, 136, 139 MB over five). So the smallest
        # growth of three rounds is held to the allowance: robust to the one, still blind to nothing.
        growths = []
        await asyncio.sleep(3)  # the server notices the dropped connections and lets them go
        for round_ in range(ROUNDS):
            before = server.rss_kib()
            began = time.monotonic()
            errors = await churn(server, world, CYCLES, seed=2 + round_)
            took = time.monotonic() - began
            assert errors == [], f"{len(errors)} cycles failed: {errors[:5]}"
            await asyncio.sleep(3)
            after = server.rss_kib()
            growths.append(after - before)
            print(f"\n{per_socket:.1f} KiB per open socket; {CYCLES} cycles in {took:.1f} s; "
                  f"server RSS {before} KiB -> {after} KiB (allowance {allowance:.0f} KiB)")
        assert min(growths) < allowance, f"RSS grew by {growths} KiB in rounds of {CYCLES} cycles"

        version = await post_a_passing(server, world)
        update = await receives_promptly(bystander, version)
        assert update["type"] == "passing"  # the bystander's own socket, never dropped or resynced
    assert server.alive()
