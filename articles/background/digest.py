"""The daily email to each medical reviewer: their overdue and due-soon reviews.

An article falls to the reviewer of its live version; one whose reviewer has no
active account falls to every medical reviewer, so none is forgotten."""

import datetime

from django.urls import reverse

from articles.models import Notification
from articles.notifications import outbox
from articles.review import notices
from articles.review.periodic import due_soon_versions, overdue_versions


def _with_links(versions):
    for version in versions:
        version.review_link = outbox.absolute(
            reverse("admin:articles_article_reconfirm", args=[version.article_id])
        )
    return versions


def send_digests(today: datetime.date) -> int:
    """Queue today's digest for every reviewer with something in it; a second
    run on the same day writes nothing (the key names the day)."""
    overdue = _with_links(list(overdue_versions(today).select_related("reviewer")))
    due_soon = _with_links(list(due_soon_versions(today).select_related("reviewer")))
    reviewers = list(notices.medical_reviewers())
    with_account = {user.pk for user in reviewers}

    def _owner(version):
        """The reviewer account this review falls to; None: to every reviewer."""
        owner = version.reviewer.user_id if version.reviewer else None
        return owner if owner in with_account else None

    queued = 0
    for user in reviewers:
        mine_overdue = [v for v in overdue if _owner(v) in (user.pk, None)]
        mine_soon = [v for v in due_soon if _owner(v) in (user.pk, None)]
        if not (mine_overdue or mine_soon):
            continue
        queued += len(
            outbox.queue(
                Notification.Kind.DIGEST,
                [user],
                key=f"digest:{today.isoformat()}",
                context={
                    "today": today,
                    "overdue": mine_overdue,
                    "due_soon": mine_soon,
                    "unassigned": any(
                        _owner(v) is None for v in mine_overdue + mine_soon
                    ),
                    "dashboard_url": outbox.absolute(reverse("admin:index")),
                },
            )
        )
    return queued
