"""Emails about the review workflow: one row per message (the outbox the worker
sends from), and each account's choice of which kinds it wants."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.articles import Article
from articles.models.versions import ReviewEvent


class Notification(models.Model):
    """One email to one person about one event.

    Written in the transaction of the event itself, so a refused or rolled-back
    step never emails anyone; `key` is unique, so one event never makes two
    messages to one person, and a worker sends a row only after claiming it
    (PENDING -> SENDING in one UPDATE), so two workers never send it twice."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Text submitted for medical review"
        CHANGES_REQUESTED = "changes_requested", "A reviewer asked for changes"
        APPROVED = "approved", "Text approved"
        PUBLISHED = "published", "Article published"
        WITHDRAWN = "withdrawn", "Article withdrawn"
        SCHEDULE = "schedule", "A scheduled change was cancelled or refused"
        DIGEST = "digest", "Daily digest of overdue and due-soon reviews"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to_address = models.EmailField()
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        ReviewEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_address}"


class NotificationSettings(models.Model):
    """Which emails one account wants; every kind is on until its owner turns
    it off on their "My email notifications" page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    submitted = models.BooleanField(
        "Text is submitted for my medical review", default=True
    )
    changes_requested = models.BooleanField(
        "A reviewer asks for changes to text I wrote", default=True
    )
    approved = models.BooleanField("Text I wrote is approved", default=True)
    published = models.BooleanField(
        "An article I wrote or approved is published", default=True
    )
    withdrawn = models.BooleanField(
        "An article I wrote or approved is withdrawn", default=True
    )
    schedule = models.BooleanField(
        "A change I scheduled is cancelled or refused", default=True
    )
    digest = models.BooleanField(
        "Daily digest of my overdue and due-soon periodic reviews", default=True
    )

    KINDS = [kind.value for kind in Notification.Kind]

    class Meta:
        verbose_name = "email choices"
        verbose_name_plural = "my email choices"

    def __str__(self):
        return f"Email notifications of {self.user}"

    def wants(self, kind: str) -> bool:
        return getattr(self, kind)
