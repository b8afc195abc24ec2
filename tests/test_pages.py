"""The article page's pre-rendered main block (articles/publishing/stored_pages.py)."""

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import ArticlePage, RelatedPick
from articles.publishing import refresh
from articles.publishing import stored_pages as pages
from articles.review import workflow
from tests.factories import ArticleFactory, TopicFactory, make_published, republish
from tests.tasks import run_queued_tasks


def stored_html(article) -> str:
    return ArticlePage.objects.get(article=article).content_html


def test_publishing_stores_the_block_of_the_live_version(article):
    page = ArticlePage.objects.get(article=article)
    assert page.version_id == article.live_version_id
    assert page.renderer == pages.renderer_key()
    assert "Some explanation." in page.content_html
    assert article.title in page.content_html


def test_a_visit_serves_the_stored_block_without_rendering(
    client, article, monkeypatch, django_assert_max_num_queries
):
    ArticlePage.objects.filter(article=article).update(
        content_html="<p>Stored block marker</p>"
    )

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered at request time")

    monkeypatch.setattr(pages, "render_content", no_rendering)
    with django_assert_max_num_queries(2):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Stored block marker" in html
    assert "Some explanation." not in html  # the block came from the row only


def test_a_block_rendered_by_other_code_is_not_served_and_visits_never_store(
    client, article
):
    ArticlePage.objects.filter(article=article).update(
        content_html="<p>Old templates</p>", renderer="old"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Old templates" not in html
    assert "Some explanation." in html  # rendered live for this visit
    # Only writers store pages, so a visit cannot put back a page rendered
    # from data a writer was changing at the same time.
    assert stored_html(article) == "<p>Old templates</p>"
    call_command("render_pages")
    assert "Some explanation." in stored_html(article)


def test_a_missing_block_is_rendered_live(client, article):
    ArticlePage.objects.filter(article=article).delete()
    assert (
        "Some explanation." in client.get(article.get_absolute_url()).content.decode()
    )
    assert not ArticlePage.objects.filter(article=article).exists()


def test_the_renderer_key_covers_the_json_ld_code(monkeypatch, settings):
    from articles.publishing import structured_data

    settings.DEBUG = True  # computed afresh
    before = pages.renderer_key()
    monkeypatch.setattr(structured_data, "__file__", pages.__file__)
    assert pages.renderer_key() != before


def test_a_new_version_gets_a_new_block_and_withdrawal_drops_it(
    client, article, editor, reviewer
):
    republish(
        article,
        editor=editor,
        reviewer=reviewer,
        body="## Background\n\nNewer explanation.\n",
    )
    assert "Newer explanation." in stored_html(article)
    assert (
        "Newer explanation." in client.get(article.get_absolute_url()).content.decode()
    )

    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")
    assert not ArticlePage.objects.filter(article=article).exists()
    assert client.get(article.get_absolute_url()).status_code == 410


def test_a_periodic_review_stores_the_new_review_dates(article, editor):
    from tests.factories import make_reviewer

    second = make_reviewer(username="second-reviewer")
    before = stored_html(article)
    workflow.reconfirm_review(article, user=second, attested=True)
    article.refresh_from_db()
    page = ArticlePage.objects.get(article=article)
    assert page.version_id == article.live_version_id
    assert second.person.name in page.content_html
    assert second.person.name not in before


def test_related_blocks_follow_their_targets_title_and_withdrawal(
    client, editor, reviewer
):
    topic = TopicFactory()
    first = make_published(
        editor=editor, reviewer=reviewer, topic=topic, title="Is the first linked?"
    )
    second = make_published(
        editor=editor, reviewer=reviewer, topic=topic, title="Is the second linked?"
    )
    first.refresh_from_db()
    run_queued_tasks()  # the neighbours' links are the worker's job
    assert "Is the second linked?" in stored_html(first)

    republish(second, editor=editor, reviewer=reviewer, title="Is the second renamed?")
    run_queued_tasks()
    assert "Is the second renamed?" in stored_html(first)
    assert "Is the second linked?" not in stored_html(first)

    workflow.unpublish(second, user=editor, comment="Withdrawn for a test.")
    assert second.slug not in stored_html(first)  # at once: no worker needed
    html = client.get(first.get_absolute_url()).content.decode()
    assert "Is the second renamed?" not in html


def test_an_editor_pick_on_a_public_article_updates_its_block(editor, reviewer):
    topic_a, topic_b = TopicFactory(), TopicFactory()
    first = make_published(editor=editor, reviewer=reviewer, topic=topic_a)
    target = make_published(
        editor=editor, reviewer=reviewer, topic=topic_b, title="Is this picked?"
    )
    RelatedPick.objects.create(article=first, target=target, position=1)

    refresh.links_changed(first)
    assert "Is this picked?" in stored_html(first)


def test_render_pages_command_fills_missing_and_outdated_blocks(article, editor):
    other = make_published(editor=editor, title="Is another one here?")
    ArticlePage.objects.filter(article=article).delete()
    ArticlePage.objects.filter(article=other).update(renderer="old")
    draft = ArticleFactory()
    workflow.record_edit(draft, user=editor)

    call_command("render_pages")
    assert ArticlePage.objects.filter(renderer=pages.renderer_key()).count() == 2
    assert not ArticlePage.objects.filter(article=draft).exists()
    assert pages.render_missing() == 0


@pytest.mark.parametrize("path_suffix", ["", "?preview=draft"])
def test_staff_previews_render_live_and_store_nothing(
    client, article, editor, path_suffix
):
    ArticlePage.objects.filter(article=article).update(content_html="<p>Stored</p>")
    article.body = "## Background\n\nUnpublished words.\n"
    article.save()
    workflow.record_edit(article, user=editor)
    client.force_login(editor)
    html = client.get(article.get_absolute_url() + path_suffix).content.decode()
    if path_suffix:
        assert "Unpublished words." in html and "Draft preview" in html
    else:
        assert "Stored" in html and "Unpublished words." not in html
    assert stored_html(article) == "<p>Stored</p>"


def test_a_topic_edit_renders_its_articles_pages_again(admin_client, article):
    topic = article.topic
    response = admin_client.post(
        f"/admin/articles/topic/{topic.pk}/change/",
        {"name": "Renamed topic", "slug": topic.slug, "description": "About it."},
    )
    assert response.status_code == 302
    assert "Renamed topic" in stored_html(article)
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Renamed topic" in html


def test_the_stored_head_takes_the_visits_own_host(client, article, settings):
    settings.ALLOWED_HOSTS = ["health.example", "testserver"]
    html = client.get(article.get_absolute_url(), HTTP_HOST="health.example")
    html = html.content.decode()
    assert f'href="http://health.example{article.get_absolute_url()}"' in html
    assert pages.ORIGIN_MARKER not in html
    assert pages.ORIGIN_MARKER in ArticlePage.objects.get(article=article).head_html
