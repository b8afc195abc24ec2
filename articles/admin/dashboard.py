"""The admin home: what waits for the signed-in user, section by role.

sections_for() reads each section as one short list with a bounded number of
queries; only "Waiting for my review" asks the four-eyes rule about each
article in review, as the article list's "Waiting for my review" filter does
(review queues are short). admin/dashboard.html shows the sections above
Django's list of models; with_dashboard() hands them to the admin index.
"""

import datetime

from django.db.models import F, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince

from articles.admin.desk import Row, Section
from articles.admin.problem_reports import problem_reports
from articles.admin.schedule_pages import time_zone_label
from articles.admin.source_checks import sources_need_attention
from articles.models import (
    Article,
    DraftRevision,
    Notification,
    ReviewEvent,
    ScheduledChange,
)
from articles.review import four_eyes, periodic
from articles.review.periodic import REVIEW_DUE_SOON_DAYS

LIMIT = 10
Status = Article.Status
Action = ReviewEvent.Action
# The lists show titles only; the long texts stay in the database.
LONG_ARTICLE_FIELDS = ("body", "body_html")


def sections_for(user, today: datetime.date | None = None) -> list[Section]:
    """The sections `user`'s permissions concern, in the order they act on them."""
    today = today or timezone.localdate()
    now = timezone.now()
    sections = []
    if user.has_perm("articles.review_article"):
        sections.append(waiting_for_review(user, now))
    if user.has_perm("articles.change_article"):
        sections.append(changes_requested(user))
    if user.has_perm("articles.publish_article"):
        sections += [ready_to_publish(), scheduled_changes()]
    if user.has_perm("articles.review_article"):
        sections += [overdue_reviews(today), reviews_due_soon(today)]
    sections += [problem_reports(user), sources_need_attention(user)]
    sections.append(recent_work(user))
    if user.has_perm("articles.view_notification"):
        sections.append(failed_emails())
    return [section for section in sections if section is not None]


def with_dashboard(index):
    """Django's admin index view (`index`) with sections_for() in its context."""

    def dashboard_index(request, extra_context=None):
        context = {"dashboard": sections_for(request.user), **(extra_context or {})}
        return index(request, extra_context=context)

    return dashboard_index


