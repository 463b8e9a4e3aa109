import os

from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand, CommandError

from timing.checks import DEMO_PASSWORD
from timing.models import Competition


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
        # A local demo: she officiates every competition there is (run it after loaddemo, as `make demo` does).
        competitions = list(Competition.objects.all())
        for comp in competitions:
            comp.officials.add(user)
        self.stdout.write(f"Demo official: username 'official', password '{password}' (log in at /login/), "
                          f"official of all {len(competitions)} competitions")
