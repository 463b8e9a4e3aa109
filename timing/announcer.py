"""Facts for the speaker: what a skater on the ice needs, and the records in play.

Decisions (tested in tests/test_announcer.py):

* To lead, a skater must beat the leader's time; equalling it to the thousandth shares the lead
  (ranks are shared, DOMAIN.md), so the target is "faster than" the leader, "equal" shares.
* For the podium she must be no slower than the third time in the standings' order: equal
  thousandths share that rank. With fewer than three finishers, any finish is a podium.
* The records in play are the race's applicable records (world, Olympic at the Games, national,
  the venue's), the fastest first; the venue's track records are listed for every distance.
* The projected finish is the race snapshot's (timing/rules/projection.py), not computed here.
* Classification targets are the classification table's (timing/classification_table.py) for
  the pair on the ice and the next pair, of every classification whose next distance this race
  is. They are read with the facts, at the race's version: the targets of a distance move only
  with its own results (the earlier distances are over), so the race's version is theirs.
"""
import json

from . import classification_table, snapshot
from .models import Classification, Race, Record
from .rules.times import format_time

PODIUM = 3


def targets(finish_times):
    """(lead_ms, podium_ms) from the ranked finish times in standings order; None when open."""
    times = [t for t in finish_times if t is not None]
    lead = times[0] if times else None
    podium = times[PODIUM - 1] if len(times) >= PODIUM else None
    return lead, podium


def _record(r):
    return {
        "kind": r.kind, "category": r.category, "distance": r.distance, "time_ms": r.time_ms,
        "time": format_time(r.time_ms), "holder": r.holder, "nation": r.nation,
        "date": r.date.isoformat() if r.date else None,
    }


def classification_targets(race):
    """Per classification whose next distance is `race`: its targets for the pair on the ice and
    the next pair, each with her lane, rank and points before this distance."""
    found = []
    pairs = {race.current_pair, race.current_pair + 1}
    for c in Classification.objects.filter(entries__race=race).order_by("id"):
        table = classification_table.build(c)
        nxt = table["next"]
        if nxt is None or nxt["race"] != race.id:
            continue
        found.append({
            "id": c.id, "name": c.name, "kind": c.kind, "distance": nxt["distance"],
            "targets": [t for t in nxt["targets"] if t["pair"] in pairs],
        })
    return found


def facts(race_id):
    """The announcer's facts at the race's current version, or None for an unknown race."""
    version, text = snapshot.race_text(race_id)
    if version is None:
        return None
    snap = json.loads(text)
    race = Race.objects.select_related("competition").get(pk=race_id)
    ranked = [s for s in snap["standings"] if s["rank"] is not None]
    lead, podium = targets([s["time_ms"] for s in ranked])
    leader = ranked[0] if ranked else None
    venue = race.competition.venue
    return {
        "race": race_id,
        "version": version,
        "leader": None if leader is None else {k: leader[k] for k in ("name", "nation", "time", "time_ms", "record")},
        "to_lead_ms": lead,
        "to_lead": format_time(lead),
        "podium_ms": podium,
        "podium": format_time(podium),
        "records": [_record(r) for r in sorted(race.applicable_records(), key=lambda r: r.time_ms)],
        "venue": venue,
        "venue_records": [
            _record(r) for r in Record.objects.filter(kind="TR", venue=venue).order_by("category", "distance")
        ] if venue else [],
        "classifications": classification_targets(race),
    }
