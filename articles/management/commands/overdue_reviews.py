"""List, or email to the medical reviewers, the articles overdue for periodic review."""

import datetime

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError

from articles.review import notices, workflow


def reviewer_emails() -> list[str]:
    """Addresses of active accounts that hold the review permission."""
    users = notices.medical_reviewers().exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


class Command(BaseCommand):
    help = "List the published articles whose periodic medical review is overdue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--email",
            action="store_true",
            help="Also email the list to every active medical reviewer "
            "(EMAIL_BACKEND; the console by default).",
        )
        parser.add_argument(
            "--date",
            help="Check as of this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, email, date, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    f"--date must be a day as YYYY-MM-DD, not {date!r}."
                ) from None
        versions = list(workflow.overdue_versions(today))
        lines = [
            f"{version.next_review_due:%Y-%m-%d}  {version.title}  "
            f"(last reviewed {version.last_reviewed_on:%Y-%m-%d} by "
            f"{version.reviewer_name}; {version.get_absolute_url()})"
            for version in versions
        ]
        if not lines:
            self.stdout.write("No articles are overdue for periodic review.")
            return
        self.stdout.write(
            f"{len(lines)} article(s) overdue for periodic review (due date first):"
        )
        for line in lines:
            self.stdout.write(f"  {line}")
        if email:
            recipients = reviewer_emails()
            if not recipients:
                raise CommandError(
                    "No active medical reviewer has an email address; nothing was sent."
                )
            send_mail(
                subject=f"{len(lines)} article(s) overdue for medical review",
                message="These published articles are past their review date:\n\n"
                + "\n".join(lines),
                from_email=None,
                recipient_list=recipients,
            )
            self.stdout.write(f"Emailed {len(recipients)} reviewer(s).")
