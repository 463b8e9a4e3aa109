"""Result lists (timing/results.py) of a team pursuit and a mass start, from their snapshots.

A team pursuit's list is the individual one (heats are pairs, a team's time is its third
skater's) with each row's skaters. A mass start's rows carry the same fields as any list, plus
bib, points and laps done; its splits are the skater's crossings, one per lap; the `behind`
column stays empty, since a mass start ranks on points, not on time.
"""
from .. import results
from ..rules.board import OK
from ..rules.points import LAP


def team_pursuit(race, snap):
    result = results._individual(race, snap)
    skaters = {(s["pair"], s["lane"]): s.get("skaters", []) for s in snap["standings"]}
    teams = {(p["number"], lane): p[lane].get("skaters", []) for p in snap["pairs"] for lane in ("inner", "outer")
             if p[lane]}
    for row in result["ranked"] + result["unranked"]:
        row["skaters"] = skaters.get((row["pair"], row["lane"])) or teams.get((row["pair"], row["lane"]), [])
    return result


def mass_start(race, snap):
    skaters = {s["bib"]: s for s in snap["skaters"]}
    rows = [_row(st, skaters[st["bib"]], snap["race"]["laps"]) for st in snap["standings"]]
    return {
        **results._header(race, snap),
        "ranked": [r for r in rows if r["rank"] is not None],
        "unranked": [r for r in rows if r["rank"] is None],
    }


def _row(st, s, laps):
    crossed = {c["lap"]: c for c in s["crossings"]}
    status = st["status"]
    finish = crossed.get(laps) if st["time_ms"] is not None else None
    return {
        "rank": st["rank"], "bib": st["bib"], "name": st["name"], "nation": st["nation"], "invented": st["invented"],
        "pair": None, "lane": "", "status": status if status != OK or st["rank"] else results.NO_TIME,
        "status_text": results.STATUS_NAMES.get(status if status != OK else results.NO_TIME, "")
        if not st["rank"] else "",
        "reason": s["status_reason"] if status != OK else "",
        "fell": s["fell"], "note": results._note(status, s) if status != OK else "",
        "time": st["time"], "time_ms": st["time_ms"], "time_exact": results.format_exact(st["time_ms"]),
        "time_invented": bool(finish and finish["invented"]), "behind": None, "record": None,
        "points": st["points"], "laps_done": st["laps_done"],
        "sprints": s["sprints"],
        "splits": [
            {"distance": n * LAP, "time": c["time"], "lap": c["lap_time"], "rank": None, "invented": c["invented"]}
            if (c := crossed.get(n)) else None
            for n in range(1, laps + 1)
        ],
        "skated": bool(crossed),
    }
