"""A classification as every screen sees it: its races' stored results in, the rules' table and
targets out, as plain JSON data (see docs/api.md). Computed on every read, so it can never lag
behind a committed change of one of its races; its version is the classification's own plus its
races', which only grow.
"""
from django.db.models import F

from . import topics
from .messages import dumps, now_ms
from .models import Classification, ClassificationRace, Competition, Passing, Race, Start
from .prepared import Prepared
from .publish import publish_on_commit
from .rules import classification as rules
from .rules.board import OK
from .rules.times import format_time


def skater_keys(skaters):
    """skater id -> the key of the person across races.

    The same person is the same licence when both rows have one, or else the same name and nation
    exactly. A row without a licence joins the licence holder of its name and nation (one only;
    with two different licences under one name the name alone cannot tell them apart).
    """
    by_licence, holders = {}, {}
    for s in skaters:
        if s["licence"]:
            by_licence.setdefault(s["licence"], s)
            holders.setdefault((s["name"], s["nation"]), set()).add(s["licence"])
    keys = {}
    for s in skaters:
        licence = s["licence"]
        if not licence:
            found = holders.get((s["name"], s["nation"]), set())
            licence = next(iter(found)) if len(found) == 1 else ""
        first = by_licence.get(licence, s)
        keys[s["id"]] = (first["name"], first["nation"], licence)
    return keys


def _results(races):
    """Per race: start rows with the skater and the finish, in start order."""
    starts = list(
        Start.objects.filter(pair__race__in=races)
        .order_by("pair__race_id", "pair__number", "lane")  # inner before outer
        .values("id", "status", "lane", "skater_id", "pair__race_id", "pair__number",
                "skater__name", "skater__nation", "skater__licence", "skater__invented")
    )
    finishes = {
        p["start_id"]: p
        for p in Passing.objects.current()
        .filter(start__pair__race__in=races, distance=F("start__pair__race__distance"))
        .values("start_id", "time_ms", "invented")
    }
    return starts, finishes


def _skater(key, invented):
    return {"name": key[0], "nation": key[1], "invented": invented}


def build(classification):
    races = classification.ordered_races()
    distances = [r.distance for r in races]
    starts, finishes = _results(races)
    keys = skater_keys(
        {s["skater_id"]: {"id": s["skater_id"], "name": s["skater__name"], "nation": s["skater__nation"],
                          "licence": s["skater__licence"]} for s in starts}.values()
    )
    index = {r.id: i for i, r in enumerate(races)}
    outcomes = [{} for _ in races]
    entered = [[] for _ in races]  # (key, pair) in start order
    lanes = [{} for _ in races]  # key -> lane
    shown = [{} for _ in races]  # key -> (time_ms, invented) for the results column
    invented = {}
    for s in starts:
        i, key = index[s["pair__race_id"]], keys[s["skater_id"]]
        invented[key] = invented.get(key, False) or s["skater__invented"]
        entered[i].append((key, s["pair__number"]))
        lanes[i][key] = s["lane"]
        finish = finishes.get(s["id"])
        if s["status"] != OK:
            outcomes[i][key] = rules.Outcome(s["status"])
        elif finish is not None:
            outcomes[i][key] = rules.Outcome(time_ms=finish["time_ms"])
            shown[i][key] = finish["invented"]
    over = [
        r.state == Race.FINAL or (bool(entered[i]) and all(k in outcomes[i] for k, _ in entered[i]))
        for i, r in enumerate(races)
    ]
    nxt = next((i for i in range(len(races)) if not over[i]), None)
    upcoming = [k for k, _ in entered[nxt] if k not in outcomes[nxt]] if nxt is not None else []
    everyone = {k for i in range(len(races)) for k, _ in entered[i]}
    table = rules.classify(classification.kind, distances, outcomes, over=over, upcoming=upcoming, skaters=everyone)
    version = classification.version + sum(r.version for r in races)

    def results(row):
        cells = []
        for i, race in enumerate(races):
            o = outcomes[i].get(row.key)
            valid = o is not None and o.valid
            cells.append({
                "race": race.id, "distance": race.distance,
                "time_ms": o.time_ms if valid else None,
                "time": format_time(o.time_ms) if valid else None,
                "invented": shown[i].get(row.key, False),
                "points": rules.format_points(row.results[i]),
                "status": o.status if o is not None and o.status != OK else None,
            })
        return cells

    standings = [
        {
            "rank": row.rank,
            "skater": _skater(row.key, invented.get(row.key, False)),
            "points": rules.format_points(row.points),
            "points_thousandths": row.points,
            "behind": rules.format_points(row.behind),
            "results": results(row),
            "qualified": row.qualified,
            "status": row.status,
            "to_skate": row.to_skate,
        }
        for row in table.rows
    ]
    return {
        "classification": {
            "id": classification.id, "name": classification.name, "kind": classification.kind,
            "competition": classification.competition_id,
            "races": [{"id": r.id, "title": r.title, "distance": r.distance, "state": r.state,
                       "over": over[i]} for i, r in enumerate(races)],
            "qualifiers": rules.QUALIFIERS if classification.kind == rules.ALLROUND else None,
        },
        "standings": standings,
        "next": _next(races, nxt, table, entered, invented, lanes),
        "version": version,
    }


