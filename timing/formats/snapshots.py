"""The snapshot of a team pursuit (the pair shape, with teams and the head-to-head) and of a
mass start (its own shape): see docs/api.md. Called from timing/snapshot.py only."""
from django.db.models import F

from ..models import Crossing, Start
from ..rules import mass_start as rules
from ..rules.board import LANES
from ..rules.times import format_diff, format_exact, format_time
from ..snapshot import epoch_ms, lap_count, race_summary


def add_teams(snap, board, by_lane):
    """Each position of a heat carries its team and skaters, its lap counter (6 or 8 laps: shorter
    than an individual counter's 3000 m, but a team pursuit is counted); each lap its difference
    to the other team at the same lap ("versus"), `ahead` when not behind it."""
    distance = snap["race"]["distance"]
    for row in snap["pairs"]:
        for lane in LANES:
            entry = row[lane]
            if entry is None:
                continue
            entry["team"] = entry["name"]
            entry["skaters"] = by_lane[(row["number"], lane)]["team_skaters"]
            entry["laps"] = lap_count(distance, board.splits[(row["number"], lane)])
            versus = {v.distance: v for v in board.versus[(row["number"], lane)]}
            for p in entry["passings"]:
                v = versus.get(p["distance"])
                p["versus_ms"] = v.diff_ms if v else None
                p["versus"] = format_diff(v.diff_ms) if v else None
                p["ahead"] = v.ahead if v else None
    for st in snap["standings"]:
        st["skaters"] = by_lane[(st["pair"], st["lane"])]["team_skaters"]


def mass_start(race):
    pair = race.pairs.order_by("number").values("number", "started_at").first()
    starts = list(
        Start.objects.filter(pair__race=race).order_by("bib").values(
            "id", "bib", "status", "status_reason", "fell",
            name=F("skater__name"), nation=F("skater__nation"), invented=F("skater__invented"),
        )
    )
    stored = {}
    for c in (
        Crossing.objects.current().filter(start__pair__race=race).order_by("time_ms")
        .values("id", "start_id", "time_ms", "invented", "source")
    ):
        stored.setdefault(c["start_id"], []).append(c)
    board = rules.compute_board(
        [rules.Entry(s["bib"], s["status"], tuple(c["time_ms"] for c in stored.get(s["id"], []))) for s in starts]
    )
    by_bib = {s["bib"]: s for s in starts}
    skaters = [_skater(s, board.skaters[s["bib"]], stored.get(s["id"], []), board.fronts) for s in starts]
    for sk in skaters:
        sk["in_lead_group"] = sk["bib"] in board.lead_group
        for c in sk["crossings"]:
            c["exact"] = format_exact(c["time_ms"])  # what a correction starts from, to the thousandth
    standings = []
    for st in board.standings:
        s = by_bib[st.bib]
        standings.append({
            "rank": st.rank, "bib": st.bib, "name": s["name"], "nation": s["nation"], "invented": s["invented"],
            "status": st.status, "points": st.points, "laps_done": st.laps_done,
            "time_ms": st.finish_ms, "time": format_time(st.finish_ms), "behind": None, "record": None,
            "pair": pair["number"] if pair else None, "lane": "",
        })
    summary = race_summary(race)
    summary["laps"] = rules.LAPS
    return {
        "version": race.version,
        "race": summary,
        # The start signal lives on the race's one pair, as for every kind.
        "pairs": [{"number": pair["number"], "started_at": epoch_ms(pair["started_at"]), "inner": None, "outer": None}]
        if pair else [],
        "skaters": skaters,
        "sprints": [
            {"lap": sp.lap, "order": list(sp.order), "places": list(sp.places), "points": list(sp.points),
             "final": sp.final}
            for sp in board.sprints
        ],
        "standings": standings,
        "running_order": board.running_order,
        "leader_laps": board.leader_laps,
        "laps_to_go": board.laps_to_go,
        "next_sprint": board.next_sprint,
        "sprint_laps": list(rules.SPRINT_LAPS),
        "lead_group": list(board.lead_group),
        "lead_gap_ms": board.lead_gap_ms,
        "lead_gap": format_time(board.lead_gap_ms),
        "lap_counter": lap_counter(board),
    }


def lap_counter(board):
    """The lap board at the line: what it shows now, what it showed before the leader's last
    crossing and when that was, so a counter can turn a few seconds after she passed under it."""
    done = board.leader_laps
    return {
        **_counter(rules.lap_counter(done)),
        "before": _counter(rules.lap_counter(done - 1)) if done else None,
        "at_ms": board.fronts[done] if done else None,
    }


def _counter(c):
    return {"to_go": c.to_go, "sprint": c.sprint, "last": c.last}


def _skater(s, sk, stored, fronts):
    """One skater; each crossing also carries its gap to the first crossing of that lap (null for
    a disqualified skater, who is out of every comparison)."""
    previous = 0
    crossings = []
    for lap, c in enumerate(stored, 1):
        gap = c["time_ms"] - fronts[lap] if sk.crossings and lap in fronts else None
        crossings.append({
            "id": c["id"], "lap": lap, "time_ms": c["time_ms"], "time": format_time(c["time_ms"]),
            "lap_ms": c["time_ms"] - previous, "lap_time": format_time(c["time_ms"] - previous),
            "behind_ms": gap, "behind": format_diff(gap) if gap else None,
            "invented": c["invented"], "source": c["source"],
        })
        previous = c["time_ms"]
    return {
        "id": s["id"], "bib": s["bib"], "name": s["name"], "nation": s["nation"], "invented": s["invented"],
        "status": s["status"], "status_reason": s["status_reason"], "fell": s["fell"],
        "laps_done": sk.laps_done, "last_ms": sk.last_ms, "last": format_time(sk.last_ms),
        "behind_ms": sk.behind_ms, "behind": format_diff(sk.behind_ms) if sk.behind_ms else None,
        "laps_down": sk.laps_down,
        "points": sk.points,
        "sprints": [{"lap": x.lap, "place": x.place, "points": x.points} for x in sk.sprints],
        "crossings": crossings,
    }
