"""Write one competition as a JSON dump (timing/backup.py): to stdout, or to --output FILE."""
import sys

from django.core.management.base import BaseCommand, CommandError

from timing import backup


class Command(BaseCommand):
    help = "Dump a competition (races, start lists, every passing and its history, the audit trail) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("competition", type=int, help="The competition's id.")
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")

    def handle(self, *args, competition, output=None, **options):
        try:
            data = backup.dump(competition)
        except backup.DumpError as e:
            raise CommandError(str(e)) from e
        text = backup.text(data)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
            rows = sum(len(data[key]) for key in backup.BY_KEY)
            sys.stderr.write(f"Dumped competition '{data['competition']['name']}' (id {competition}): "
                             f"{rows} rows to {output}, dump id {data['source']['dump_id']}.\n")
            for note in data["notes"]:
                sys.stderr.write(f"Note: {note}\n")
        else:
            self.stdout.write(text, ending="")
