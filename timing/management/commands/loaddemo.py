from django.core.management.base import BaseCommand

from timing import demo
from timing.formats import demo as formats_demo


class Command(BaseCommand):
    help = (
        "Load the Milano Cortina 2026 women's 1000 m (the reference race) with its records, and an "
        "invented team pursuit and mass start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unskated", action="store_true", help="Only the start list, no times.")
        parser.add_argument(
            "--championship", action="store_true",
            help="Also an invented allround championship: three distances skated, the 5000 m to skate live "
            "(serve --championship).",
        )

    def handle(self, *args, unskated=False, championship=False, **options):
        if championship:
            from timing import demo_championship

            c, created = demo_championship.load()
            verb = "Loaded" if created else "Already loaded:"
            self.stdout.write(f"{verb} classification {c.id}: {c.name}, {c.competition.name}")
        race, created = demo.load(skated=not unskated)
        verb = "Loaded" if created else "Already loaded:"
        self.stdout.write(f"{verb} race {race.id}: {race.title}, {race.competition.name} ({race.state})")
        for load in (formats_demo.load_team_pursuit, formats_demo.load_mass_start):
            race, created = load(skated=not unskated)
            verb = "Loaded" if created else "Already loaded:"
            self.stdout.write(f"{verb} {race.title} as race {race.id} ({race.state})")
        return None
