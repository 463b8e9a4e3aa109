"""Replaying a recorded race live, through the service layer, at real pace or faster.

The source race is left as it is; the replay runs on a fresh copy of its start list, so a
recorded result is never overwritten and the replay can be run again.
"""
import time

from django.utils import timezone

from . import services
from .models import Passing, Race, Start
from .startlists import clone_race


def recorded_script(race):
    """(pair, ms, lane, point, invented) of every current passing, in the order they happened."""
    rows = Passing.objects.current().filter(start__pair__race=race).values_list(
        "start__pair__number", "time_ms", "start__lane", "distance", "invented"
    )
    return sorted(rows)


def replay_race(source_id, speed=1.0, pause=20.0, from_pair=1, out=None, base="", sleep=time.sleep,
                clock=time.monotonic):
    """Run `source_id`'s recorded race again, live, on a fresh copy; returns the copy.

    Each pair starts `pause` seconds after the previous one finished and its passings come at
    their recorded times from the start, both divided by `speed`.

    Officials may write to the copy while it runs (a demo at the desk, a test of the console), so
    a step the service layer refuses (the official entered that time first, or closed the race) is
    logged and skipped, never fatal. While it runs, the copy's `replay_of` names the recording: an
    official's console says so and asks before a manual entry.
    """
    source = Race.objects.select_related("competition").get(pk=source_id)
    race = clone_race(source, f"{source.title} (live replay)")
    # A fresh row nobody watches yet; the first service write below publishes it with the rest.
    Race.objects.filter(pk=race.pk).update(replay_of=source)
    say = (lambda msg: (out.write(msg), out.flush())) if out else (lambda msg: None)

    def step(call, *args, **kwargs):
        try:
            call(race.id, *args, services.REPLAY, **kwargs)
        except services.ServiceError as e:
            say(f"skipped {call.__name__}{args}: {e.message}\n")

    say(
        f"Replaying {source.title} live as race {race.id}:\n"
        f"  stadium board  {base}/races/{race.id}/board/\n"
        f"  spectators     {base}/races/{race.id}/\n"
        f"  officials      {base}/officials/races/{race.id}/"
    )
    if source.kind == Race.MASS_START:
        from .formats.replay import replay_mass_start

        replay_mass_start(source, race, speed, sleep, clock)
        services.set_race_state(race.id, Race.FINAL, services.REPLAY)
        say(f"Replay of {source.title} finished: race {race.id} is final.")
        return race
    script = recorded_script(source)
    statuses = {
        (s.pair.number, s.lane): s
        for s in Start.objects.filter(pair__race=source).select_related("pair").exclude(status="OK", fell=False)
    }
    pairs = sorted({row[0] for row in script} | {p for p, _ in statuses} | set(source.pairs.values_list("number", flat=True)))
    try:
        for n, number in enumerate(p for p in pairs if p >= from_pair):
            if n:
                sleep(pause / speed)
            for (p, lane), s in statuses.items():
                if p == number and s.status == "DNS":
                    step(services.set_status, p, lane, "DNS", s.status_reason)
            step(services.start_pair, number)
            started = clock()
            for pair, ms, lane, point, invented in script:
                if pair != number:
                    continue
                delay = started + ms / 1000 / speed - clock()
                if delay > 0:
                    sleep(delay)
                step(services.record_passing, pair, lane, point, ms, invented=invented)
            for (p, lane), s in statuses.items():
                if p != number:
                    continue
                if s.fell:
                    step(services.set_fall, p, lane, True)
                if s.status in ("DNF", "DQ"):
                    step(services.set_status, p, lane, s.status, s.status_reason)
            say(f"pair {number} done at {timezone.now():%H:%M:%S}")
    finally:
        # Cleared before the last write, so the final snapshot no longer calls the race a replay.
        Race.objects.filter(pk=race.pk).update(replay_of=None)
    step(services.set_race_state, Race.FINAL)
    say(f"Replay of {source.title} finished: race {race.id} is final.")
    return race
