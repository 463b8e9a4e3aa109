"""The reference race, Milano Cortina 2026 women's 1000 m, loaded from timing/data through the
service layer, so the demo exercises the same path as a real race."""
import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from . import services
from .models import Race, Record
from .rules.times import parse_time
from .startlists import Entry, create_race

DATA = Path(__file__).parent / "data" / "milano2026_women_1000.json"


def load_data():
    return json.loads(DATA.read_text())


def script(data):
    """Every passing of the race, in the order it happened: (pair, lane, point, ms, invented)."""
    events = []
    for p in data["pairs"]:
        for lane in ("inner", "outer"):
            s = p.get(lane)
            if not s:
                continue
            for point, text in s["times"].items():
                events.append((p["number"], parse_time(text), lane, int(point), point in s["invented_times"]))
    return [(pair, lane, point, ms, inv) for pair, ms, lane, point, inv in sorted(events)]


def load(skated=True):
    """Create the demo race (once) and, if `skated`, record every time. Returns (race, created)."""
    data = load_data()
    c, r = data["competition"], data["race"]
    existing = Race.objects.filter(competition__name=c["name"], title=r["title"], demo=True).first()
    if existing:
        return existing, False
    with transaction.atomic():
        for rec in data["records"]:
            Record.objects.get_or_create(
                kind=rec["kind"], category=rec["category"], distance=rec["distance"],
                time_ms=parse_time(rec["time"]), holder=rec["holder"],
                defaults={"nation": rec["nation"], "venue": rec["venue"], "date": rec["date"]},
            )
        entries = [
            Entry(p["number"], lane, s["name"], s["nation"], invented=s.get("invented_skater", False))
            for p in data["pairs"] for lane in ("inner", "outer") if (s := p.get(lane))
        ]
        race = create_race(c["name"], r["title"], r["category"], r["distance"], entries, venue=c["venue"],
                           demo=True, olympic=c["olympic"], starts_on=c["starts_on"], ends_on=c["ends_on"])
    if skated:
        first = dt.datetime.fromisoformat(r["first_start"])
        started = set()
        for pair, lane, point, ms, invented in script(data):
            if pair not in started:
                at = first + dt.timedelta(seconds=r["pair_interval_s"] * (pair - 1))
                services.start_pair(race.id, pair, services.IMPORT, at=at)
                started.add(pair)
            services.record_passing(race.id, pair, lane, point, ms, services.IMPORT, invented=invented)
        services.set_race_state(race.id, Race.FINAL, services.IMPORT)
        race.refresh_from_db()
    return race, True
