"""Replaying a recorded race: a fresh copy, the same board at the end, at the recorded pace."""
import json
import re
import subprocess
import time

import pytest
from websockets.sync.client import connect

from tests.procs import PYTHON, ROOT, base_env, free_port, manage, stop
from timing.models import Change, Race
from timing.replay import recorded_script, replay_race

pytestmark = pytest.mark.django_db


class FakeTime:
    """A clock that moves only when the replay sleeps, so pacing is checked without waiting."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now


def results(snap):
    return [(s["rank"], s["name"], s["time_ms"], s["record"]) for s in snap["standings"]]


def test_it_replays_into_a_fresh_copy_and_ends_on_the_same_board(demo_race, snap):
    fake = FakeTime()
    copy = replay_race(demo_race.id, speed=1, pause=20, sleep=fake.sleep, clock=fake.clock)
    assert copy.id != demo_race.id and Race.objects.get(pk=copy.id).state == Race.FINAL
    assert results(snap(copy.id)) == results(snap(demo_race.id))
    assert snap(demo_race.id)["version"] == demo_race.version  # the recording is left as it was
    assert set(Change.objects.filter(race=copy).values_list("source", flat=True)) == {"replay"}


def test_it_keeps_the_recorded_pace_divided_by_the_speed(demo_race):
    fake = FakeTime()
    replay_race(demo_race.id, speed=10, pause=20, from_pair=14, sleep=fake.sleep, clock=fake.clock)
    # Pair 14 ends at Yamada's 1:15.16, then a 20 s pause, then pair 15 ends at Takagi's 1:13.95.
    assert fake.now == pytest.approx((75.16 + 20 + 73.95) / 10)


def test_serve_replays_the_demo_live_to_a_spectator(tmp_path):
    """`make run`'s last step: Daphne and the replay in one process, a spectator watching."""
    env = base_env(OVAL_SQLITE=str(tmp_path / "run.sqlite3"))
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "loaddemo")
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "manage.py", "serve", "--port", str(port), "--replay", "demo", "--speed", "20", "--pause", "1",
         "--from-pair", "15"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        race_id = None
        for line in server.stdout:
            found = re.search(r"live as race (\d+)", line)
            if found:
                race_id = int(found.group(1))
                break
        assert race_id, "serve never announced the replay"
        leerdam = None
        with connect(f"ws://127.0.0.1:{port}/ws/races/{race_id}/", origin=f"http://127.0.0.1:{port}") as ws:
            deadline = time.monotonic() + 30
            while leerdam is None and time.monotonic() < deadline:
                message = json.loads(ws.recv(timeout=30))
                for pair in message.get("pairs", []):
                    finish = [p for p in pair["outer"]["passings"] if p["distance"] == 1000]
                    if pair["number"] == 15 and finish:
                        leerdam = finish[0]
        assert leerdam and (leerdam["time"], leerdam["leads"], leerdam["record"]) == ("1:12.31", True, "OR")
    finally:
        stop(server)


def test_an_officials_entry_in_the_replayed_race_is_logged_and_the_replay_goes_on(demo_race, official):
    """The issue's case: the replay wrote a time the official had entered first, got a Conflict and
    died, leaving the race live forever. Now the refused step is logged and the replay finishes."""
    from io import StringIO

    from timing import services

    fake, seen = FakeTime(), {}
    pair_15 = [row for row in recorded_script(demo_race) if row[0] == 15]
    first = min(pair_15, key=lambda row: row[1])  # (pair, ms, lane, point, invented) the replay writes first

    def sleep(seconds):
        fake.sleep(seconds)
        race = Race.objects.filter(title__endswith="(live replay)").get()
        if race.current_pair == 15 and "done" not in seen and Race.objects.get(pk=race.pk).pairs.get(number=15).started_at:
            seen["replay_of"] = race.replay_of_id
            actor = services.Actor.official(official)
            with pytest.raises(services.Unconfirmed) as warned:  # the console asks first
                services.record_passing(race.id, 15, first[2], first[3], first[1] + 5, actor)
            seen["warning"] = warned.value.warning
            services.record_passing(race.id, 15, first[2], first[3], first[1] + 5, actor, confirm=True)
            seen["done"] = True

    out = StringIO()
    copy = replay_race(demo_race.id, speed=10, pause=20, from_pair=15, out=out, sleep=sleep, clock=fake.clock)
    copy.refresh_from_db()
    assert (seen["replay_of"], seen["warning"]) == (demo_race.id, "replaying")
    assert copy.state == Race.FINAL and copy.replay_of_id is None
    assert f"skipped record_passing(15, '{first[2]}', {first[3]}, {first[1]})" in out.getvalue()
    # the official's time stands; every other recorded time of pair 15 was replayed
    assert Change.objects.filter(race=copy, source="official").count() == 1
    assert Change.objects.filter(race=copy, source="replay", action="passing", pair=15).count() == len(pair_15) - 1
