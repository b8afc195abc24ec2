import json
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.transfer.backup import export_data


class Command(BaseCommand):
    help = (
        "Write every topic, person and article (with versions, review log and "
        "draft history) as JSON; see README, 'Export and load'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output)."
        )

    def handle(self, *args, output, **options):
        text = json.dumps(export_data(), ensure_ascii=False, indent=2)
        if not output:
            sys.stdout.write(text + "\n")
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Exported to {output}.")
