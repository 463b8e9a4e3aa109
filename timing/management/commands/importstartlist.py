"""Create a race from a start list CSV: all of it, or, on any bad row, nothing at all."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timing.models import Race
from timing.rules import mass_start
from timing.startlists import MAX_CSV_BYTES, StartListError, create_race, read_csv


def category_of(title):
    """"Women's 1000 m" -> "Women": the usual title names the category before "'s"."""
    head, sep, _ = title.partition("'s ")
    return head.strip() if sep and head.strip() else None


class Command(BaseCommand):
    help = (
        "Create a race from a CSV start list with the header pair,lane,name,nation[,pb][,skater_id] (lane "
        "inner or outer, pb such as 1:14.50, skater_id the federation licence). Every problem is reported "
        "by line number and nothing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, UTF-8.")
        parser.add_argument("--race", required=True, help="Race title, such as \"Women's 1000 m\".")
        parser.add_argument(
            "--distance", type=int,
            help="Metres: 500, 1000, 1500, 3000, 5000, 10000; 2400 or 3200 for a team pursuit; 6400 (the "
            "default) for a mass start.",
        )
        parser.add_argument(
            "--kind", choices=[k for k, _ in Race.KINDS], default=Race.INDIVIDUAL,
            help="individual (pair,lane,name,nation[,pb]), team_pursuit (pair,lane,team,nation,skaters with "
            "three or four names separated by ;, inner = home straight) or mass_start (bib,name,nation).",
        )
        parser.add_argument("--competition", default="Imported start lists", help="Created if it does not exist.")
        parser.add_argument("--category", help="Such as Women; by default read from the title (Women's -> Women).")

    def handle(self, *args, file, race, distance, competition, category, kind, **options):
        if distance is None:
            if kind != Race.MASS_START:
                raise CommandError("--distance is required, such as --distance 1000.")
            distance = mass_start.DISTANCE
        title = race.strip()
        if not title:
            raise CommandError("--race must name the race, such as \"Women's 1000 m\".")
        category = (category or "").strip() or category_of(title)
        if not category:
            raise CommandError(f"Cannot tell the category from '{title}'; give --category, such as Women.")
        try:
            path = Path(file)
            if path.is_file() and path.stat().st_size > MAX_CSV_BYTES:
                raise CommandError(f"{file}: nothing was imported.\n" + str(StartListError.too_large(path.stat().st_size)))
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"There is no file {file}.") from None
        except OSError as e:
            raise CommandError(f"Cannot read {file}: {e.strerror}.") from None
        try:
            entries = read_csv(data, kind)
            if Race.objects.filter(competition__name=competition, title=title).exists():
                raise StartListError([f"{competition} already has a race '{title}'"])
            created = create_race(competition, title, category, distance, entries, kind=kind)
        except StartListError as e:
            raise CommandError(f"{file}: nothing was imported.\n" + "\n".join(map(str, e.problems))) from None
        pairs = created.pairs.count()
        field = {
            Race.INDIVIDUAL: f"{len(entries)} skaters in {pairs} pairs",
            Race.TEAM_PURSUIT: f"team pursuit, {len(entries)} teams in {pairs} heats",
            Race.MASS_START: f"mass start, {len(entries)} skaters",
        }[kind]
        self.stdout.write(
            f"Created race {created.id}: {created.title} ({created.category}, {created.distance} m), "
            f"{competition}, {field}."
        )
