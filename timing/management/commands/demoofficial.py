import os

from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand, CommandError

from timing.checks import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create (or reset) the demo official for a local demo; refuses to run with DEBUG off."

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("The demo official is for local demos only (DEBUG=1); create real officials in the admin.")
        password = os.environ.get("OVAL_DEMO_PASSWORD", DEMO_PASSWORD)
        user, _ = User.objects.get_or_create(username="official")
        user.set_password(password)
        user.is_staff = True
        user.save()
        user.user_permissions.add(Permission.objects.get(codename="enter_times"))
        self.stdout.write(f"Demo official: username 'official', password '{password}' (log in at /login/)")
