"""Write a race's results as CSV, in the standings' order, from the same snapshot every screen shows."""
import csv
import io

from django.core.management.base import BaseCommand, CommandError

from timing import snapshot
from timing.models import Race

COLUMNS = ["rank", "name", "nation", "pair", "lane", "status", "time", "time_ms", "behind", "record"]


def results_csv(race_id):
    data = snapshot.load(race_id)
    splits = data["race"]["points"][:-1]  # the finish is the time column
    starts = {(p["number"], lane): p[lane] for p in data["pairs"] for lane in ("inner", "outer") if p[lane]}
    out = io.StringIO()
    writer = csv.writer(out)
    # `invented` names what in a row is demo data, never passed off as a real result.
    writer.writerow(COLUMNS + [f"split_{d}" for d in splits] + ["invented"])
    for row in data["standings"]:
        start = starts[(row["pair"], row["lane"])]
        times = {p["distance"]: p for p in start["passings"]}
        invented = (["skater"] if row["invented"] else []) + [
            "time" if d == data["race"]["distance"] else f"split_{d}" for d, p in times.items() if p["invented"]
        ]
        writer.writerow(
            [row[c] if row[c] is not None else "" for c in COLUMNS]
            + [times[d]["time"] if d in times else "" for d in splits]
            + [" ".join(invented)]
        )
    return data, out.getvalue()


class Command(BaseCommand):
    help = "Write a race's results as CSV (standings order, with every split) to stdout or --output FILE."

    def add_arguments(self, parser):
        parser.add_argument("race_id", type=int)
        parser.add_argument("--output", help="File to write; stdout by default.")

    def handle(self, *args, race_id, output, **options):
        if not Race.objects.filter(pk=race_id).exists():
            raise CommandError(f"There is no race {race_id}.")
        data, text = results_csv(race_id)
        if output:
            try:
                with open(output, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
            except OSError as e:
                raise CommandError(f"Cannot write {output}: {e.strerror}.") from None
            self.stderr.write(f"Wrote {len(data['standings'])} rows of {data['race']['title']} to {output}.")
        else:
            self.stdout.write(text, ending="")
        if data["race"]["demo"]:
            self.stderr.write("This race holds demo data: the invented column names what was made up.")
