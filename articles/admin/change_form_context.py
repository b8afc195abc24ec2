"""The context of the article change form around its fields."""

from django.utils import timezone

from articles.admin.article_forms import plain_language_report
from articles.admin.schedule_pages import time_zone_label
from articles.admin.source_checks import article_bad_sources
from articles.models import Article, ArticleVersion, ReviewEvent
from articles.review import comments, four_eyes, notices, workflow

# Transitions that need more than a click: their own page shows what is at
# stake and asks for a reason or an attestation.
CONFIRMED_ON_THEIR_OWN_PAGE = {
    "unpublish": "admin:articles_article_withdraw",
    "reconfirm": "admin:articles_article_reconfirm",
}
# Decided on the review page, with the changes on screen.
ON_THE_REVIEW_PAGE = ("approve", "request_changes")


def reviewer_choices(article: Article) -> dict:
    """The medical reviewers an editor may address a submission to, by id:
    those who may approve this text (four eyes)."""
    return {
        str(user.pk): user
        for user in notices.medical_reviewers()
        if not four_eyes.approval_conflict(article, user)
    }


def schedule_context(article: Article, user) -> dict:
    """The scheduling form and the article's scheduled changes."""
    may = user.has_perm("articles.publish_article")
    return {
        "may_schedule_publish": may and article.status == Article.Status.APPROVED,
        "may_schedule_withdraw": may and article.is_public(),
        "may_cancel_schedules": may,
        "schedules": article.scheduled_changes.select_related("created_by").order_by(
            "-created_at"
        )[:5],
        "time_zone": time_zone_label(),
        "schedule_min": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


def change_form_context(article: Article, user) -> dict:
    """What the change form shows around the fields: the workflow's actions,
    the reviewer's request for changes, open comments, the live version's
    source links that need attention, and the history."""
    # The workflow says which transitions apply; some are decided on their
    # own pages (review, withdrawal, periodic review): those are links.
    available = workflow.available_transitions(article, user)
    buttons = [
        (name, workflow.TRANSITIONS[name][0])
        for name in available
        if name not in ON_THE_REVIEW_PAGE and name not in CONFIRMED_ON_THEIR_OWN_PAGE
    ]
    submitting = "submit" in available
    return {
        **schedule_context(article, user),
        "reviewer_choices": reviewer_choices(article).values() if submitting else [],
        "workflow_buttons": buttons,
        "may_withdraw": "unpublish" in available,
        "may_reconfirm": "reconfirm" in available,
        "may_decide": any(name in ON_THE_REVIEW_PAGE for name in available),
        "part_comments": comments.threads(article),
        "changes_requested": article.events.filter(
            action=ReviewEvent.Action.REQUEST_CHANGES
        )
        .select_related("user")
        .first()
        if article.status == Article.Status.CHANGES_REQUESTED
        else None,
        "asks_change_summary": any(name == "submit" for name, _ in buttons),
        "republishing": article.versions.filter(
            kind=ArticleVersion.Kind.PUBLICATION
        ).exists(),
        "plain_language": plain_language_report(article),
        "can_review": user.has_perm("articles.review_article"),
        "events": article.events.select_related("user", "version")[:50],
        "versions": article.versions.select_related("published_by", "reviewer"),
        "revisions": article.revisions.select_related("saved_by")[:30],
        "all_comments": comments.threads(article, open_only=False),
        "bad_sources": article_bad_sources(article, user),
    }
