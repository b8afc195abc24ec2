"""Steps of tests/test_worker_process.py, run in their own process
(`manage.py shell -c`) against the database the worker uses. Each prints one
JSON line with what the test needs to know."""

import datetime
import json
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Notification, PeriodicRun, ScheduledChange
from articles.review import schedules, workflow
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    make_editor,
    make_reviewer,
)

# Each step runs in a new process, where the factories would count from 0 again.
for factory in (ArticleFactory, PersonFactory, TopicFactory, UserFactory):
    factory.reset_sequence(random.randrange(10**6, 10**9))


def _say(**facts):
    print(json.dumps(facts, default=str))


def team(reviewers: int = 2):
    make_editor(username="ed")
    for number in range(reviewers):
        make_reviewer(username=f"rev{number}")
    _say(reviewers=[f"rev{n}@example.org" for n in range(reviewers)])


def _editor():
    return get_user_model().objects.get(username="ed")


def _written(title):
    article = ArticleFactory(title=title)
    workflow.record_edit(article, user=_editor())
    return article


def submit(count: int = 1, prefix: str = "Is this question"):
    ids = []
    for number in range(count):
        article = _written(f"{prefix} number {number}?")
        workflow.submit_for_review(article, user=_editor(), comment="Please check.")
        ids.append(article.pk)
    _say(articles=ids)


def submit_then_roll_back():
    """A submission whose transaction fails after the event was logged."""
    article = _written("Was this submission rolled back?")
    try:
        with transaction.atomic():
            workflow.submit_for_review(article, user=_editor())
            raise RuntimeError("the request failed after the submission")
    except RuntimeError:
        pass
    _say(article=article.pk, status=Article.objects.get(pk=article.pk).status)


def approved_and_scheduled(title: str, seconds: float):
    article = _written(title)
    workflow.submit_for_review(article, user=_editor())
    reviewer = get_user_model().objects.get(username="rev0")
    workflow.approve_medical_review(article, user=reviewer)
    run_at = timezone.now() + datetime.timedelta(seconds=seconds)
    change = schedules.schedule(
        article, action="publish", run_at=run_at, user=_editor()
    )
    _say(article=article.pk, change=change.pk, run_at=run_at.isoformat())


def edit(article_id: int):
    article = Article.objects.get(pk=article_id)
    article.short_answer = "Changed after the approval."
    article.save()
    workflow.record_edit(article, user=_editor())
    _say(status=Article.objects.get(pk=article_id).status)


def overdue_review():
    """A published article whose periodic review is overdue (for the digest)."""
    article = _written("Is this review overdue?")
    workflow.submit_for_review(article, user=_editor())
    workflow.approve_medical_review(
        article, user=get_user_model().objects.get(username="rev0")
    )
    article = workflow.publish(article, user=_editor())
    today = timezone.localdate()
    type(article.live_version).objects.filter(pk=article.live_version_id).update(
        last_reviewed_on=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=2),
    )
    # Earlier tests' workers already ran today's digest in this database.
    PeriodicRun.objects.filter(job="digest").delete()
    _say(article=article.pk)


def state(article_ids=()):
    articles = Article.objects.filter(pk__in=article_ids).select_related("live_version")
    _say(
        notifications=[
            {
                "kind": n.kind,
                "to": n.to_address,
                "status": n.status,
                "attempts": n.attempts,
                "error": n.last_error,
            }
            for n in Notification.objects.order_by("pk")
        ],
        articles={
            a.pk: {
                "status": a.status,
                "published_at": a.live_version.published_at.isoformat()
                if a.live_version
                else None,
            }
            for a in articles
        },
        schedules={
            c.pk: {"state": c.state, "outcome": c.outcome}
            for c in ScheduledChange.objects.all()
        },
    )
