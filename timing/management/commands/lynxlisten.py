import asyncio
import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from timing.devices.journal import JournalDamaged
from timing.devices.listener import Listener, LynxSession
from timing.models import Race


def default_journal(race_id):
    """One journal per database and race, under OVAL_JOURNAL_DIR (var/lynx by default): a listener
    restarted for the same race finds what it had not applied yet, and another database's race
    with the same number never does."""
    database = Path(str(settings.DATABASES["default"]["NAME"])).stem
    return Path(settings.OVAL_JOURNAL_DIR) / f"{database}-race{race_id}.journal"


class Command(BaseCommand):
    help = "Listen for a FinishLynx LapTime feed over TCP and record its times into a race."

    def add_arguments(self, parser):
        parser.add_argument("--race", type=int, required=True, help="The race the times belong to.")
        parser.add_argument("--port", type=int, default=2002)
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (0.0.0.0 for the network).")
        parser.add_argument("--inner-id", default="1", choices=["1", "2"], help="The identifier that means the inner lane.")
        parser.add_argument("--device", default="lynx", help="The name written into the audit trail.")
        parser.add_argument("--auto-next", action="store_true", help="Move to the next pair once both lanes finish.")
        parser.add_argument("--journal", type=Path, default=None,
                            help="The file every packet is written to (fsync'd) before it is applied "
                                 "(default: OVAL_JOURNAL_DIR/<database>-race<id>.journal).")

    def handle(self, *args, race, port, host, inner_id, device, auto_next, journal, **options):
        logging.getLogger("timing.lynx").setLevel(logging.INFO)
        try:
            title = Race.objects.filter(pk=race).values_list("title", flat=True).first()
            if title is None:
                raise CommandError(f"There is no race {race}.")
        except (OperationalError, InterfaceError) as e:
            # The database is away right now: listen and journal what the hardware sends all the
            # same; the journal is applied once it is back.
            self.stderr.write(f"The database is not reachable ({str(e).strip()[:120]}); journaling until it is.")
            title = f"race {race}"
        session = LynxSession(race, inner_id=inner_id, device=device, auto_next=auto_next)
        path = journal or default_journal(race)
        try:
            listener = Listener(session, path)
        except JournalDamaged as e:
            raise CommandError(f"The journal cannot be used: {e}") from None

        def ready(bound):
            self.stdout.write(f"Listening for Lynx LapTime on {host}:{bound} for {title} (race {race}); "
                              f"inner lane is identifier {inner_id}; journal {path}.")
            self.stdout.flush()

        try:
            asyncio.run(listener.serve_forever(host, port, ready=ready))
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
