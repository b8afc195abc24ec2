import json

from django.core.management.base import BaseCommand, CommandError

from articles.transfer.backup_load import LoadError, load_data

MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = "Load a file written by export_articles. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to load.")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        if len(raw) > MAX_FILE_BYTES:
            raise CommandError(f"{file} is larger than {MAX_FILE_BYTES:,} bytes.")
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{file} is not valid JSON (line {error.lineno}: {error.msg})."
            ) from None
        try:
            counts = load_data(data)
        except LoadError as error:
            raise CommandError(f"{file}: {error} Nothing was loaded.") from None
        self.stdout.write(
            "Loaded {articles} articles, {versions} published versions, "
            "{events} log entries, {revisions} draft revisions and {site_pages} "
            "site pages.".format(**counts)
        )
