"""Publications and withdrawals set for a later time, and the periodic jobs'
record of what already ran."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models.articles import Article


class ScheduledChange(models.Model):
    """An editor's "publish this approved text at" or "withdraw at" (expiry).

    The worker carries it out at `run_at` through the workflow, exactly as a
    click by `created_by` would be checked; a publication also needs the text
    to be the one approved when it was scheduled (`approved_content_hash`), and
    an edit in between cancels it."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "Publish"
        WITHDRAW = "withdraw", "Withdraw"

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        RUNNING = "running", "Being carried out"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Refused"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="scheduled_changes"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    run_at = models.DateTimeField()
    reason = models.TextField(
        blank=True, help_text="Why it is withdrawn (required for a withdrawal)."
    )
    approved_content_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["run_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "action"],
                condition=Q(state="waiting"),
                name="one_waiting_schedule_per_action",
            )
        ]

    def __str__(self):
        when = timezone.localtime(self.run_at)
        return (
            f"{self.get_action_display()} “{self.article}” at {when:%d %b %Y, %H:%M %Z}"
        )


class PeriodicRun(models.Model):
    """One run of a periodic job in one time slot (a day, a few minutes): the
    unique pair is what stops two workers starting the same run."""

    job = models.CharField(max_length=40)
    slot = models.CharField(max_length=40)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")
        ]

    def __str__(self):
        return f"{self.job} {self.slot}"
