"""The race as every screen sees it: stored facts in, the rules' board out, as plain JSON data.

This is the only place that turns models into what goes over the wire, so the HTTP snapshot,
the websocket snapshot and every update carry exactly the same shapes.
"""
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from .messages import dumps
from .models import HeldSplit, Pair, Passing, PersonalBest, Race, Record, Start
from .prepared import Prepared
from .rules import board as rules
from .rules import projection, team_pursuit
from .rules.points import LAP_COUNTER_FROM, laps_to_go, next_point
from .rules.times import format_diff, format_exact, format_tenths, format_time

#: A snapshot never changes once built (it is keyed by its version), so any age is safe; this
#: only bounds the memory that old versions hold.
CACHE_SECONDS = 600


def epoch_ms(dt):
    return None if dt is None else int(dt.timestamp() * 1000)


def build(race):
    """The full snapshot of `race` (a Race with its competition loaded): see docs/api.md.

    Individual distances and team pursuits share the pair shape; a mass start has its own
    (timing/formats/snapshots.py), chosen by `by_kind`.
    """
    other = by_kind(race)
    return other(race) if other else build_pairs(race)


def by_kind(race):
    """The builder of a race whose shape is not pairs, or None."""
    from .formats import snapshots

    return snapshots.mass_start if race.kind == Race.MASS_START else None


def build_pairs(race):
    """The pair-shaped snapshot: an individual distance, or a team pursuit (heats as pairs).

    Every write builds it (the board after the change), so it reads plain rows with a handful
    of prepared queries (timing/prepared.py) instead of model instances.
    """
    pairs = _PAIRS(race.id)
    starts = _STARTS(race.id)
    passings = {}
    for p in _PASSINGS(race.id):
        passings.setdefault(p["start_id"], []).append(p)
    bests = {b["skater_id"]: b for b in _BESTS(race.distance, race.id)}
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
    teams = _team_rules(race)
    records = [
        rules.Record(kind, ms, nation)
        for kind, ms, nation, venue in _RECORDS(race.category, race.distance) if race.record_applies(kind, venue)
    ]
    board = teams.compute_board(race.distance, rule_starts, records) if teams else \
        rules.compute_board(race.distance, rule_starts, records)
    projected = _projections(race.distance, rule_starts)

    by_lane = {(s["pair_number"], s["lane"]): s for s in starts}
    pair_rows = []
    for number, started_at in pairs:
        row = {"number": number, "started_at": epoch_ms(started_at)}
        for lane in rules.LANES:
            s = by_lane.get((number, lane))
            row[lane] = None if s is None else _start(
                s, board.splits[(number, lane)], passings.get(s["id"], []), bests.get(s["skater_id"], {}), race.distance,
                projected.get((number, lane)), race.points,
            )
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
    snap = {
        "version": race.version,
        "race": race_summary(race),
        "pairs": pair_rows,
        "standings": standings,
    }
    if teams:
        from .formats import snapshots

        snapshots.add_teams(snap, board, by_lane)
    return snap


# The board's reads, compiled once per database (timing/prepared.py): each takes a race id.
_PAIRS = Prepared(lambda race: Pair.objects.filter(race_id=race).order_by("number").values_list("number", "started_at"), int)
_STARTS = Prepared(
    lambda race: Start.objects.filter(pair__race_id=race).values(
        "id", "lane", "status", "status_reason", "fell", "skater_id", "team_skaters",
        pair_number=F("pair__number"), name=F("skater__name"), nation=F("skater__nation"),
        skater_invented=F("skater__invented"),
    ),
    int,
)
_PASSINGS = Prepared(
    lambda race: Passing.objects.current().filter(start__pair__race_id=race).order_by("distance")
    .values("id", "start_id", "distance", "time_ms", "invented", "source"),
    int,
)
_BESTS = Prepared(
    lambda distance, race: PersonalBest.objects.filter(
        distance=distance, skater_id__in=Start.objects.filter(pair__race_id=race).values("skater_id")
    ).values("skater_id", "pb_ms", "sb_ms"),
    int, int,
)
_RECORDS = Prepared(
    lambda category, distance: Record.objects.filter(category=category, distance=distance)
    .values_list("kind", "time_ms", "nation", "venue"),
    str, int,
)
_HELD = Prepared(lambda race: HeldSplit.objects.open().filter(start__pair__race_id=race).values_list("id", flat=True), int)


