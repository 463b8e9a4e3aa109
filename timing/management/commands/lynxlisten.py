import asyncio
import logging

from django.core.management.base import BaseCommand, CommandError

from timing.devices.listener import Listener, LynxSession
from timing.models import Race


class Command(BaseCommand):
    help = "Listen for a FinishLynx LapTime feed over TCP and record its times into a race."

    def add_arguments(self, parser):
        parser.add_argument("--race", type=int, required=True, help="The race the times belong to.")
        parser.add_argument("--port", type=int, default=2002)
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (0.0.0.0 for the network).")
        parser.add_argument("--inner-id", default="1", choices=["1", "2"], help="The identifier that means the inner lane.")
        parser.add_argument("--device", default="lynx", help="The name written into the audit trail.")
        parser.add_argument("--auto-next", action="store_true", help="Move to the next pair once both lanes finish.")

    def handle(self, *args, race, port, host, inner_id, device, auto_next, **options):
        found = Race.objects.filter(pk=race).first()
        if found is None:
            raise CommandError(f"There is no race {race}.")
        logging.getLogger("timing.lynx").setLevel(logging.INFO)
        session = LynxSession(race, inner_id=inner_id, device=device, auto_next=auto_next)

        def ready(bound):
            self.stdout.write(f"Listening for Lynx LapTime on {host}:{bound} for {found.title} (race {race}); "
                              f"inner lane is identifier {inner_id}.")
            self.stdout.flush()

        try:
            asyncio.run(Listener(session).serve_forever(host, port, ready=ready))
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
