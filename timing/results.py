"""The result list of a race: one plain structure for the page, the PDF, the exports and the board.

Everything a board already decided (ranks, shared ranks, the gap to the winner, record marks,
split and lap times, what is invented) is taken from the race snapshot (timing/snapshot.py) as
it is, never computed a second time; only the facts a snapshot does not carry (the date in the
venue's clock, the race kind) come from the Race row. The structure is plain data: dicts, lists,
strings and numbers, ready for a template, JSON, CSV or the PDF writer.

Decisions where the rules are silent (each is tested in tests/test_results.py):

* The list is UNOFFICIAL until the race is final, and again after it is reopened. ISU lists
  become official when the jury signs them; here, closing the race is that signature.
* Ranked skaters first, in the standings' order; then DNF, DQ and DNS (the standings' order of
  statuses) with their reasons; then anyone on the start list with neither a finish nor a
  status, as NT ("no time"): a result list accounts for every skater who was drawn, and an official
  who forgot a DNS sees the gap in the list instead of a skater silently missing.
* Splits are listed at every measuring point, the finish included, with the lap that ends
  there; a point without a passing (a missed transponder) is an empty cell, not a closed gap.
* The header lists the world, Olympic and track records as they stood before the race (the
  stored records; a record set in this race shows as the row's mark, not here).
* The date is the day the first pair started, in the venue's time zone; before any start, the
  race's planned day; failing both, the competition's first day.
* The builder dispatches on `race.kind`: team pursuit (teams, the third skater's time) and mass
  start (points, finish order) are builders of their own (timing/formats/results.py) returning
  the same header with their own rows.
"""
import json
from datetime import datetime, timezone

from django.utils.translation import gettext_noop

from . import snapshot
from .models import Race
from .rules.board import DNF, DNS, DQ, LANES, OK, RECORD_ORDER
from .rules.times import format_exact, format_time

#: The status of a skater with neither a finish nor a status ("no time", as athletics writes it).
NO_TIME = "NT"

#: What the list's start-order and gap columns are called, by kind: a team pursuit skates heats,
#: a mass start has bibs and ranks on points. The words here stay English (the JSON, the PDF and the
#: exports are one per race version); gettext_noop marks them for the catalogue, and the page translates them.
LABELS = {
    Race.INDIVIDUAL: {"slot": gettext_noop("Pair"), "behind": gettext_noop("Behind")},
    Race.TEAM_PURSUIT: {"slot": gettext_noop("Heat"), "behind": gettext_noop("Behind")},
    Race.MASS_START: {"slot": gettext_noop("Bib"), "behind": gettext_noop("Points")},
}

STATUS_NAMES = {
    DNS: gettext_noop("Did not start"), DNF: gettext_noop("Did not finish"), DQ: gettext_noop("Disqualified"),
    NO_TIME: gettext_noop("No time recorded"),
}


class Unsupported(Exception):
    """This kind of race has no result list yet."""


def build(race, snap):
    """The result list of `race` (a Race with its competition loaded) from its snapshot `snap`."""
    builder = BUILDERS.get(race.kind)
    if builder is None:
        raise Unsupported(f"There is no result list for {race.get_kind_display().lower()} races yet.")
    return builder(race, snap)


def load(race):
    """The result list as of the race's current version, from the cached snapshot every screen uses."""
    _, text = snapshot.race_text(race.id)
    return build(race, json.loads(text))


def _individual(race, snap):
    points = snap["race"]["points"]
    starts = {(p["number"], lane): p[lane] for p in snap["pairs"] for lane in LANES if p[lane]}
    rows = [_row(s, starts[(s["pair"], s["lane"])], points) for s in snap["standings"]]
    listed = {(s["pair"], s["lane"]) for s in snap["standings"]}
    for (pair, lane), start in sorted(starts.items(), key=lambda kv: (kv[0][0], LANES.index(kv[0][1]))):
        if (pair, lane) not in listed:
            rows.append(_row(_unlisted(pair, lane, start), start, points))
    return {
        **_header(race, snap),
        "ranked": [r for r in rows if r["rank"] is not None],
        "unranked": [r for r in rows if r["rank"] is None],
    }


