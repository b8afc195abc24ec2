"""One public change, one refresh: publishing/refresh.py moves the public-content
counter once per transaction and calls the purge hook once, after commit, for
each kind of change, however many articles, neighbours and pages it rebuilds.

These tests commit for real (transaction=True), so on_commit hooks run as they
do in production."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticlePage, PublicState
from articles.review import workflow
from articles.transfer.backup import export_data
from tests.factories import ArticleFactory, make_published, make_reviewer, republish
from tests.forms import form_data
from tests.tasks import run_queued_tasks
from tests.test_admin import ADD_URL, CHANGELIST_URL, NO_INLINES, new_article_data
from tests.test_backup import wipe_everything

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PURGES = []


def count_purge():
    """The purge hook under test (DJANGO_PUBLIC_PURGE_HOOK names it)."""
    PURGES.append(1)


@pytest.fixture
def counted(settings):
    """Count counter moves and purge calls from here on: counted() -> (bumps, purges)."""
    settings.PUBLIC_PURGE_HOOK = "tests.test_refresh.count_purge"
    PURGES.clear()
    start = PublicState.objects.get().generation

    def counts():
        return PublicState.objects.get().generation - start, len(PURGES)

    return counts


@pytest.fixture
def neighbours(editor, reviewer):
    """Public articles on one topic that will link to a new one, beside two
    about something else (which make "tea" a telling word)."""
    first = make_published(editor=editor, reviewer=reviewer, title="Is tea healthy?")
    for title in ("Is green tea healthy?", "Is black tea healthy?"):
        make_published(editor=editor, reviewer=reviewer, title=title, topic=first.topic)
    for title in ("What causes migraines?", "How do I treat a sprained ankle?"):
        make_published(editor=editor, reviewer=reviewer, title=title)
    run_queued_tasks()  # their links to each other
    return Article.objects.filter(topic=first.topic)


def workflow_url(article):
    return reverse("admin:articles_article_workflow", args=[article.pk])


def test_create_submit_approve_publish_over_http_refreshes_once(
    client, editor, reviewer, neighbours, counted
):
    topic = neighbours[0].topic
    client.force_login(editor)
    data = new_article_data(
        title="Is herbal tea healthy?",
        slug="herbal-tea",
        topic=str(topic.pk),
        # Written like its neighbours, so that they should link to it.
        short_answer="Yes, in most cases.",
        body="## Background\n\nSome explanation.\n",
    )
    assert client.post(ADD_URL, data | NO_INLINES).status_code == 302
    article = Article.objects.get(slug="herbal-tea")
    client.post(workflow_url(article), {"transition": "submit"})
    client.force_login(reviewer)
    article.refresh_from_db()
    client.post(
        workflow_url(article),
        {"transition": "approve", "content_hash": article.approval_hash()},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert counted() == (0, 0)  # nothing visitors see has changed yet

    client.force_login(editor)
    client.post(workflow_url(article), {"transition": "publish"})

    article.refresh_from_db()
    assert article.live_version is not None
    assert counted() == (1, 1)
    # The article's own page links to its neighbours at once; the neighbours'
    # links and stored pages are the worker's job, queued by that refresh and
    # applied in one refresh of its own.
    assert ArticlePage.objects.filter(article=article).exists()
    others = neighbours.exclude(pk=article.pk)
    for neighbour in others:
        assert "Is herbal tea healthy?" not in (
            ArticlePage.objects.get(article=neighbour).content_html
        )
    assert run_queued_tasks().count("relink_neighbours") == 1
    assert counted() == (2, 2)
    for neighbour in others:
        assert "Is herbal tea healthy?" in (
            ArticlePage.objects.get(article=neighbour).content_html
        )


def test_pages_linking_to_a_republished_article_show_its_new_question_at_once(
    editor, reviewer, neighbours, counted
):
    renamed = neighbours.get(title="Is tea healthy?")
    others = list(neighbours.exclude(pk=renamed.pk))
    assert all(renamed.title in stored_page(other) for other in others)
    republish(renamed, editor=editor, reviewer=reviewer, title="Is tea good for me?")
    # No worker has run: the pages that link to it were stored by the publish.
    assert counted() == (1, 1)
    for other in others:
        assert "Is tea good for me?" in stored_page(other)
        assert "Is tea healthy?" not in stored_page(other)


def stored_page(article) -> str:
    return ArticlePage.objects.get(article=article).content_html


def test_a_withdrawal_over_http_refreshes_once(client, editor, neighbours, counted):
    withdrawn = neighbours[0]
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_withdraw", args=[withdrawn.pk]),
        {"reason": "Out of date."},
    )
    withdrawn.refresh_from_db()
    assert withdrawn.live_version is None
    assert counted() == (1, 1)
    assert not ArticlePage.objects.filter(article=withdrawn).exists()
    for neighbour in neighbours.exclude(pk=withdrawn.pk):
        assert withdrawn.title not in (
            ArticlePage.objects.get(article=neighbour).content_html
        )


def test_a_periodic_re_review_refreshes_once(editor, article, counted):
    workflow.reconfirm_review(
        article, user=make_reviewer(), attested=True, comment="Still right"
    )
    assert counted() == (1, 1)


def test_a_bulk_publish_of_three_articles_refreshes_once(
    client, editor, reviewer, counted
):
    approved = []
    for n in range(3):
        draft = ArticleFactory(title=f"Is approved question {n} answered?")
        workflow.record_edit(draft, user=editor)
        workflow.submit_for_review(draft, user=editor)
        workflow.approve_medical_review(draft, user=reviewer)
        approved.append(draft.pk)
    assert counted() == (0, 0)
    client.force_login(editor)
    client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": approved},
    )
    assert (
        Article.objects.filter(pk__in=approved, live_version__isnull=False).count() == 3
    )
    assert counted() == (1, 1)


def test_a_topic_edit_in_the_admin_refreshes_once(client, admin_user, article, counted):
    client.force_login(admin_user)
    url = reverse("admin:articles_topic_change", args=[article.topic_id])
    client.post(url, form_data(client, url, "topic_form", name="Renamed topic"))
    assert counted() == (1, 1)
    assert "Renamed topic" in ArticlePage.objects.get(article=article).content_html


def test_a_person_edit_in_the_admin_refreshes_once(
    client, admin_user, article, counted
):
    rendered_at = ArticlePage.objects.get(article=article).rendered_at
    client.force_login(admin_user)
    url = reverse("admin:articles_person_change", args=[article.author_id])
    client.post(url, form_data(client, url, "person_form", name="Renamed Writer"))
    assert counted() == (1, 1)
    # Rendered again (the byline's name itself is part of the approved version).
    assert ArticlePage.objects.get(article=article).rendered_at > rendered_at


def test_loading_a_backup_refreshes_once(editor, neighbours, tmp_path, counted):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export_data()))
    wipe_everything()
    before = counted()
    call_command("load_articles", str(path))
    assert counted() == (before[0] + 1, before[1] + 1)
    assert ArticlePage.objects.count() == 5  # every live article's page, stored


def test_a_failed_change_neither_bumps_nor_purges(client, editor, draft, counted):
    client.force_login(editor)
    client.post(workflow_url(draft), {"transition": "publish"})  # not approved
    assert counted() == (0, 0)
