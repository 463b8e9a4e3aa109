"""The results CSV of a mass start (its own columns) and the team pursuit's extra column, from the
result list (timing/results.py) every page and export shares."""
import csv
import io

from ..rules.mass_start import SPRINT_LAPS

MASS_START_COLUMNS = ["rank", "bib", "name", "nation", "status", "reason", "points", "time", "time_ms", "laps_done"]


def mass_start_csv(result):
    laps = len(result["points"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MASS_START_COLUMNS + [f"sprint_{lap}" for lap in SPRINT_LAPS]
                    + [f"lap_{n}" for n in range(1, laps + 1)] + ["invented"])
    for row in result["ranked"] + result["unranked"]:
        scored = {x["lap"]: x["points"] for x in row["sprints"]}
        invented = (["skater"] if row["invented"] else []) + [
            f"lap_{n}" for n, c in enumerate(row["splits"], 1) if c and c["invented"]
        ]
        writer.writerow(
            ["" if row[c] is None else row[c] for c in MASS_START_COLUMNS]
            + [scored.get(lap, "") for lap in SPRINT_LAPS]
            + [c["time"] if c else "" for c in row["splits"]]
            + [" ".join(invented)]
        )
    return out.getvalue()


def team_skaters(row):
    """The team pursuit's `skaters` cell: the names, separated by ';' as in the start list."""
    return ";".join(row.get("skaters") or [])