def _header(race, snap):
    summary = snap["race"]
    final = summary["state"] == Race.FINAL
    day = _day(race, snap)
    return {
        "kind": race.kind,
        "labels": LABELS.get(race.kind, LABELS[Race.INDIVIDUAL]),
        "competition": summary["competition"]["name"],
        "venue": summary["competition"]["venue"],
        "date": day.isoformat() if day else None,
        "date_text": f"{day.day} {day:%B %Y}" if day else "",
        "race": {
            "id": summary["id"], "title": summary["title"], "category": summary["category"],
            "distance": summary["distance"],
        },
        "state": summary["state"],
        "official": final,
        "status_text": gettext_noop("Official results") if final else gettext_noop("UNOFFICIAL"),
        "version": snap["version"],
        "demo": summary["demo"],
        "points": points_header(summary["points"]),
        "records": _records_before(race),
    }


def _records_before(race):
    """The world, Olympic and track records the race was skated against, the best of each kind
    (national records are one per nation and belong to the rows' marks, not the header)."""
    best = {}
    for r in race.applicable_records():
        if r.kind != "NR" and (r.kind not in best or r.time_ms < best[r.kind].time_ms):
            best[r.kind] = r
    return [_record(r) for r in sorted(best.values(), key=lambda r: RECORD_ORDER.index(r.kind))]


def _record(r):
    year = r.date.year if r.date else None
    where = ", ".join(str(x) for x in (r.venue, year) if x)
    text = f"{r.kind} {format_time(r.time_ms)} {r.holder}" + (f" ({r.nation})" if r.nation else "")
    return {
        "kind": r.kind, "time": format_time(r.time_ms), "holder": r.holder, "nation": r.nation,
        "venue": r.venue, "year": year, "text": text + (f", {where}" if where else ""),
    }


def points_header(points):
    return [{"distance": d, "label": f"{d} m"} for d in points]


def _day(race, snap):
    zone = race.competition.zone
    starts = [p["started_at"] for p in snap["pairs"] if p["started_at"] is not None]
    if starts:
        return datetime.fromtimestamp(min(starts) / 1000, tz=timezone.utc).astimezone(zone).date()
    if race.scheduled_at:
        return race.scheduled_at.astimezone(zone).date()
    return race.competition.starts_on


def _unlisted(pair, lane, start):
    return {
        "rank": None, "name": start["name"], "nation": start["nation"], "invented": start["invented"],
        "pair": pair, "lane": lane, "status": NO_TIME, "time": None, "time_ms": None, "behind": None,
        "record": None,
    }


def _row(standing, start, points):
    passings = {p["distance"]: p for p in start["passings"]}
    finish = passings.get(points[-1]) if standing["time_ms"] is not None else None
    status = standing["status"]
    return {
        "rank": standing["rank"],
        "name": standing["name"],
        "nation": standing["nation"],
        "invented": standing["invented"],
        "pair": standing["pair"],
        "lane": standing["lane"],
        "status": status,
        "status_text": STATUS_NAMES.get(status, ""),
        "reason": start["status_reason"] if status != OK else "",
        "fell": start["fell"],
        "note": _note(status, start),
        "time": standing["time"],
        "time_ms": standing["time_ms"],
        "time_exact": format_exact(standing["time_ms"]),
        "time_invented": bool(finish and finish["invented"]),
        "behind": standing["behind"],
        "record": standing["record"],
        "splits": [_split(passings.get(d)) for d in points],
        "skated": bool(passings),
    }


def _note(status, start):
    """What a reader needs in words: "Disqualified: crossing", "Fell"."""
    parts = []
    if status != OK:
        reason = start["status_reason"]
        parts.append(f"{STATUS_NAMES[status]}: {reason}" if reason else STATUS_NAMES[status])
    if start["fell"]:
        parts.append("Fell")
    return " · ".join(parts)


def _split(p):
    if p is None:
        return None
    return {"distance": p["distance"], "time": p["time"], "lap": p["lap"], "rank": p["rank"], "invented": p["invented"]}


def _team_pursuit(race, snap):
    from .formats.results import team_pursuit

    return team_pursuit(race, snap)


def _mass_start(race, snap):
    from .formats.results import mass_start

    return mass_start(race, snap)


BUILDERS = {Race.INDIVIDUAL: _individual, Race.TEAM_PURSUIT: _team_pursuit, Race.MASS_START: _mass_start}
