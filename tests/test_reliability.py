"""When the database fails: a friendly 503, /healthz, and no half-done publish."""

from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError, connection
from django.test import Client

from articles.models import ArticlePage, ArticleVersion, PublicState, ReviewEvent
from articles.review import workflow
from tests.factories import make_published

pytestmark = pytest.mark.django_db

DOWN = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_page_that_cannot_reach_the_database_gets_a_friendly_503(client, article):
    with mock.patch("articles.web.page_cache.current_state", side_effect=DOWN):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "temporarily unavailable" in html
    assert "call 999" in html
    # No traceback, no server detail.
    assert "Traceback" not in html and "127.0.0.1" not in html
    assert "Connection refused" not in html


def test_the_admin_gets_the_503_too(admin_client, article):
    with mock.patch(
        "django.contrib.admin.options.ModelAdmin.get_queryset", side_effect=DOWN
    ):
        response = admin_client.get("/admin/articles/article/")
    assert response.status_code == 503


def test_other_database_errors_stay_500s_with_the_standalone_page(article):
    """A bug is not an outage: it must reach the error log as a 500."""
    client = Client(raise_request_exception=False)
    with mock.patch(
        "articles.web.page_cache.current_state", side_effect=IntegrityError("a bug")
    ):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "a bug" not in html


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_unavailable_without_details(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("password authentication")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "databases": {"default": "unavailable"},
    }
    assert "password" not in response.content.decode()


def failing_statement():
    """A real database error, raised by the database inside the transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM table_that_does_not_exist")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_that_fails_midway_leaves_the_previous_version_live(editor, reviewer):
    article = make_published(editor=editor, reviewer=reviewer)
    old_version = article.live_version
    old_html = Client().get(article.get_absolute_url()).content.decode()
    assert old_version.short_answer in old_html

    article.short_answer = "New words that must never be seen half published."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor, change_summary="New short answer.")
    workflow.approve_medical_review(article, user=reviewer)
    counts = (
        ArticleVersion.objects.count(),
        ReviewEvent.objects.count(),
        PublicState.objects.get().generation,
    )
    page_before = ArticlePage.objects.get(article=article)

    # The error comes after the new version row, the article update, the
    # related links and the stored pages were written: the last step.
    with mock.patch(
        "articles.publishing.refresh._public_content_changed",
        side_effect=failing_statement,
    ):
        with pytest.raises(Exception) as raised:
            workflow.publish(article, user=editor)
    assert "table_that_does_not_exist" in str(raised.value)

    article.refresh_from_db()
    assert article.live_version_id == old_version.pk
    assert article.status == "approved"
    assert counts == (
        ArticleVersion.objects.count(),
        ReviewEvent.objects.count(),
        PublicState.objects.get().generation,
    )
    page_after = ArticlePage.objects.get(article=article)
    assert page_after.version_id == page_before.version_id
    assert page_after.content_html == page_before.content_html
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "New words that must never be seen" not in html
    assert old_version.short_answer in html

    # Nothing is stuck: the same approval publishes once the database is well.
    workflow.publish(article, user=editor)
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "New words that must never be seen half published." in html
