"""An invented team pursuit and an invented mass start for the demo, next to the reference race.

Nothing here is a real result: every team, skater and time is made up (marked invented, so every
page shows its "*"), generated from a fixed seed so the demo is the same on every machine. They
are recorded through the service layer, like the reference race.
"""
import datetime as dt
import random

from django.db import transaction

from .. import services
from ..models import Race
from ..rules import mass_start
from ..startlists import Entry, create_race
from . import crossings

COMPETITION = "Oval demo World Cup (invented)"
FIRST_START = dt.datetime(2026, 11, 22, 14, 0, tzinfo=dt.timezone.utc)
TEAMS = [("NED", "Netherlands"), ("CAN", "Canada"), ("JPN", "Japan"), ("USA", "United States")]
NATIONS = ["NED", "NOR", "ITA", "CAN", "USA", "JPN", "KOR", "BEL", "GER", "POL"]


def _race(title, category, distance, entries, kind):
    existing = Race.objects.filter(competition__name=COMPETITION, title=title, demo=True).first()
    if existing:
        return existing, False
    with transaction.atomic():
        race = create_race(COMPETITION, title, category, distance, entries, demo=True, kind=kind)
    return race, True


def load_team_pursuit(skated=True):
    """Two heats of the women's 2400 m; the third skater's times, every lap, all invented."""
    entries = [
        Entry(1 + i // 2, ("inner", "outer")[i % 2], name, nation, invented=True,
              team_skaters=tuple(f"Demo {nation} {n}" for n in (1, 2, 3)))
        for i, (nation, name) in enumerate(TEAMS)
    ]
    race, created = _race("Women's team pursuit (invented demo)", "Women", 2400, entries, Race.TEAM_PURSUIT)
    if created and skated:
        rng = random.Random(2400)
        for heat in (1, 2):
            services.start_pair(race.id, heat, services.IMPORT, at=FIRST_START + dt.timedelta(minutes=10 * heat))
            laps = {}
            for lane in ("inner", "outer"):
                total, times = 0, []
                for lap in range(6):
                    total += (30200 if lap == 0 else 28300) + rng.randrange(0, 900)
                    times.append(total)
                laps[lane] = times
            events = sorted((ms, lane, 400 * (i + 1)) for lane, times in laps.items() for i, ms in enumerate(times))
            for ms, lane, point in events:
                services.record_passing(race.id, heat, lane, point, ms, services.IMPORT, invented=True)
        services.set_race_state(race.id, Race.FINAL, services.IMPORT)
        race.refresh_from_db()
    return race, created


def mass_start_script(skaters=20, seed=6400):
    """Every crossing of an invented 16-lap race, in the order they happened: (ms, bib).

    A pack at about 31 s a lap, shuffled a little each lap, a sprint for the points at laps 4, 8
    and 12 and at the finish, and bib 20 stopping after lap 9 (a DNF)."""
    rng = random.Random(seed)
    bibs = list(range(1, skaters + 1))
    front = 0
    events = []
    for lap in range(1, mass_start.LAPS + 1):
        front += 27500 if lap in mass_start.SPRINT_LAPS else 31000 + rng.randrange(0, 1500)
        order = bibs[:]
        rng.shuffle(order)
        gap = 0
        for bib in order:
            if bib == skaters and lap > 9:
                continue
            gap += rng.randrange(80, 450) if lap in mass_start.SPRINT_LAPS else rng.randrange(20, 300)
            events.append((front + gap, bib))
    return sorted(events)


def load_mass_start(skated=True, skaters=20):
    entries = [Entry(1, "", f"Demo skater {bib}", NATIONS[(bib - 1) % len(NATIONS)], invented=True, bib=bib)
               for bib in range(1, skaters + 1)]
    race, created = _race("Men's mass start (invented demo)", "Men", mass_start.DISTANCE, entries, Race.MASS_START)
    if created and skated:
        services.start_pair(race.id, 1, services.IMPORT, at=FIRST_START + dt.timedelta(minutes=40))
        for ms, bib in mass_start_script(skaters):
            crossings.record_crossing(race.id, bib, ms, services.IMPORT, invented=True)
        crossings.set_bib_status(race.id, skaters, "DNF", "stopped after lap 9 (invented)", services.IMPORT)
        services.set_race_state(race.id, Race.FINAL, services.IMPORT)
        race.refresh_from_db()
    return race, created
