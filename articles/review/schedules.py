"""Scheduled go-live and expiry: the rules for setting and cancelling them.

An editor who may publish schedules approved text to go live at a time, or a
live article to be withdrawn at a time (with the reason the log will keep).
The worker carries them out through the workflow (articles/background/jobs.py),
checked exactly as a click would be. `cancel_outdated()`, called by the
workflow after every edit, publication and withdrawal, cancels what no longer
applies: a publication whose approved text changed, or that was published by
hand first; a withdrawal of an article no longer live.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ScheduledChange
from articles.review import notices, steps
from articles.review.steps import TransitionNotAllowed

Action = ScheduledChange.Action
State = ScheduledChange.State
FURTHEST_AHEAD = datetime.timedelta(days=366)


def waiting(article: Article):
    return article.scheduled_changes.filter(state=State.WAITING)


@transaction.atomic
def schedule(
    article: Article,
    *,
    action: str,
    run_at: datetime.datetime,
    user: AbstractBaseUser,
    reason: str = "",
) -> ScheduledChange:
    """Set a publication or withdrawal for `run_at` (an aware time)."""
    steps.require(user, "publish_article", "schedule publications and withdrawals")
    if action not in Action.values:
        raise TransitionNotAllowed(f"Unknown scheduled change {action!r}.")
    now = timezone.now()
    if run_at <= now:
        raise TransitionNotAllowed(
            f"{run_at:%d %b %Y, %H:%M %Z} has passed: choose a time in the future, "
            "or publish or withdraw now."
        )
    if run_at > now + FURTHEST_AHEAD:
        raise TransitionNotAllowed("Schedule at most a year ahead.")
    current = steps.lock(article)
    approved_hash = ""
    if action == Action.PUBLISH:
        steps.refuse_unpublishable(
            current, only="Only approved text can be scheduled to go live"
        )
        approved_hash = current.approved_content_hash
    else:
        if not steps.is_live(current):
            raise TransitionNotAllowed(f"“{current}” is not published.")
        steps.require_withdrawal_reason(reason)
        steps.refuse_bad_comment(reason)
    already = waiting(current).filter(action=action).first()
    if already is not None:
        raise TransitionNotAllowed(
            f"“{current}” is already scheduled to {action} at "
            f"{timezone.localtime(already.run_at):%d %b %Y, %H:%M %Z}; cancel that first."
        )
    return ScheduledChange.objects.create(
        article=current,
        action=action,
        run_at=run_at,
        reason=reason.strip(),
        approved_content_hash=approved_hash,
        created_by=user,
    )


def _finish(change: ScheduledChange, state: str, outcome: str) -> None:
    change.state = state
    change.outcome = outcome
    change.finished_at = timezone.now()
    change.save(update_fields=["state", "outcome", "finished_at"])


@transaction.atomic
def cancel(change: ScheduledChange, *, user: AbstractBaseUser) -> ScheduledChange:
    """One click on "Cancel" (dashboard or article)."""
    steps.require(user, "publish_article", "cancel scheduled changes")
    change = ScheduledChange.objects.select_for_update().get(pk=change.pk)
    if change.state != State.WAITING:
        raise TransitionNotAllowed(
            f"That scheduled change is no longer waiting (it is {change.get_state_display().lower()})."
        )
    name = user.get_full_name() or user.get_username()
    _finish(change, State.CANCELLED, f"Cancelled by {name}.")
    notices.schedule_not_carried_out(change, outcome=change.outcome, by=user)
    return change


def cancel_outdated(article: Article, *, user: AbstractBaseUser) -> list:
    """Cancel the waiting changes the article's new state makes wrong; returns
    them, so the caller can say so."""
    name = user.get_full_name() or user.get_username()
    cancelled = []
    for change in waiting(article).select_for_update():
        if change.action == Action.PUBLISH:
            if article.approved_content_hash != change.approved_content_hash:
                outcome = (
                    f"{name} edited the text after it was scheduled, so the approval "
                    "no longer applies; it needs a new review before it can go live."
                )
            elif article.status != Article.Status.APPROVED:
                outcome = f"{name} published the article before the scheduled time."
            else:
                continue
        elif not steps.is_live(article):
            outcome = f"{name} withdrew the article before the scheduled time."
        else:
            continue
        _finish(change, State.CANCELLED, outcome)
        notices.schedule_not_carried_out(change, outcome=outcome, by=user)
        cancelled.append(change)
    return cancelled


def refuse_other_text(change: ScheduledChange, article: Article) -> None:
    """A scheduled publication publishes the text approved when it was set."""
    if article.approved_content_hash != change.approved_content_hash:
        raise TransitionNotAllowed(
            "The approved text is not the text that was scheduled."
        )


def carried_out(change: ScheduledChange, outcome: str) -> None:
    _finish(change, State.DONE, outcome)


def refused(change: ScheduledChange, outcome: str) -> None:
    _finish(change, State.FAILED, outcome)
    notices.schedule_not_carried_out(change, outcome=outcome)
