"""A demo allround championship whose every skater and time is INVENTED (marked so on every page),
so that a newcomer can watch a classification move live: the first three distances are loaded
skated and final, the 5000 m is skated live by `play` (serve --championship), pair by pair.

Everything goes through the service layer, like the reference race in timing/demo.py.
"""
import time

from django.db import transaction

from . import services
from .classifications import create_classification
from .models import Classification, Race
from .rules import classification as rules
from .rules.points import measuring_points
from .rules.times import parse_time
from .startlists import Entry, create_race

COMPETITION = "Demo Allround Championship (invented)"
NAME = "Allround women (invented demo)"
DISTANCES = rules.ALLROUND_DISTANCES["women"]

#: name, nation, 500 m, 3000 m, 1500 m, 5000 m. Invented: nobody skated these.
SKATERS = [
    ("Ilse Voorbeeld", "NED", "38.61", "3:59.84", "1:54.90", "6:50.12"),
    ("Marit Proef", "NOR", "39.02", "3:58.12", "1:55.61", "6:47.33"),
    ("Hana Tameshi", "JPN", "38.20", "4:03.55", "1:54.12", "7:01.80"),
    ("Clara Muster", "GER", "38.95", "4:01.20", "1:56.03", "6:55.41"),
    ("Nora Esempio", "ITA", "39.40", "4:00.02", "1:56.88", "6:52.97"),
    ("Eva Przyklad", "POL", "38.77", "4:04.61", "1:55.37", "7:03.20"),
    ("Lily Sample", "CAN", "39.61", "3:59.10", "1:57.20", "6:49.05"),
    ("Greta Exempel", "SWE", "39.15", "4:02.73", "1:56.44", "6:58.66"),
    ("Mia Beispiel", "AUT", "39.90", "4:05.30", "1:57.95", "7:08.00"),
    ("Rosa Ejemplo", "ESP", "40.12", "4:06.02", "1:58.40", "7:10.00"),
]
#: A 5000 m split: the first 200 m cost this much more than an even pace would.
START_COST_MS = 4000


def _entries(names):
    return [Entry(n // 2 + 1, ("inner", "outer")[n % 2], name, nation, invented=True)
            for n, (name, nation) in enumerate(names)]


def load():
    """Create the championship once: three distances skated, the 5000 m start list, the
    classification. Returns (classification, created)."""
    found = Classification.objects.filter(competition__name=COMPETITION, name=NAME).first()
    if found:
        return found, False
    people = [(s[0], s[1]) for s in SKATERS]
    races = []
    with transaction.atomic():
        for i, d in enumerate(DISTANCES[:3]):
            order = people if i != 1 else people[::-1]  # another draw for the 3000 m
            races.append(create_race(COMPETITION, f"Women's {d} m (invented demo)", "Women", d, _entries(order),
                                     venue="Demo Oval", demo=True))
    for i, race in enumerate(races):
        for start in race.pairs.all().prefetch_related("starts__skater"):
            services.start_pair(race.id, start.number, services.IMPORT)
            for s in start.starts.all():
                row = next(x for x in SKATERS if x[0] == s.skater.name)
                services.record_passing(race.id, start.number, s.lane, race.distance, parse_time(row[2 + i]),
                                        services.IMPORT, invented=True)
        services.set_race_state(race.id, Race.FINAL, services.IMPORT)
    # The 5000 m: the eight qualified, the best last (reverse order of the classification).
    outcomes = [
        {(s[0], s[1], ""): rules.Outcome(time_ms=parse_time(s[2 + i])) for s in SKATERS} for i in range(3)
    ]
    table = rules.classify(rules.ALLROUND, DISTANCES, outcomes + [{}], over=(True, True, True, False))
    qualified = [(r.key[0], r.key[1]) for r in table.rows if r.qualified][::-1]
    races.append(create_race(COMPETITION, "Women's 5000 m (invented demo)", "Women", 5000, _entries(qualified),
                             venue="Demo Oval", demo=True))
    c = create_classification(races[0].competition_id, NAME, rules.ALLROUND, [r.id for r in races], services.IMPORT)
    return c, True


def splits(finish_ms, distance=5000):
    """Invented splits: an even pace after a slower start, ending on the finish."""
    points = measuring_points(distance)
    return [(p, START_COST_MS + (finish_ms - START_COST_MS) * p // distance) for p in points]


def play(speed=1.0, pause=20.0, out=None, sleep=time.sleep, clock=time.monotonic):
    """Skate the 5000 m live: each pair's invented splits at their times (divided by `speed`)."""
    c, _ = load()
    race = c.ordered_races()[-1]
    say = (lambda msg: (out.write(msg + "\n"), out.flush())) if out else (lambda msg: None)
    say(f"Championship: classification /classifications/{c.id}/, 5000 m live at /races/{race.id}/")
    pairs = list(race.pairs.order_by("number").prefetch_related("starts__skater"))
    for n, pair in enumerate(pairs):
        if any(s.passings.exists() for s in pair.starts.all()):
            continue  # skated already (a restarted demo)
        if n:
            sleep(pause / speed)
        services.start_pair(race.id, pair.number, services.REPLAY, restart=pair.started_at is not None)
        events = sorted(
            (ms, s.lane, point)
            for s in pair.starts.all()
            for point, ms in splits(parse_time(next(x[5] for x in SKATERS if x[0] == s.skater.name)))
        )
        started = clock()
        for ms, lane, point in events:
            delay = started + ms / 1000 / speed - clock()
            if delay > 0:
                sleep(delay)
            services.record_passing(race.id, pair.number, lane, point, ms, services.REPLAY, invented=True)
        say(f"5000 m pair {pair.number} done")
    if Race.objects.get(pk=race.id).state != Race.FINAL:
        services.set_race_state(race.id, Race.FINAL, services.REPLAY)
    return c
