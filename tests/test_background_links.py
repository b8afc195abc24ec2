"""The worker's related-link refresh never brings back a link to an article
withdrawn while it ran: every public change moves the public-content counter
first, and that row lock makes the two take turns (publishing/refresh.py)."""

import os
import threading

import pytest
from django.db import connection, connections

from articles.models import ArticlePage, RelatedLink
from articles.publishing import refresh, related
from articles.review import workflow
from tests.factories import TopicFactory, make_published
from tests.tasks import run_queued_tasks

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "psql")),
        reason="needs two connections writing at once: the PostgreSQL leg runs this "
        "(SQLite lets one writer in at a time)",
    ),
    # Committed data, and the database put back as the next test expects it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def in_thread(work, errors):
    def run():
        try:
            work()
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_withdrawal_during_the_workers_refresh_leaves_no_link_to_it(
    editor, reviewer, monkeypatch
):
    assert connection.vendor == "postgresql"
    topic = TopicFactory()
    neighbour = make_published(
        editor=editor, reviewer=reviewer, topic=topic, title="Is the neighbour here?"
    )
    withdrawn = make_published(
        editor=editor, reviewer=reviewer, topic=topic, title="Is this withdrawn?"
    )
    run_queued_tasks()
    assert RelatedLink.objects.filter(article=neighbour, target=withdrawn).exists()

    candidates_read, carry_on = threading.Event(), threading.Event()
    original = related._candidates

    def slow_candidates(article, tag_ids):
        found = original(article, tag_ids)
        if article.pk == neighbour.pk:
            candidates_read.set()  # the worker has read the article as public
            carry_on.wait(10)
        return found

    monkeypatch.setattr(related, "_candidates", slow_candidates)
    errors = []
    worker = in_thread(lambda: refresh.relink_neighbours.call([neighbour.pk]), errors)
    assert candidates_read.wait(10)
    withdrawal = in_thread(
        lambda: workflow.unpublish(withdrawn, user=editor, comment="Unsafe advice."),
        errors,
    )
    withdrawal.join(1.5)
    assert withdrawal.is_alive()  # it waits for the worker's refresh to commit
    carry_on.set()
    worker.join(20)
    withdrawal.join(20)
    assert errors == []
    assert not RelatedLink.objects.filter(target=withdrawn).exists()
    page = ArticlePage.objects.get(article=neighbour).content_html
    assert withdrawn.slug not in page and "Is this withdrawn?" not in page
