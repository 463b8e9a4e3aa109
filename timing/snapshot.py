"""The race as every screen sees it: stored facts in, the rules' board out, as plain JSON data.

This is the only place that turns models into what goes over the wire, so the HTTP snapshot,
the websocket snapshot and every update carry exactly the same shapes.
"""
from .models import Passing, PersonalBest, Race
from .rules import board as rules
from .rules.times import format_diff, format_time


def epoch_ms(dt):
    return None if dt is None else int(dt.timestamp() * 1000)


def build(race):
    """The full snapshot of `race` (a Race with its competition loaded): see docs/api.md."""
    pairs = list(race.pairs.prefetch_related("starts__skater").order_by("number"))
    starts = [s for p in pairs for s in p.starts.all()]
    passings = {}
    invented = {}
    for p in Passing.objects.current().filter(start__pair__race=race).order_by("distance"):
        passings.setdefault(p.start_id, []).append(p)
        invented[p.id] = p.invented
    bests = {
        (b.skater_id): b for b in PersonalBest.objects.filter(distance=race.distance, skater__in=[s.skater_id for s in starts])
    }
    rule_starts = {}
    for s in starts:
        best = bests.get(s.skater_id)
        rule_starts[s.id] = rules.Start(
            pair=s.pair.number,
            lane=s.lane,
            nation=s.skater.nation,
            status=s.status,
            times={p.distance: p.time_ms for p in passings.get(s.id, [])},
            pb_ms=best.pb_ms if best else None,
            sb_ms=best.sb_ms if best else None,
        )
    records = [rules.Record(r.kind, r.time_ms, r.nation) for r in race.applicable_records()]
    board = rules.compute_board(race.distance, list(rule_starts.values()), records)

    by_lane = {(s.pair.number, s.lane): s for s in starts}
    pair_rows = []
    for p in pairs:
        row = {"number": p.number, "started_at": epoch_ms(p.started_at)}
        for lane in rules.LANES:
            s = by_lane.get((p.number, lane))
            row[lane] = None if s is None else _start(s, board.splits[(p.number, lane)], passings.get(s.id, []))
        pair_rows.append(row)

    winner = board.standings[0].time_ms if board.standings and board.standings[0].rank == 1 else None
    standings = []
    for st in board.standings:
        s = by_lane[(st.pair, st.lane)]
        standings.append(
            {
                "rank": st.rank,
                "name": s.skater.name,
                "nation": s.skater.nation,
                "invented": s.skater.invented,
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
    ids = {p.distance: p for p in stored}
    return {
        "id": s.id,
        "name": s.skater.name,
        "nation": s.skater.nation,
        "invented": s.skater.invented,
        "status": s.status,
        "status_reason": s.status_reason,
        "fell": s.fell,
        "passings": [
            {
                "id": ids[sp.distance].id,
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
                "invented": ids[sp.distance].invented,
                "source": ids[sp.distance].source,
            }
            for sp in splits
        ],
    }


def load(race_id):
    return build(Race.objects.select_related("competition").get(pk=race_id))
