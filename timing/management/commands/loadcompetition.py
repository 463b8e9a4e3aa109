"""Load a competition dump (manage.py dumpcompetition) with new ids, in one transaction: all or nothing."""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from timing import backup


class Command(BaseCommand):
    help = "Load a competition from a JSON dump made by dumpcompetition ('-' reads stdin)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The dump file, or - for stdin.")
        parser.add_argument("--name", help="Load it under this name (when a competition of its name is here).")

    def handle(self, *args, file, name=None, **options):
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()
        except OSError as e:
            raise CommandError(f"Cannot read {file}: {e.strerror}.") from e
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not a text file; a dump is JSON written by dumpcompetition.") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise CommandError(
                f"{file} is not complete JSON ({e.msg} at line {e.lineno}, column {e.colno}); "
                "was the dump cut short or mistyped? Nothing was loaded."
            ) from e
        try:
            report = backup.load(data, name=name)
        except backup.DumpError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(report.text())
