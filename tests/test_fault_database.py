"""PostgreSQL goes away in the middle of a pair (a restart, a failover, a full disk), then comes back.

The timing hardware is the source of truth: not one of its times may be lost, none applied twice,
none put at the wrong point. Everything is real: a PostgreSQL cluster of this test's own (initdb
on a free port, stopped with `pg_ctl stop -m fast` and started again; the machine's shared server
is never touched), `manage.py serve` and `manage.py lynxlisten` as child processes, the Lynx feed
over TCP, the device API over HTTP.

OVAL_OUTAGE_S sets how long the database stays down (6 s by default; docs/reliability.md has the
figures of a 30 s run). The figures each run prints (pytest -s) are those docs/reliability.md quotes.
"""
import json
import os
import threading
import time

import pytest

from tests.procs import LynxListener, ScratchCluster, Server, base_env, current_passings, device_post, prepare, request
from timing.devices.lynx import packet, parse_time_of_day
from timing.rules.times import format_exact

pytestmark = pytest.mark.slow

psycopg = pytest.importorskip("psycopg")

OUTAGE_S = float(os.environ.get("OVAL_OUTAGE_S", "6"))
CATCH_UP_WAIT = 60  # seconds: a hang guard, not a speed claim

# Demo pair 1 and 2 (inner lane = identifier 1), as the photo-finish and transponders send them.
SPLITS = [("outer", 200, 18050), ("inner", 200, 18190), ("outer", 600, 45290), ("inner", 600, 46050),
          ("outer", 1000, 75460), ("inner", 1000, 77150)]
LANE_ID = {"inner": 1, "outer": 2}


def pair_feed(zero, splits):
    return [packet("Z", zero)] + [packet("S", zero + ms, LANE_ID[lane]) for lane, _, ms in splits]


@pytest.fixture(scope="module")
def cluster():
    c = ScratchCluster()
    try:
        yield c.init()
    finally:
        c.destroy()


@pytest.fixture(scope="module")
def world(cluster, tmp_path_factory):
    env = base_env(DATABASE_URL=cluster.create_database("oval_outage"), OVAL_PG_POOL_MAX="5")
    world = prepare(env)
    server = Server(env, log=tmp_path_factory.mktemp("outage") / "serve.log").start()
    try:
        yield world, server
    finally:
        server.stop()
        if not cluster.running():
            cluster.start()


def database(cluster):
    return psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname="oval_outage", autocommit=True)


def lynx_changes(cluster, race_id, pair):
    """The audit trail of the listener's writes for one pair, in the order they were applied."""
    with database(cluster) as db:
        return db.execute(
            "SELECT action, lane, distance, new_value FROM timing_change WHERE race_id = %s AND pair = %s "
            "AND device = 'lynx' ORDER BY version", (race_id, pair)).fetchall()


def wait_for(what, check, seconds=CATCH_UP_WAIT):
    deadline = time.monotonic() + seconds
    while True:
        got = check()
        if got:
            return got
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.05)


def board_of(server, race_id, pair):
    answer = request("GET", server.url(f"/api/races/{race_id}/"))
    if answer.status != 200:
        return None
    return {k[1:]: v for k, v in current_passings(answer.data).items() if k[0] == pair}


class Screen:
    """A board's websocket, read on a thread of its own: every message it got, in order."""

    def __init__(self, server, race_id):
        self.url, self.origin = server.ws_url(f"/ws/races/{race_id}/"), server.origin
        self.messages = []
        self.ws = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        from websockets.sync.client import connect

        try:
            with connect(self.url, origin=self.origin, open_timeout=10) as ws:
                self.ws = ws
                for text in ws:
                    self.messages.append(json.loads(text))
        except Exception:  # closed at the end of the test
            pass

    def seen(self, kind):
        return [m for m in self.messages if m["type"] == kind]

    def close(self):
        if self.ws:
            self.ws.close()


def expected(splits):
    return {(lane, point): ms for lane, point, ms in splits}


