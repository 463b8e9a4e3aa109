from django.core.management.base import BaseCommand, CommandError

from timing.devices.tokens import issue
from timing.models import DeviceToken


class Command(BaseCommand):
    help = "Create a device token and print it once (only its hash is stored; revoke it in the admin)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The device's name, shown in the audit trail (e.g. 'lynx-finish').")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("Give the device a name of 1 to 100 characters.")
        if DeviceToken.objects.filter(name=name).exists():
            raise CommandError(f"A device named '{name}' already has a token; revoke it and pick a new name.")
        _, raw = issue(name)
        self.stdout.write(raw)
        self.stderr.write(f"Token for '{name}' created. It is shown only now: store it in the device's config.")
