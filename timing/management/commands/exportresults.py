"""Write a race's result list as CSV, JSON or PDF: the same list the result page and board show."""
import io
import json

from django.core.management.base import BaseCommand, CommandError

from timing import csvsafe, results, results_pdf
from timing.formats import exports
from timing.models import Race

COLUMNS = ["rank", "name", "nation", "pair", "lane", "status", "reason", "time", "time_ms", "behind", "record"]
FORMATS = ("csv", "json", "pdf")


def _reason(row):
    return row["reason"] if row["status"] != "NT" else ""


def results_csv(result):
    """One row per skater in the list's order; a split column per measuring point before the finish."""
    if result["kind"] == Race.MASS_START:
        return exports.mass_start_csv(result)
    teams = result["kind"] == Race.TEAM_PURSUIT
    points = [p["distance"] for p in result["points"]]
    out = io.StringIO()
    writer = csvsafe.writer(out)  # names cannot become spreadsheet formulas
    # `invented` names what in a row is demo data, never passed off as a real result.
    writer.writerow(COLUMNS + [f"split_{d}" for d in points[:-1]] + ["invented"] + (["skaters"] if teams else []))
    for row in result["ranked"] + result["unranked"]:
        values = {**row, "reason": _reason(row)}
        splits = row["splits"]
        invented = (["skater"] if row["invented"] else []) + [
            "time" if s["distance"] == points[-1] else f"split_{s['distance']}" for s in splits if s and s["invented"]
        ]
        writer.writerow(
            ["" if values[c] is None else values[c] for c in COLUMNS]
            + [s["time"] if s else "" for s in splits[:-1]]
            + [" ".join(invented)]
            + ([exports.team_skaters(row)] if teams else [])
        )
    return out.getvalue()


def render(result, fmt):
    """The export as bytes."""
    if fmt == "pdf":
        return results_pdf.render(result)
    if fmt == "json":
        return (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode()
    return results_csv(result).encode()


class Command(BaseCommand):
    help = (
        "Write a race's result list (ranked skaters, then DNF/DQ/DNS with their reasons, every split) "
        "as CSV, JSON or PDF to stdout or --output FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("race_id", type=int)
        parser.add_argument("--format", choices=FORMATS, default="csv", help="csv (default), json or pdf.")
        parser.add_argument("--output", help="File to write; stdout by default.")

    def handle(self, *args, race_id, format, output, **options):
        race = Race.objects.select_related("competition").filter(pk=race_id).first()
        if race is None:
            raise CommandError(f"There is no race {race_id}.")
        try:
            result = results.load(race)
        except results.Unsupported as e:
            raise CommandError(str(e)) from None
        data = render(result, format)
        count = len(result["ranked"]) + len(result["unranked"])
        if output:
            try:
                with open(output, "wb") as f:
                    f.write(data)
            except OSError as e:
                raise CommandError(f"Cannot write {output}: {e.strerror}.") from None
            self.stderr.write(f"Wrote {count} rows of {result['race']['title']} to {output}.")
        elif format == "pdf":
            binary = getattr(self.stdout._out, "buffer", None)
            if binary is None:
                raise CommandError("A PDF is binary: give --output FILE, or redirect stdout to a file.")
            self.stdout.flush()
            binary.write(data)
            binary.flush()
        else:
            self.stdout.write(data.decode(), ending="")
        if not result["official"]:
            self.stderr.write(f"{result['race']['title']} is not final: this list is UNOFFICIAL.")
        if result["demo"]:
            self.stderr.write("This race holds demo data: what was made up is marked invented (* in the PDF).")
