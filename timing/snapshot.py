"""The race as every screen sees it: stored facts in, the rules' board out, as plain JSON data.

This is the only place that turns models into what goes over the wire, so the HTTP snapshot,
the websocket snapshot and every update carry exactly the same shapes.
"""
from django.db.models import F

from .models import Passing, PersonalBest, Race, Start
from .rules import board as rules
from .rules.times import format_diff, format_time


def epoch_ms(dt):
    return None if dt is None else int(dt.timestamp() * 1000)


def build(race):
    """The full snapshot of `race` (a Race with its competition loaded): see docs/api.md.

    It runs twice in every write (the board before and after), so it reads plain rows with a
    handful of queries instead of model instances.
    """
    pairs = list(race.pairs.order_by("number").values_list("number", "started_at"))
    starts = list(
        Start.objects.filter(pair__race=race).values(
            "id", "lane", "status", "status_reason", "fell", "skater_id",
            pair_number=F("pair__number"), name=F("skater__name"), nation=F("skater__nation"),
            skater_invented=F("skater__invented"),
        )
    )
    passings = {}
    for p in (
        Passing.objects.current().filter(start__pair__race=race).order_by("distance")
        .values("id", "start_id", "distance", "time_ms", "invented", "source")
    ):
        passings.setdefault(p["start_id"], []).append(p)
    bests = {
        b["skater_id"]: b
        for b in PersonalBest.objects.filter(distance=race.distance, skater__in=[s["skater_id"] for s in starts])
        .values("skater_id", "pb_ms", "sb_ms")
    }
    rule_starts = []
    for s in starts:
        best = bests.get(s["skater_id"], {})
        rule_starts.append(rules.Start(
            pair=s["pair_number"],
            lane=s["lane"],
            nation=s["nation"],
            status=s["status"],
            times={p["distance"]: p["time_ms"] for p in passings.get(s["id"], [])},
            pb_ms=best.get("pb_ms"),
            sb_ms=best.get("sb_ms"),
        ))
    records = [rules.Record(r.kind, r.time_ms, r.nation) for r in race.applicable_records()]
    board = rules.compute_board(race.distance, rule_starts, records)

    by_lane = {(s["pair_number"], s["lane"]): s for s in starts}
    pair_rows = []
    for number, started_at in pairs:
        row = {"number": number, "started_at": epoch_ms(started_at)}
        for lane in rules.LANES:
            s = by_lane.get((number, lane))
            row[lane] = None if s is None else _start(s, board.splits[(number, lane)], passings.get(s["id"], []))
        pair_rows.append(row)

    winner = board.standings[0].time_ms if board.standings and board.standings[0].rank == 1 else None
    standings = []
    for st in board.standings:
        s = by_lane[(st.pair, st.lane)]
        standings.append(
            {
                "rank": st.rank,
                "name": s["name"],
                "nation": s["nation"],
                "invented": s["skater_invented"],
                "pair": st.pair,
                "lane": st.lane,
                "status": st.status,
                "time_ms": st.time_ms,
                "time": format_time(st.time_ms),
                "behind_ms": None if st.time_ms is None or winner is None else st.time_ms - winner,
                "behind": None if st.time_ms is None or winner is None or st.time_ms == winner
                else format_diff(st.time_ms - winner),
                "record": st.record,
            }
        )
    return {
        "version": race.version,
        "race": race_summary(race),
        "pairs": pair_rows,
        "standings": standings,
    }


def race_summary(race):
    return {
        "id": race.id,
        "title": race.title,
        "category": race.category,
        "distance": race.distance,
        "points": list(race.points),
        "state": race.state,
        "current_pair": race.current_pair,
        "demo": race.demo,
        "competition": {"id": race.competition_id, "name": race.competition.name, "venue": race.competition.venue},
    }


def _start(s, splits, stored):
    rows = {p["distance"]: p for p in stored}
    return {
        "id": s["id"],
        "name": s["name"],
        "nation": s["nation"],
        "invented": s["skater_invented"],
        "status": s["status"],
        "status_reason": s["status_reason"],
        "fell": s["fell"],
        "passings": [
            {
                "id": rows[sp.distance]["id"],
                "distance": sp.distance,
                "time_ms": sp.time_ms,
                "time": format_time(sp.time_ms),
                "lap_ms": sp.lap_ms,
                "lap": format_time(sp.lap_ms),
                "rank": sp.rank,
                "leader_ms": sp.leader_ms,
                "diff_ms": sp.diff_ms,
                "diff": format_diff(sp.diff_ms),
                "leads": sp.leads,
                "record": sp.record,
                "invented": rows[sp.distance]["invented"],
                "source": rows[sp.distance]["source"],
            }
            for sp in splits
        ],
    }


def load(race_id):
    return build(Race.objects.select_related("competition").get(pk=race_id))
