"""Django's makemessages, never reading what is not Oval's own: the virtualenv (thousands of other
projects' strings, and minutes of xgettext), collected static files (the admin's scripts) and the
benchmarks' output. `manage.py makemessages -l nl` and `-d djangojs -l nl` then just work."""
from django.core.management.commands import makemessages

IGNORED = [".venv", "venv", "staticfiles", "node_modules", "var", "out"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        return super().handle(*args, **options)