def waiting_for_review(user, now: datetime.datetime) -> Section:
    """Articles in review that `user` may approve (four eyes), longest waiting first."""
    in_review = (
        Article.objects.filter(status=Status.IN_REVIEW)
        .defer(*LONG_ARTICLE_FIELDS)
        .select_related("author")
        .annotate(submitted_at=Subquery(_latest(Action.SUBMIT).values("at")[:1]))
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    allowed = four_eyes.approvable_by(user, in_review)
    shown = _with_latest_event(allowed[:LIMIT], Action.SUBMIT)
    return Section(
        slug="waiting-for-review",
        title="Waiting for my review",
        headings=("Submitted by", "Waiting", "Submitter's comment"),
        rows=[
            Row(
                title=article.title,
                url=reverse("admin:articles_article_review", args=[article.pk]),
                detail=_name(event.user) if event else "",
                when=event.at if event else None,
                when_text=timesince(event.at, now, depth=1) if event else "",
                note=event.comment if event else "",
            )
            for article, event in shown
        ],
        count=len(allowed),
        empty="Nothing is waiting for your review.",
        see_all_url=_article_list(queue="mine"),
        see_all_text="All articles waiting for my review",
    )


def changes_requested(user) -> Section:
    """Articles sent back to the editors whose text `user` wrote or submitted."""
    sent_back = (
        Article.objects.filter(status=Status.CHANGES_REQUESTED)
        .only("pk", "title")
        .annotate(
            writer_ids=Subquery(
                DraftRevision.objects.filter(article=OuterRef("pk"))
                .order_by("-number")
                .values("responsible_ids")[:1]
            ),
            submitter_id=Subquery(_latest(Action.SUBMIT).values("user_id")[:1]),
            requested_at=Subquery(_latest(Action.REQUEST_CHANGES).values("at")[:1]),
        )
        .order_by(F("requested_at").desc(nulls_last=True), "pk")
    )
    mine = [
        article
        for article in sent_back
        if user.pk in (article.writer_ids or []) or article.submitter_id == user.pk
    ]
    shown = _with_latest_event(mine[:LIMIT], Action.REQUEST_CHANGES)
    return Section(
        slug="changes-requested",
        title="Changes requested on my articles",
        headings=("Asked by", "Asked on", "Reviewer's comment"),
        rows=[
            Row(
                title=article.title,
                url=_change_url(article.pk),
                detail=_name(event.user) if event else "",
                when=event.at if event else None,
                when_text=_at(event.at) if event else "",
                note=event.comment if event else "",
            )
            for article, event in shown
        ],
        count=len(mine),
        empty="No reviewer has asked for changes to your articles.",
        see_all_url=_article_list(status=Status.CHANGES_REQUESTED),
        see_all_text="All articles with changes requested (everyone's)",
    )


def ready_to_publish() -> Section:
    """Approved articles not yet published, longest approved first."""
    approved = (
        Article.objects.filter(status=Status.APPROVED)
        .defer(*LONG_ARTICLE_FIELDS)
        .select_related("approved_by")
        .order_by("approved_at", "pk")
    )
    return Section(
        slug="ready-to-publish",
        title="Approved, ready to publish",
        headings=("Approved by", "Approved on"),
        rows=[
            Row(
                title=article.title,
                url=_change_url(article.pk),
                detail=_name(article.approved_by),
                when=article.approved_at,
                when_text=_at(article.approved_at),
            )
            for article in approved[:LIMIT]
        ],
        count=approved.count(),
        empty="No approved articles are waiting to be published.",
        see_all_url=_article_list(queue="approved"),
        see_all_text="All approved articles not yet published",
    )


def scheduled_changes() -> Section:
    """Publications and withdrawals waiting for their time, soonest first."""
    waiting = ScheduledChange.objects.filter(
        state=ScheduledChange.State.WAITING
    ).select_related("article", "created_by")
    return Section(
        slug="scheduled",
        title="Scheduled to publish or withdraw",
        headings=("Change", f"When ({time_zone_label()})", "Set by"),
        rows=[
            Row(
                title=change.article.title,
                url=_change_url(change.article_id),
                detail=change.get_action_display()
                + (f": {change.reason}" if change.reason else ""),
                when=change.run_at,
                when_text=f"{timezone.localtime(change.run_at):%d %b %Y, %H:%M}",
                note=_name(change.created_by),
                cancel_url=reverse(
                    "admin:articles_article_cancel_schedule", args=[change.pk]
                ),
            )
            for change in waiting[:LIMIT]
        ],
        count=waiting.count(),
        empty="Nothing is scheduled. Schedule approved text from its article.",
    )


def failed_emails() -> Section:
    """For administrators: notifications the worker gave up on."""
    failed = Notification.objects.filter(status=Notification.Status.FAILED)
    return Section(
        slug="failed-emails",
        title="Emails that could not be sent",
        headings=("To", "Created", "Last error"),
        rows=[
            Row(
                title=notification.subject,
                url=reverse(
                    "admin:articles_notification_change", args=[notification.pk]
                ),
                detail=notification.to_address,
                when=notification.created_at,
                when_text=_at(notification.created_at),
                note=notification.last_error,
            )
            for notification in failed[:LIMIT]
        ],
        count=failed.count(),
        empty="Every email was sent.",
        see_all_url=reverse("admin:articles_notification_changelist")
        + "?status__exact=failed",
        see_all_text="All failed emails (select them to send again)",
    )


def overdue_reviews(today: datetime.date) -> Section:
    """Live versions past their periodic review date (periodic.overdue_versions)."""
    return _review_section(
        periodic.overdue_versions(today),
        today,
        slug="overdue",
        queue="overdue",
        title="Overdue for periodic review",
        empty="No periodic reviews are overdue.",
        see_all_text="All articles overdue for periodic review",
    )


def reviews_due_soon(today: datetime.date) -> Section:
    """Live versions whose periodic review falls due within REVIEW_DUE_SOON_DAYS
    (the same days as the article list's "due soon" filter)."""
    return _review_section(
        periodic.due_soon_versions(today),
        today,
        slug="due-soon",
        queue="due_soon",
        title=f"Periodic review due within {REVIEW_DUE_SOON_DAYS} days",
        empty=f"No periodic reviews fall due in the next {REVIEW_DUE_SOON_DAYS} days.",
        see_all_text=f"All articles due for review within {REVIEW_DUE_SOON_DAYS} days",
    )


def recent_work(user) -> Section:
    """`user`'s latest review decisions and saved drafts, newest first."""
    events = (
        ReviewEvent.objects.filter(user=user)
        .select_related("article")
        .only("action", "at", "comment", "article", "article__title")
        .order_by("-at", "-id")[:LIMIT]
    )
    revisions = (
        DraftRevision.objects.filter(saved_by=user)
        .select_related("article")
        .only("number", "saved_at", "article", "article__title")
        .order_by("-saved_at", "-id")[:LIMIT]
    )
    rows = [
        Row(
            title=event.article.title,
            url=_change_url(event.article_id),
            detail=event.get_action_display(),
            when=event.at,
            when_text=_at(event.at),
            note=event.comment,
        )
        for event in events
    ] + [
        Row(
            title=revision.article.title,
            url=_change_url(revision.article_id),
            detail=f"Saved draft revision {revision.number}",
            when=revision.saved_at,
            when_text=_at(revision.saved_at),
        )
        for revision in revisions
    ]
    rows = sorted(rows, key=lambda row: row.when, reverse=True)[:LIMIT]
    return Section(
        slug="recent-work",
        title="My recent work",
        headings=("What I did", "When", "Comment"),
        rows=rows,
        count=len(rows),
        empty="You have not edited, submitted or reviewed anything yet.",
    )


def _review_section(versions, today, *, queue: str, **texts) -> Section:
    # Titles and dates only: no bodies, and none of overdue_versions()'s joins.
    versions = versions.select_related(None).only(
        "article_id", "title", "reviewer_name", "next_review_due"
    )
    return Section(
        headings=("Last reviewed by", "Review due"),
        rows=[
            Row(
                title=version.title,
                url=_change_url(version.article_id),
                detail=version.reviewer_name,
                when=version.next_review_due,
                when_text=_due(version.next_review_due, today),
            )
            for version in versions[:LIMIT]
        ],
        count=versions.count(),
        see_all_url=_article_list(queue=queue),
        **texts,
    )


def _latest(action: str):
    """The article's events of `action`, newest first, for a Subquery."""
    return ReviewEvent.objects.filter(article=OuterRef("pk"), action=action).order_by(
        "-at", "-id"
    )


def _with_latest_event(articles: list[Article], action: str):
    """Pairs of (article, its latest `action` event with its user, or None),
    in one query for all of them."""
    latest = Prefetch(
        "events",
        queryset=ReviewEvent.objects.filter(action=action)
        .select_related("user")
        .order_by("-at", "-id")[:1],
        to_attr="latest_events",
    )
    prefetch_related_objects(articles, latest)
    return [(a, a.latest_events[0] if a.latest_events else None) for a in articles]


def _article_list(**query) -> str:
    return f"{reverse('admin:articles_article_changelist')}?{urlencode(query)}"


def _change_url(article_id: int) -> str:
    return reverse("admin:articles_article_change", args=[article_id])


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _at(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}"


def _due(day: datetime.date, today: datetime.date) -> str:
    days = (day - today).days
    if days < 0:
        late = -days
        return f"{day:%-d %b %Y}, {late} day{'s' if late != 1 else ''} overdue"
    if days == 0:
        return f"{day:%-d %b %Y}, today"
    return f"{day:%-d %b %Y}, in {days} day{'s' if days != 1 else ''}"