def _team_rules(race):
    return team_pursuit if race.kind == Race.TEAM_PURSUIT else None


def race_summary(race):
    """`held` counts the device splits waiting for an official (the splits themselves are for
    officials only: GET /api/races/<id>/held). It moves with every hold, placement and discard, so
    a console refreshes its held list when it moves, without polling."""
    return {
        "id": race.id,
        "title": race.title,
        "category": race.category,
        "distance": race.distance,
        "kind": race.kind,
        "points": list(race.points),
        "state": race.state,
        "current_pair": race.current_pair,
        "demo": race.demo,
        "replay_of": race.replay_of_id,
        "held": len(_HELD(race.id)),
        "competition": {"id": race.competition_id, "name": race.competition.name, "venue": race.competition.venue},
    }


def _laps(distance, splits):
    """The lap counter of a long distance (a team pursuit's is added by formats/snapshots.py)."""
    return lap_count(distance, splits) if distance >= LAP_COUNTER_FROM else None


def lap_count(distance, splits):
    """Laps to go now, before the last passing, and when that passing was (ms from the start),
    so a counter can wait a few seconds before it turns."""
    passed = [sp for sp in splits if sp.time_ms is not None]
    last = passed[-1] if passed else None
    before = passed[-2].distance if len(passed) > 1 else 0
    return {
        "to_go": laps_to_go(distance, last.distance if last else 0),
        "before": laps_to_go(distance, before) if last else None,
        "at_ms": last.time_ms if last else None,
    }


def _projections(distance, starts):
    """(pair, lane) -> the projected finish of every skater still racing (timing/rules/projection.py)."""
    finished = [s.times for s in starts if s.status == rules.OK and distance in s.times]
    finishes = sorted(t[distance] for t in finished)
    found = {}
    for s in starts:
        ms = projection.project(distance, s.times, finished) if s.status == rules.OK else None
        if ms is not None:
            found[(s.pair, s.lane)] = {
                "time_ms": ms, "time": format_tenths(ms), "rank": projection.projected_rank(ms, finishes),
            }
    return found


def _start(s, splits, stored, best, distance, projected=None, points=None):
    rows = {p["distance"]: p for p in stored}
    return {
        "next_point": next_point(distance, rows, points),
        "projected": projected,
        "pb": format_time(best.get("pb_ms")),
        "sb": format_time(best.get("sb_ms")),
        "laps": _laps(distance, splits),
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
                "exact": format_exact(sp.time_ms),
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


# --- the snapshot cache: one build per topic version per process ------------------------------


def cache_key(kind, ident, version):
    return f"oval:snapshot:{kind}:{ident}:{version}"


def cache_on_commit(kind, snap, ident):
    """Keep the snapshot a writer just built, once (and only if) its transaction commits."""
    text = dumps(snap)
    transaction.on_commit(lambda: cache.set(cache_key(kind, ident, snap["version"]), text, CACHE_SECONDS))


def cached(kind, ident, version):
    """The snapshot text of exactly this version if this process has it, else None."""
    return cache.get(cache_key(kind, ident, version))


def cached_text(kind, ident, version, build_snapshot):
    """(version, JSON text) of a topic's snapshot at its current `version`, built at most once."""
    if version is None:
        return None, None
    text = cache.get(cache_key(kind, ident, version))
    if text is None:
        snap = build_snapshot(ident)
        text = dumps(snap)
        version = snap["version"]
        cache.set(cache_key(kind, ident, version), text, CACHE_SECONDS)
    return version, text


def race_text(race_id):
    """(version, JSON text) of the race snapshot: what the HTTP API and every new socket send."""
    version = Race.objects.filter(pk=race_id).values_list("version", flat=True).first()
    return cached_text("race", race_id, version, load)
