"""SIGKILL of the server in the middle of a pair loses no acknowledged time and invents none.

A device posts the demo's pairs 1-3 through the HTTP API of a real `manage.py serve` process on a
SQLite file, with an Idempotency-Key per write, as docs/api.md asks of devices. The server is
killed with SIGKILL at a random moment (several times), restarted on the same port, and then:
every write that was answered 2xx before the kill is in the snapshot; the only other thing that
may be there is the one write that was in flight when the process died; the device retries that
one with the same key and gets a 2xx without a second copy; at the end the board holds exactly
the posted times and the race version moved once per write.
"""
import http.client
import json
import random
import threading

import pytest

from tests.procs import Server, current_passings, device_post, sqlite_world

pytestmark = pytest.mark.slow

PAIRS = {  # pair -> [(lane, point, ms)] in the order they happen (demo pair 1's times, shifted per pair)
    n: [(lane, point, ms + 37 * n) for lane, point, ms in [
        ("outer", 200, 18050), ("inner", 200, 18190), ("outer", 600, 45290),
        ("inner", 600, 46050), ("outer", 1000, 75460), ("inner", 1000, 77150)]]
    for n in (1, 2, 3)
}


def writes(race_id):
    """Every write of the three pairs, in order: (key, path, body, passing or None)."""
    out = []
    for pair, passings in PAIRS.items():
        out.append((f"start-{pair}", f"/api/races/{race_id}/pairs/{pair}/start", {}, None))
        for lane, point, ms in passings:
            out.append((f"p{pair}-{lane}-{point}", f"/api/races/{race_id}/passings",
                        {"pair": pair, "lane": lane, "distance": point, "time_ms": ms}, (pair, lane, point, ms)))
    return out


class Device:
    """Posts writes one after another until the connection fails; remembers what was acknowledged."""

    def __init__(self, server, token, todo):
        self.server, self.token, self.todo = server, token, list(todo)
        self.acked = []  # writes answered 2xx
        self.in_flight = None  # the write whose answer never came
        self.refused = []
        self.progress = threading.Condition()

    def run(self):
        while self.todo:
            write = self.todo[0]
            key, path, body, _ = write
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
                conn.request("POST", path, json.dumps(body), {
                    "Content-Type": "application/json", "Authorization": f"Bearer {self.token}", "Idempotency-Key": key})
                status = conn.getresponse().status
                conn.close()
            except OSError:
                self.in_flight = write
                self.todo.pop(0)
                return
            self.todo.pop(0)
            with self.progress:
                (self.acked if 200 <= status < 300 else self.refused).append((write, status))
                self.progress.notify_all()


def test_it_keeps_every_acknowledged_time_and_nothing_else_across_sigkills(tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    world = sqlite_world(tmp_path / "kill.sqlite3")
    server = Server(world.env, log=tmp_path / "serve.log").start()
    try:
        initial = server.snapshot(world.race)["version"]
        todo = writes(world.race)
        stored = {}  # (pair, lane, point) -> ms of every write known to have committed
        done_writes = 0
        kills = 0
        while todo:
            device = Device(server, world.token, todo)
            thread = threading.Thread(target=device.run, daemon=True)
            thread.start()
            kill_after = rng.randint(1, 5)
            with device.progress:
                device.progress.wait_for(lambda: len(device.acked) >= kill_after or not device.todo, timeout=30)
            if device.todo:
                threading.Event().wait(rng.uniform(0, 0.03))  # anywhere inside the next request
                server.kill()
                kills += 1
            thread.join(15)
            assert not thread.is_alive()
            assert not device.refused, f"refused writes (seed {seed}): {device.refused}"
            for (_, _, _, passing), _ in device.acked:
                if passing:
                    stored[passing[:3]] = passing[3]
            done_writes += len(device.acked)
            todo = device.todo

            if not server.alive():
                server = Server(world.env, port=server.port, log=server.log).start()
            board = current_passings(server.snapshot(world.race))
            maybe = {device.in_flight[3][:3]: device.in_flight[3][3]} if device.in_flight and device.in_flight[3] else {}
            assert {k: board.get(k) for k in stored} == stored, f"an acknowledged time was lost (seed {seed})"
            extra = {k: v for k, v in board.items() if k not in stored}
            assert extra.items() <= maybe.items(), f"a time nobody acknowledged appeared (seed {seed}): {extra}"

            if device.in_flight:
                # The device never heard back: it retries with the same key and gets the one answer.
                key, path, body, passing = device.in_flight
                answer = device_post(server, path, body, world.token, key=key)
                assert answer.status in (200, 201), f"retry of {key} (seed {seed}): {answer}"
                if passing:
                    stored[passing[:3]] = passing[3]
                done_writes += 1

        final = server.snapshot(world.race)
        assert current_passings(final) == {(p, lane, pt): ms for p, ps in PAIRS.items() for lane, pt, ms in ps}
        assert current_passings(final) == stored
        assert final["version"] == initial + done_writes == initial + len(writes(world.race))
        assert kills >= 2, f"only {kills} kills happened (seed {seed}); the test proved too little"
    finally:
        server.stop()
