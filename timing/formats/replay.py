"""Replaying a recorded mass start: its crossings at their recorded times from the start, its
statuses as the race left them. Called by timing/replay.py for a mass start."""
from .. import services
from ..models import Crossing, Start
from . import crossings


def replay_mass_start(source, race, speed, sleep, clock):
    rows = sorted(
        Crossing.objects.current().filter(start__pair__race=source).values_list("time_ms", "start__bib", "invented")
    )
    statuses = list(Start.objects.filter(pair__race=source).exclude(status="OK").values_list("bib", "status",
                                                                                              "status_reason"))
    for bib, status, reason in statuses:
        if status == "DNS":
            crossings.set_bib_status(race.id, bib, status, reason, services.REPLAY)
    services.start_pair(race.id, 1, services.REPLAY)
    started = clock()
    for ms, bib, invented in rows:
        delay = started + ms / 1000 / speed - clock()
        if delay > 0:
            sleep(delay)
        crossings.record_crossing(race.id, bib, ms, services.REPLAY, invented=invented)
    for bib, status, reason in statuses:
        if status != "DNS":
            crossings.set_bib_status(race.id, bib, status, reason, services.REPLAY)
