from django.core.management.base import BaseCommand, CommandError

from timing.models import Race
from timing.replay import replay_race


class Command(BaseCommand):
    help = (
        "Replay a recorded race live into a fresh copy, through the service layer. From a separate "
        "process, screens follow through Redis (REDIS_URL) or, without it, the servers' version poll "
        "within two seconds; `serve --replay` runs it inside the server instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("race_id", type=int)
        parser.add_argument("--speed", type=float, default=1.0)
        parser.add_argument("--pause", type=float, default=20.0, help="Seconds between pairs at speed 1.")
        parser.add_argument("--from-pair", type=int, default=1)

    def handle(self, *args, race_id, speed, pause, from_pair, **options):
        if speed <= 0:
            raise CommandError("--speed must be above 0.")
        if not Race.objects.filter(pk=race_id).exists():
            raise CommandError(f"There is no race {race_id}.")
        replay_race(race_id, speed=speed, pause=pause, from_pair=from_pair, out=self.stdout)
