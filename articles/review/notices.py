"""Who hears about what: each workflow event, and the people it concerns.

steps.log() calls event_logged() for every event, inside the transition's
transaction; articles/notifications/outbox.py writes and sends the emails.

- submitted: the medical reviewer the editor picked, or else every medical
  reviewer who may approve this text (not its writers);
- changes requested, approved: the people who wrote the text;
- published, withdrawn: those writers and the approving reviewer.
Nobody is emailed about their own action.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse

from articles.models import Notification, ReviewEvent
from articles.notifications import outbox
from articles.review import four_eyes

Action = ReviewEvent.Action
Kind = Notification.Kind


def medical_reviewers():
    """Active accounts that hold the review permission (by group or directly)."""
    permission = Permission.objects.get(
        content_type__app_label="articles", codename="review_article"
    )
    return (
        get_user_model()
        .objects.filter(
            Q(user_permissions=permission) | Q(groups__permissions=permission),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def admin_url(name: str, article) -> str:
    return outbox.absolute(reverse(f"admin:articles_article_{name}", args=[article.pk]))


def text_writers(article, *, approved: bool = False) -> list:
    """The accounts that wrote the text in review (or, with `approved`, the
    text last approved), and whoever submitted it."""
    revisions = article.revisions.order_by("-number")
    if approved and article.last_approved_revision:
        revisions = revisions.filter(number=article.last_approved_revision)
    revision = revisions.first()
    ids = set(revision.responsible_ids) if revision else set()
    submit = article.events.filter(action=Action.SUBMIT).order_by("-at", "-id").first()
    if submit is not None:
        ids.add(submit.user_id)
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def _submitted(event, article):
    if event.addressed_to is not None:
        candidates = [event.addressed_to]
    else:
        candidates = list(medical_reviewers())
    users = [u for u in candidates if not four_eyes.approval_conflict(article, u)]
    return Kind.SUBMITTED, users, admin_url("review", article)


def _changes_requested(event, article):
    return Kind.CHANGES_REQUESTED, text_writers(article), admin_url("change", article)


def _approved(event, article):
    return Kind.APPROVED, text_writers(article), admin_url("change", article)


def _published_or_withdrawn(kind):
    def recipients(event, article):
        users = text_writers(article, approved=True)
        version = event.version
        if version is not None and version.approved_by_id:
            users.append(version.approved_by)
        return kind, users, admin_url("change", article)

    return recipients


RECIPIENTS = {
    Action.SUBMIT: _submitted,
    Action.REQUEST_CHANGES: _changes_requested,
    Action.APPROVE: _approved,
    Action.PUBLISH: _published_or_withdrawn(Kind.PUBLISHED),
    Action.UNPUBLISH: _published_or_withdrawn(Kind.WITHDRAWN),
}


def event_logged(event: ReviewEvent) -> None:
    """Queue the emails this event calls for (none for edits and the like)."""
    if event.action not in RECIPIENTS:
        return
    article = event.article
    kind, users, link = RECIPIENTS[event.action](event, article)
    users = {u.pk: u for u in users if u.pk != event.user_id}.values()
    version = event.version
    outbox.queue(
        kind,
        users,
        key=f"event:{event.pk}",
        article=article,
        event=event,
        context={
            "article": article,
            "title": version.title if version else article.title,
            "event": event,
            "actor": event.user.get_full_name() or event.user.get_username(),
            "comment": event.comment,
            "link": link,
            "public_url": outbox.absolute(version.get_absolute_url())
            if version and event.action == Action.PUBLISH
            else "",
        },
    )


def schedule_not_carried_out(schedule, *, outcome: str, by=None) -> None:
    """Tell whoever set a schedule that it was cancelled or refused (unless
    they did it themselves)."""
    if by is not None and by.pk == schedule.created_by_id:
        return
    outbox.queue(
        Kind.SCHEDULE,
        [schedule.created_by],
        key=f"schedule:{schedule.pk}:{schedule.state}",
        article=schedule.article,
        context={
            "article": schedule.article,
            "title": schedule.article.title,
            "schedule": schedule,
            "outcome": outcome,
            "link": admin_url("change", schedule.article),
        },
    )