def test_a_pair_timed_through_a_database_outage_ends_complete_in_order_and_the_api_says_503(
    cluster, world, tmp_path
):
    world, server = world
    race = world.race
    lynx = LynxListener(world.env, race, tmp_path / "lynx.journal", tmp_path / "lynx.log").start()
    try:
        feed = pair_feed(parse_time_of_day("14:00:00.000"), SPLITS)
        screen = Screen(server, race)
        wait_for("the screen's snapshot", lambda: screen.seen("snapshot"), seconds=10)

        cluster.stop()
        down, down_wall = time.monotonic(), time.time()
        # The whole pair, sent while the database is away: journaled at once, applied later.
        for one in feed:
            lynx.send(one)
        wait_for("every packet journaled", lambda: lynx.journaled() == len(feed), seconds=10)
        journaled_in = time.monotonic() - down
        # A device posts a time of pair 3 (a backup timer) while the database is away.
        body = {"pair": 3, "lane": "inner", "distance": 200, "time_ms": 18400}
        refused = device_post(server, f"/api/races/{race}/passings", body, world.token, key="backup-3-inner-200")
        assert refused.status == 503, refused
        assert refused.headers.get("Retry-After") == "5"
        assert set(refused.data) == {"error", "field"} and "Retry in 5 s" in refused.data["error"]
        assert lynx.applied() == 0, "nothing can be applied while the database is away"
        # The screen stays connected with its last picture, and is told it is behind.
        assert wait_for("the screen told", lambda: screen.seen("database"), seconds=10)[0]["available"] is False
        # Once the process knows the database is away, its hub no longer vouches for a version
        # (before, it answers the last committed snapshot from memory, which nothing can change).
        read = request("GET", server.url(f"/api/races/{race}/"))
        assert read.status == 503 and set(read.data) == {"error", "field"}
        assert len(screen.seen("snapshot")) == 1
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - down)))

        cluster.start()
        back, back_wall = time.monotonic(), time.time()
        board = wait_for("the whole pair on the board", lambda: (b := board_of(server, race, 1)) and len(b) == 6 and b)
        caught_up = time.monotonic() - back
        assert board == expected(SPLITS)
        # The start is dated when the zero arrived, not when the database took it.
        started = server.snapshot(race)["pairs"][0]["started_at"] / 1000
        assert down_wall <= started < down_wall + 1 < back_wall
        # The screen is told the database is back, and gets the pair (updates or the poll's snapshot).
        wait_for("the screen told it is back", lambda: [m["available"] for m in screen.seen("database")] == [False, True])
        wait_for("the screen caught up", lambda: max(m.get("version", 0) for m in screen.messages) >= server.snapshot(race)["version"])
        screen.close()
        # In order, each once: the audit trail holds the listener's writes in the order the device sent them.
        changes = lynx_changes(cluster, race, 1)
        assert [c[0] for c in changes] == ["start"] + ["passing"] * len(SPLITS)
        assert changes[1:] == [("passing", lane, point, format_exact(ms)) for lane, point, ms in SPLITS]
        assert lynx.applied() == lynx.journaled() == len(feed)

        # The device retries with its key until the database takes it: stored exactly once.
        retried = wait_for("the device's retry", lambda: (a := device_post(
            server, f"/api/races/{race}/passings", body, world.token, key="backup-3-inner-200")).status == 201 and a,
            seconds=30)
        again = device_post(server, f"/api/races/{race}/passings", body, world.token, key="backup-3-inner-200")
        assert (again.status, again.headers.get("Idempotent-Replayed")) == (201, "true")
        assert board_of(server, race, 3) == {("inner", 200): 18400}
        print(f"\noutage {back - down:.1f} s: {len(feed)} packets sent, "
              f"{lynx.journaled()} journaled (all while down, within {journaled_in:.2f} s), "
              f"{lynx.applied()} applied, 0 lost; whole pair on the board {caught_up:.2f} s after the restart; "
              f"API 503 in {refused.elapsed:.2f} s; device retry stored in {retried.elapsed:.2f} s")
    finally:
        lynx.stop()
        if not cluster.running():
            cluster.start()


def test_the_listener_killed_during_the_outage_applies_its_journal_exactly_once_after_a_restart(
    cluster, world, tmp_path
):
    world, server = world
    race = world.race
    moved = device_post(server, f"/api/races/{race}/current-pair", {"pair": 2}, world.token)
    assert moved.status == 200, moved
    splits = [(lane, point, ms + 300) for lane, point, ms in SPLITS]
    feed = pair_feed(parse_time_of_day("14:10:00.000"), splits)
    lynx = LynxListener(world.env, race, tmp_path / "lynx.journal", tmp_path / "lynx.log").start()
    try:
        lynx.send(b"".join(feed[:2]))
        wait_for("the first split on the board", lambda: len(board_of(server, race, 2) or {}) == 1)
        cluster.stop()
        down = time.monotonic()
        for one in feed[2:-1]:
            lynx.send(one)
        wait_for("the packets journaled", lambda: lynx.journaled() == len(feed) - 1, seconds=10)
        lynx.kill()  # SIGKILL with four packets journaled and not applied
        pending = lynx.journaled() - lynx.applied()
        assert pending == len(feed) - 3
        lynx.start()  # again, while the database is still away: it listens and journals
        assert "not reachable" in lynx.log.read_text()
        lynx.send(feed[-1])
        wait_for("the last packet journaled", lambda: lynx.journaled() == len(feed), seconds=10)
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - down)))
        cluster.start()
        back = time.monotonic()
        board = wait_for("the whole pair on the board", lambda: (b := board_of(server, race, 2)) and len(b) == 6 and b)
        caught_up = time.monotonic() - back
        assert board == expected(splits)
        changes = lynx_changes(cluster, race, 2)
        assert [c[0] for c in changes] == ["start"] + ["passing"] * len(splits)  # each once, in order
        assert changes[1:] == [("passing", lane, point, format_exact(ms)) for lane, point, ms in splits]
        marks = [x["applied"] for x in lynx.journal_lines() if "applied" in x]
        assert marks == list(range(1, len(feed) + 1))  # every packet applied once, in order
        print(f"\nlistener SIGKILLed in the outage with {pending} packets journaled and not applied, restarted "
              f"while the database was still down; {len(feed)} sent, {len(feed)} applied once each, 0 lost; "
              f"whole pair on the board {caught_up:.2f} s after the database came back")
    finally:
        lynx.stop()
        if not cluster.running():
            cluster.start()
