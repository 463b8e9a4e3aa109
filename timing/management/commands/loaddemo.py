from django.core.management.base import BaseCommand

from timing import demo


class Command(BaseCommand):
    help = "Load the Milano Cortina 2026 women's 1000 m (the reference race) with its records."

    def add_arguments(self, parser):
        parser.add_argument("--unskated", action="store_true", help="Only the start list, no times.")

    def handle(self, *args, unskated=False, **options):
        race, created = demo.load(skated=not unskated)
        verb = "Loaded" if created else "Already loaded:"
        self.stdout.write(f"{verb} race {race.id}: {race.title}, {race.competition.name} ({race.state})")
        return None
