"""Two officials and a timing device enter the same pairs at once, with retries and duplicates, over
real HTTP to a real server process: no passing is doubled, none is lost, and every answer tells the
truth. And a device that gave up waiting (client-side timeout) and retried stores one passing.

The "first accepted" rule: a measuring point takes one time; every later entry there is a 409
naming the stored time (it must be corrected, never silently replaced). So the final board is
known from the answers alone: each point holds the time of the one 201 that was not a replay.
"""
import http.cookiejar
import random
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.procs import Server, current_passings, device_post, request, sqlite_world

pytestmark = pytest.mark.slow

POINTS = [(pair, lane, point, ms + 41 * pair) for pair in range(1, 6) for lane, point, ms in [
    ("outer", 200, 18050), ("inner", 200, 18190), ("outer", 600, 45290),
    ("inner", 600, 46050), ("outer", 1000, 75460), ("inner", 1000, 77150)]]
OFFSET_MS = {"official-a": 0, "official-b": 10, "device": 20}  # each writer's own value, a hundredth apart


class Official:
    """An official's browser: the session cookie from /login/ and the CSRF token in a header."""

    def __init__(self, server, username, password):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.server = server
        self.opener.open(server.url("/login/"), timeout=10).read()
        form = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.cookie("csrftoken")}).encode()
        landed = self.opener.open(urllib.request.Request(server.url("/login/"), data=form), timeout=10)
        assert landed.url.endswith("/officials/"), "the login did not succeed"

    def cookie(self, name):
        return next(c.value for c in self.jar if c.name == name)

    def post(self, path, body, key=None, timeout=20):
        headers = {"X-CSRFToken": self.cookie("csrftoken")}
        if key:
            headers["Idempotency-Key"] = key
        return request("POST", self.server.url(path), body, headers, timeout=timeout, opener=self.opener)


class Device:
    def __init__(self, server, token):
        self.server, self.token = server, token

    def post(self, path, body, key=None, timeout=20):
        return device_post(self.server, path, body, self.token, key=key, timeout=timeout)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("concurrent")
    world = sqlite_world(tmp / "concurrent.sqlite3")
    officials = [world.add_official(name) for name in ("official-a", "official-b")]
    server = Server(world.env, log=tmp / "serve.log").start()
    try:
        writers = {name: Official(server, name, password) for name, password in officials}
        writers["device"] = Device(server, world.token)
        yield server, world, writers
    finally:
        server.stop()


def stored_rows(world):
    """Every passing row in the database, superseded and voided included: duplicates would show here."""
    with sqlite3.connect(f"file:{world.env['OVAL_SQLITE']}?mode=ro", uri=True, timeout=20) as db:
        return db.execute(
            "SELECT pr.number, s.lane, p.distance, p.time_ms FROM timing_passing p "
            "JOIN timing_start s ON p.start_id = s.id JOIN timing_pair pr ON s.pair_id = pr.id"
        ).fetchall()


def display(ms):
    seconds = ms // 10 / 100
    return f"{seconds:.2f}" if seconds < 60 else f"{int(seconds // 60)}:{seconds % 60:05.2f}"


