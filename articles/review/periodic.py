"""Periodic medical review: a reviewer confirms that live text is still right
(new review dates, same words), and the list of reviews that are due."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleVersion, ReviewEvent
from articles.publishing import refresh
from articles.review import four_eyes, steps, versioning

# Kept in the log with each re-confirmation: what the reviewer stated.
ATTESTATION = (
    "Attested: I have read the live text and its sources, and it is still "
    "medically accurate."
)


@transaction.atomic
def reconfirm_review(
    article: Article,
    *,
    user: AbstractBaseUser,
    attested: bool,
    comment: str = "",
    seen_content_hash: str | None = None,
) -> Article:
    """A reviewer confirms the live text is still right: new review dates, same
    words. `attested` is their statement that they read the text and its
    sources; `seen_content_hash` the live text they read (refused if it moved)."""
    steps.require(user, "review_article", "record a periodic review")
    if not attested:
        raise steps.TransitionNotAllowed(
            "Confirm that you have read the text and its sources and that it is "
            "still medically accurate."
        )
    current = steps.lock(article, public=True)
    live = current.live_version
    if not steps.is_live(current):
        raise steps.TransitionNotAllowed(
            "Only published articles have periodic reviews."
        )
    if seen_content_hash is not None and seen_content_hash != live.content_hash:
        raise steps.TransitionNotAllowed(
            "The live text changed while you were reading it. Read it again and confirm."
        )
    reviewer = steps.reviewer_profile(user)
    if conflict := four_eyes.reconfirm_conflict(current, user):
        raise steps.TransitionNotAllowed(conflict)
    now = timezone.now()
    version = versioning.next_version(
        current,
        kind=ArticleVersion.Kind.REREVIEW,
        reviewer=reviewer,
        approved_by=user,
        approved_at=now,
        user=user,
    )
    current.live_version = version
    current.save(update_fields=["live_version", "updated_at"])
    refresh.rereviewed(current, version)
    steps.log(
        current,
        user=user,
        action=ReviewEvent.Action.RECONFIRM,
        from_status=current.status,
        comment=" ".join(filter(None, [ATTESTATION, comment.strip()])),
        version=version,
    )
    return current


# A periodic review this close counts as "due soon" (dashboard, review queues).
REVIEW_DUE_SOON_DAYS = 30


def due_soon_versions(today: datetime.date | None = None):
    """Live versions whose periodic review falls due within REVIEW_DUE_SOON_DAYS."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS)
    return (
        ArticleVersion.objects.live()
        .filter(next_review_due__gte=today, next_review_due__lte=soon)
        .order_by("next_review_due", "title")
    )


def overdue_versions(today: datetime.date | None = None):
    """Live versions past their periodic review date, most overdue first."""
    today = today or timezone.localdate()
    return (
        ArticleVersion.objects.overdue_for_review(today)
        .select_related("article", "reviewer")
        .order_by("next_review_due", "title")
    )
