from django.core.management.base import BaseCommand, CommandError

from timing.devices.tokens import issue
from timing.models import Competition, DeviceToken


class Command(BaseCommand):
    help = ("Create a device token and print it once (only its hash is stored; revoke it in the admin). "
            "With --competition it writes to that competition only; without, to every competition.")

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The device's name, shown in the audit trail (e.g. 'lynx-finish').")
        parser.add_argument("--competition", type=int, metavar="ID",
                            help="The one competition the token may write to (leave out for the venue's own devices).")
        parser.add_argument("--list", action="store_true", help="List the tokens and what each may write to.")

    def handle(self, *args, name, competition, list, **options):
        if list:
            return self._list()
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise CommandError("Give the device a name of 1 to 100 characters.")
        if DeviceToken.objects.filter(name=name).exists():
            raise CommandError(f"A device named '{name}' already has a token; revoke it and pick a new name.")
        comp = None
        if competition is not None:
            comp = Competition.objects.filter(pk=competition).first()
            if comp is None:
                known = ", ".join(f"{c.id} ({c.name})" for c in Competition.objects.order_by("id")[:10]) or "none yet"
                raise CommandError(f"There is no competition {competition}. Competitions: {known}.")
        _, raw = issue(name, comp)
        self.stdout.write(raw)
        scope = f"competition {comp.id} ({comp.name}) only" if comp else "every competition (unscoped)"
        self.stderr.write(f"Token for '{name}' created; it writes to {scope}. "
                          "It is shown only now: store it in the device's config.")

    def _list(self):
        for t in DeviceToken.objects.select_related("competition").order_by("name"):
            scope = f"competition {t.competition_id} ({t.competition.name})" if t.competition_id else "unscoped: every competition"
            self.stdout.write(f"{t.name}\t{scope}\t{'revoked' if t.revoked else 'active'}")
