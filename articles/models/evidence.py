"""What readers and the link checker tell editors about a published article:
the state of each source link of its live version (SourceCheck), and problems
readers report from the page (ProblemReport). Neither is ever shown publicly.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.articles import Article
from articles.models.checks import check_text_fields
from articles.models.versions import ArticleVersion


class SourceCheck(models.Model):
    """One reference address of an article's live version, as the link checker
    last found it (articles/background/link_checks.py keeps these rows in step
    with the live versions)."""

    class State(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "Works"
        MOVED = "moved", "Moved permanently"
        FAILING = "failing", "Not answering"
        DEAD = "dead", "Gone"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="source_checks"
    )
    url = models.URLField("URL", max_length=500)
    reference_number = models.PositiveSmallIntegerField(
        default=1, help_text="Its place in the live version's reference list."
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.UNCHECKED
    )
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    moved_to = models.URLField(max_length=2000, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    failures = models.PositiveSmallIntegerField(
        default=0, help_text="Checks in a row that found it failing."
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)

    # Link states an editor or reviewer must look at.
    NEEDS_ATTENTION = [State.MOVED, State.DEAD, State.FAILING]

    class Meta:
        ordering = ["article", "reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "url"], name="sourcecheck_unique_url"
            ),
        ]
        # The checker records one answer for every row of an address.
        indexes = [
            models.Index(fields=["state", "checked_at"]),
            models.Index(fields=["url"]),
        ]

    def __str__(self):
        return f"{self.url} ({self.get_state_display()})"


class ProblemReport(models.Model):
    """A reader's "Report a problem with this page", with the version they read."""

    class State(models.TextChoices):
        NEW = "new", "New"
        IN_HAND = "in_hand", "In hand"
        FIXED = "fixed", "Fixed"
        NOT_A_PROBLEM = "not_a_problem", "Not a problem"

    MAX_MESSAGE_LENGTH = 2000
    MAX_CONTACT_LENGTH = 200

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="problem_reports"
    )
    version = models.ForeignKey(
        ArticleVersion, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("what is wrong", max_length=MAX_MESSAGE_LENGTH)
    contact = models.CharField(
        "reader's contact", max_length=MAX_CONTACT_LENGTH, blank=True
    )
    # A keyed hash of the reader's address, for the rate limit: never the address.
    sender = models.CharField(max_length=64, db_index=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editor_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "received_at"])]

    def __str__(self):
        return f"Report on “{self.article}” received {self.received_at:%Y-%m-%d %H:%M}"

    def clean(self):
        check_text_fields(self)
