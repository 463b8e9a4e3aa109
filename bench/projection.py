"""How far off is the projected finish? Measured on every recorded race shipped in timing/data.

For each skater who finished, at each of her intermediate points, the projection is computed as
it would have been live: the references are the finishes of the pairs before hers. The error is
the projection minus her real finish. Four methods side by side (timing/rules/projection.py uses
the median of the references); the table goes to docs/projection.md.

    .venv/bin/python bench/projection.py [--write]
"""
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing.rules import projection  # noqa: E402
from timing.rules.times import format_diff, parse_time  # noqa: E402


def races():
    for path in sorted((ROOT / "timing" / "data").glob("*.json")):
        data = json.loads(path.read_text())
        skaters = []
        for p in data["pairs"]:
            for lane in ("inner", "outer"):
                s = p.get(lane)
                if s and s["times"]:
                    times = {int(k): parse_time(v) for k, v in s["times"].items()}
                    real = {int(k) for k in s["times"]} - {int(k) for k in s["invented_times"]}
                    skaters.append((p["number"], s["name"], times, real))
        yield path.name, data["race"]["distance"], skaters


def leader_only(distance, times, refs):
    refs = [r for r in refs if max(times) in r]
    if not refs:
        return projection.project(distance, times, [])
    leader = min(refs, key=lambda r: r[distance])
    return projection.project(distance, times, [leader])


def mean(distance, times, refs):
    point = max(times)
    said = [projection.reference_finish(distance, times[point], point, r) for r in refs if point in r]
    return int(statistics.fmean(said)) if said else projection.project(distance, times, [])


METHODS = {
    "median of references (used)": projection.project,
    "current leader only": leader_only,
    "mean of references": mean,
    "even pace, no references": lambda d, t, refs: projection.project(d, t, []),
}


def measure():
    rows = []
    for name, distance, skaters in races():
        points = sorted({p for _, _, t, _ in skaters for p in t if p != distance})
        for point in points:
            errors = {m: [] for m in METHODS}
            real = 0
            for pair, _, times, real_points in skaters:
                if distance not in times or point not in times:
                    continue
                refs = [t for p, _, t, _ in skaters if p < pair and distance in t]
                upto = {p: ms for p, ms in times.items() if p <= point}
                real += point in real_points and distance in real_points
                for method, call in METHODS.items():
                    errors[method].append(call(distance, upto, refs) - times[distance])
            rows.append((name, point, len(errors[next(iter(METHODS))]), real, errors))
    return rows


def table(rows):
    lines = ["| race | point | skaters (real splits) | method | mean abs error | worst | mean signed |",
             "|---|---|---|---|---|---|---|"]
    for name, point, n, real, errors in rows:
        for method, errs in errors.items():
            absolute = [abs(e) for e in errs]
            lines.append(
                f"| {name} | {point} m | {n} ({real}) | {method} | {statistics.fmean(absolute) / 1000:.2f} s | "
                f"{max(absolute) / 1000:.2f} s | {format_diff(int(statistics.fmean(errs)))} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    text = table(measure())
    print(text)
    if "--write" in sys.argv:
        doc = ROOT / "docs" / "projection.md"
        head, marker, _ = doc.read_text().partition("<!-- measured -->")
        doc.write_text(head + marker + "\n" + text + "\n")