def test_two_officials_and_a_device_at_once_store_no_duplicate_and_lose_nothing(setup):
    server, world, writers = setup
    race = world.race
    path = f"/api/races/{race}/passings"
    version = server.snapshot(race)["version"]
    jobs = []
    for pair, lane, point, ms in POINTS:
        for name, offset in OFFSET_MS.items():
            # confirm: the pairs are not started, which an official must confirm (soft warning).
            body = {"pair": pair, "lane": lane, "distance": point, "time_ms": ms + offset, "confirm": True}
            key = f"{name}-{pair}-{lane}-{point}"
            # The same request twice with one key (a retry racing its original), once without (a duplicate).
            jobs += [(name, (pair, lane, point), body, key), (name, (pair, lane, point), body, key),
                     (name, (pair, lane, point), body, None)]
    random.Random(7).shuffle(jobs)

    def run(job):
        name, where, body, key = job
        answer = writers[name].post(path, body, key)
        retries = 0
        while answer.status == 409 and answer.data.get("field") == "Idempotency-Key" and retries < 50:
            retries += 1  # the twin is still being handled: retry, as the answer says
            answer = writers[name].post(path, body, key)
        return job, answer

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(run, jobs))

    statuses = Counter(a.status for _, a in results)
    assert set(statuses) <= {201, 409}, f"unexpected answers: {[(j, a) for j, a in results if a.status not in (201, 409)]}"
    accepted = {}  # point -> (writer, answer) of the one fresh 201
    replays = []
    for (name, where, body, key), answer in results:
        if answer.status == 201 and answer.headers.get("Idempotent-Replayed") == "true":
            replays.append((name, where, answer))
        elif answer.status == 201:
            assert where not in accepted, f"two fresh 201s for {where}: {accepted[where]} and {answer}"
            assert answer.data["passing"]["time_ms"] == body["time_ms"]
            accepted[where] = (name, answer)
    assert set(accepted) == {p[:3] for p in POINTS}, "a point was lost: nobody's entry was accepted"

    board = current_passings(server.snapshot(race))
    assert board == {where: a.data["passing"]["time_ms"] for where, (_, a) in accepted.items()}
    assert sorted(stored_rows(world)) == sorted((*where, ms) for where, ms in board.items()), "a duplicate row"
    assert server.snapshot(race)["version"] == version + len(POINTS)
    for name, where, answer in replays:  # a replay is the first answer of that same writer, word for word
        assert accepted[where][0] == name and answer.data == accepted[where][1].data
    for (name, where, body, key), answer in results:
        if answer.status == 409:  # a real conflict: the point holds someone's time, and the answer names it
            assert answer.data["field"] == "distance", answer
            assert f"({display(board[where])})" in answer.data["error"], answer
    assert statuses[201] >= len(POINTS) and statuses[409] > 0


class Locked:
    """Hold SQLite's write lock from outside the server: every write stalls until released."""

    def __init__(self, world):
        self.db = sqlite3.connect(world.env["OVAL_SQLITE"], timeout=20, isolation_level=None)

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.db.execute("ROLLBACK")
        self.db.close()


@pytest.mark.parametrize("key", ["retry-after-timeout-1", None])
def test_a_device_retrying_after_a_client_side_timeout_stores_one_passing(setup, key):
    server, world, writers = setup
    race = world.race
    pair = 6 if key else 7
    body = {"pair": pair, "lane": "outer", "distance": 200, "time_ms": 18300}
    version = server.snapshot(race)["version"]
    gave_up = threading.Event()

    with Locked(world):
        def impatient():
            try:
                writers["device"].post(f"/api/races/{race}/passings", body, key, timeout=1)
            except OSError:
                gave_up.set()

        thread = threading.Thread(target=impatient)
        thread.start()
        thread.join(10)
        assert gave_up.is_set(), "the request did not stall behind the lock; the test proves nothing"
    # The abandoned request goes on inside the server and commits once the lock is free; the
    # device, not knowing that, sends it again a moment later.
    deadline = time.monotonic() + 10
    while not [r for r in stored_rows(world) if r[0] == pair]:
        assert time.monotonic() < deadline, "the abandoned request never committed"
        time.sleep(0.05)
    again = writers["device"].post(f"/api/races/{race}/passings", body, key)
    if key:
        assert again.status == 201 and again.headers.get("Idempotent-Replayed") == "true", again
    else:
        assert again.status == 409 and "(18.30)" in again.data["error"], again  # it says what is stored
    rows = [r for r in stored_rows(world) if r[0] == pair]
    assert rows == [(pair, "outer", 200, 18300)]
    assert server.snapshot(race)["version"] == version + 1
