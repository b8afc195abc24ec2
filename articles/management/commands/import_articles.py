"""Import plain-text articles (like ../shared/seeds/) as drafts for review."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.models import Topic
from articles.text.references import shown_reference
from articles.transfer.into_drafts import (
    ImportClash,
    author_named,
    default_author,
    default_topic,
    save_draft,
    summary_lines,
)
from articles.transfer.plain_text import (
    MAX_INPUT_CHARS,
    ArticleImportError,
    decode_text,
    parse_article,
)

MAX_FILE_BYTES = MAX_INPUT_CHARS * 4  # UTF-8 needs at most 4 bytes a character


class Command(BaseCommand):
    help = (
        "Import plain-text articles as drafts (never published: they go through "
        "medical review). Each file is imported whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what each file contains without saving anything.",
        )
        parser.add_argument(
            "--topic",
            metavar="SLUG",
            help="Topic for the drafts (default: 'imported', created if needed).",
        )
        parser.add_argument(
            "--author",
            metavar="NAME",
            help="Author byline; a new name creates the byline (default: "
            "'Editorial team').",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Account recorded as the drafts' writer (default: the only "
            "superuser). That account cannot approve the text.",
        )
        parser.add_argument(
            "--update-drafts",
            action="store_true",
            help="When an article with the same question exists, replace its "
            "draft text; its published version stays live until reviewed.",
        )

    def handle(
        self, *args, files, dry_run, topic, author, user, update_drafts, **options
    ):
        if not dry_run:
            writer = self.writer(user)
            topic_row = self.topic(topic)
            author_row = author_named(author) if author else default_author()
        failures = 0
        for name in files:
            try:
                parsed = parse_article(self.read(name))
            except ArticleImportError as error:
                failures += 1
                self.stderr.write(self.style.ERROR(f"{name}: {error}"))
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(name))
            for line in summary_lines(parsed):
                self.stdout.write(f"  {line}")
            if dry_run:
                self.stdout.write("  body (Markdown):")
                for line in parsed.body.splitlines():
                    self.stdout.write(f"    {line}")
                for number, (question, answer) in enumerate(parsed.faqs, start=1):
                    self.stdout.write(f"  FAQ {number}: {question}")
                    for line in answer.splitlines():
                        self.stdout.write(f"    {line}")
                for number, takeaway in enumerate(parsed.key_takeaways, start=1):
                    self.stdout.write(f"  takeaway {number}: {takeaway}")
                for number, reference in enumerate(parsed.references or [], start=1):
                    shown = shown_reference(number, reference)
                    links = " ".join(label for label, _ in shown.links)
                    self.stdout.write(f"  reference {number}: {shown.text} {links}")
                continue
            try:
                result = save_draft(
                    parsed,
                    user=writer,
                    topic=topic_row,
                    author=author_row,
                    update_drafts=update_drafts,
                )
            except ImportClash as error:
                failures += 1
                self.stderr.write(self.style.ERROR(f"{name}: {error}"))
                continue
            except ValidationError as error:
                failures += 1
                self.stderr.write(
                    self.style.ERROR(
                        f"{name}: not imported: {'; '.join(error.messages)}"
                    )
                )
                continue
            verb = "created" if result.created else "updated the draft of"
            self.stdout.write(
                self.style.SUCCESS(
                    f"  {verb} “{result.article.title}” "
                    f"(/admin/articles/article/{result.article.pk}/change/)"
                )
            )
        done = len(files) - failures
        self.stdout.write(
            f"{done} of {len(files)} file(s) {'read' if dry_run else 'imported'}"
            f"{', nothing saved (dry run)' if dry_run else ''}."
        )
        if failures:
            raise CommandError(f"{failures} file(s) could not be imported; see above.")

    def read(self, name: str) -> str:
        path = Path(name)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise ArticleImportError(
                f"cannot read the file ({error.strerror})."
            ) from None
        return decode_text(data, name=name)

    def writer(self, username):
        User = get_user_model()
        if username:
            account = User.objects.filter(username=username, is_active=True).first()
            if account is None:
                raise CommandError(f"No active account named {username!r}.")
        else:
            superusers = list(
                User.objects.filter(is_superuser=True, is_active=True)[:2]
            )
            if len(superusers) != 1:
                raise CommandError(
                    "Say which account imports the drafts with --user USERNAME."
                )
            account = superusers[0]
        if not account.has_perm("articles.add_article"):
            raise CommandError(f"{account.get_username()} may not add articles.")
        return account

    def topic(self, slug):
        if not slug:
            return default_topic()
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            known = (
                ", ".join(Topic.objects.values_list("slug", flat=True)) or "none yet"
            )
            raise CommandError(f"No topic with slug {slug!r}. Known topics: {known}.")
        return topic
