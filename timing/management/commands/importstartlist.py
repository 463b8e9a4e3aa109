"""Create a race from a start list CSV: all of it, or, on any bad row, nothing at all."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timing.models import Race
from timing.startlists import StartListError, create_race, read_csv


def category_of(title):
    """"Women's 1000 m" -> "Women": the usual title names the category before "'s"."""
    head, sep, _ = title.partition("'s ")
    return head.strip() if sep and head.strip() else None


class Command(BaseCommand):
    help = (
        "Create a race from a CSV start list with the header pair,lane,name,nation[,pb] (lane inner or "
        "outer, pb such as 1:14.50). Every bad row is reported by line number and nothing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, UTF-8.")
        parser.add_argument("--race", required=True, help="Race title, such as \"Women's 1000 m\".")
        parser.add_argument("--distance", required=True, type=int, help="Metres: 500, 1000, 1500, 3000, 5000, 10000.")
        parser.add_argument("--competition", default="Imported start lists", help="Created if it does not exist.")
        parser.add_argument("--category", help="Such as Women; by default read from the title (Women's -> Women).")

    def handle(self, *args, file, race, distance, competition, category, **options):
        title = race.strip()
        if not title:
            raise CommandError("--race must name the race, such as \"Women's 1000 m\".")
        category = (category or "").strip() or category_of(title)
        if not category:
            raise CommandError(f"Cannot tell the category from '{title}'; give --category, such as Women.")
        try:
            text = Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"There is no file {file}.") from None
        except UnicodeDecodeError as e:
            raise CommandError(f"{file} is not UTF-8 text (byte {e.start}); save it as CSV UTF-8.") from None
        except OSError as e:
            raise CommandError(f"Cannot read {file}: {e.strerror}.") from None
        try:
            entries = read_csv(text)
            if Race.objects.filter(competition__name=competition, title=title).exists():
                raise StartListError([f"{competition} already has a race '{title}'"])
            created = create_race(competition, title, category, distance, entries)
        except StartListError as e:
            raise CommandError(f"{file}: nothing was imported.\n" + "\n".join(e.problems)) from None
        pairs = created.pairs.count()
        self.stdout.write(
            f"Created race {created.id}: {created.title} ({created.category}, {created.distance} m), "
            f"{competition}, {len(entries)} skaters in {pairs} pairs."
        )