def _target(target, invented):
    rival = _skater(target.rival, invented.get(target.rival, False)) if target.rival else None
    out = {"rival": rival, "text": rules.describe(target, rival["name"] if rival else "")}
    if target.time_ms is not None:
        out.update(time_ms=target.time_ms, time=format_time(target.time_ms))
    elif target.faster_than_ms is not None:
        out["faster_than_ms"] = target.faster_than_ms
    elif target.any_time:
        out["any_time"] = True
    else:
        out["out_of_reach"] = True
    return out


def _next(races, nxt, table, entered, invented, lanes):
    if nxt is None:
        return None
    pairs = dict(entered[nxt])
    return {
        "race": races[nxt].id,
        "distance": races[nxt].distance,
        "current_pair": races[nxt].current_pair,
        "targets": [
            {
                "skater": _skater(t.key, invented.get(t.key, False)),
                "pair": pairs.get(t.key),
                "lane": lanes[nxt].get(t.key),
                "rank": t.rank,
                "points": rules.format_points(t.points),
                "lead": _target(t.lead, invented),
                "podium": _target(t.podium, invented),
            }
            for t in table.targets
        ],
    }


def for_id(classification_id):
    c = Classification.objects.filter(pk=classification_id).first()
    return None if c is None else build(c)


# --- live: its own typed message on the competition's socket ------------------------------------


def push_on_commit(classification, competition_version):
    """Send the recomputed table on the competition's topic once the change is committed.

    The message carries the competition's version as `version` (so a screen that follows the
    schedule takes it as nothing new) and, in `table`, exactly what GET /api/classifications/<id>/
    answers, with the table's own version.
    """
    data = build(classification)
    text = dumps({"type": "classification", "version": competition_version, "server_time": now_ms(), "table": data})
    publish_on_commit(topics.group(topics.COMPETITION, classification.competition_id), (competition_version, text))


#: Every finish's write asks this: compiled once (timing/prepared.py).
_COUNTED_IN = Prepared(
    lambda race: ClassificationRace.objects.filter(race_id=race).values_list("classification_id", flat=True), int
)


def push_for_race(race, audit):
    """After a committed change of `race`: every classification it counts in, recomputed and sent.
    Called inside the race's write transaction, so the table is the one the commit makes.

    A split (a time before the finish, entered, corrected or voided) moves no points and no target,
    so it sends nothing: on a 10000 m that skips 24 of every 25 times.
    """
    distance = audit.get("distance")
    if distance is not None and distance != race.distance:
        return
    ids = _COUNTED_IN(race.id)
    if not ids:
        return
    version = Competition.objects.filter(pk=race.competition_id).values_list("version", flat=True).get()
    for c in Classification.objects.filter(pk__in=ids).order_by("id"):
        push_on_commit(c, version)
