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
    """
    source = Race.objects.select_related("competition").get(pk=source_id)
    race = clone_race(source, f"{source.title} (live replay)")
    say = (lambda msg: (out.write(msg), out.flush())) if out else (lambda msg: None)
    say(
        f"Replaying {source.title} live as race {race.id}:\n"
        f"  stadium board  {base}/races/{race.id}/board/\n"
        f"  spectators     {base}/races/{race.id}/\n"
        f"  officials      {base}/officials/races/{race.id}/"
    )
    script = recorded_script(source)
    statuses = {
        (s.pair.number, s.lane): s
        for s in Start.objects.filter(pair__race=source).select_related("pair").exclude(status="OK", fell=False)
    }
    pairs = sorted({row[0] for row in script} | {p for p, _ in statuses} | set(source.pairs.values_list("number", flat=True)))
    for n, number in enumerate(p for p in pairs if p >= from_pair):
        if n:
            sleep(pause / speed)
        for (p, lane), s in statuses.items():
            if p == number and s.status == "DNS":
                services.set_status(race.id, p, lane, "DNS", s.status_reason, services.REPLAY)
        services.start_pair(race.id, number, services.REPLAY)
        started = clock()
        for pair, ms, lane, point, invented in script:
            if pair != number:
                continue
            delay = started + ms / 1000 / speed - clock()
            if delay > 0:
                sleep(delay)
            services.record_passing(race.id, pair, lane, point, ms, services.REPLAY, invented=invented)
        for (p, lane), s in statuses.items():
            if p != number:
                continue
            if s.fell:
                services.set_fall(race.id, p, lane, True, services.REPLAY)
            if s.status in ("DNF", "DQ"):
                services.set_status(race.id, p, lane, s.status, s.status_reason, services.REPLAY)
        say(f"pair {number} done at {timezone.now():%H:%M:%S}")
    services.set_race_state(race.id, Race.FINAL, services.REPLAY)
    say(f"Replay of {source.title} finished: race {race.id} is final.")
    return race
