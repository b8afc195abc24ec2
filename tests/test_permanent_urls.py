"""Addresses are permanent: old slugs 301 straight to the current one; withdrawn is 410."""

import pytest

from articles.review import workflow
from tests.factories import make_published, make_reviewer, republish

pytestmark = pytest.mark.django_db


def republish_with_slug(article, slug, editor):
    return republish(article, editor=editor, reviewer=make_reviewer(), slug=slug)


def test_an_old_address_answers_301_to_the_new_one(client, editor, article):
    old = article.live_version.get_absolute_url()
    republish_with_slug(article, "second-address", editor)
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (
        301,
        "/questions/second-address/",
    )
    assert client.get("/questions/second-address/").status_code == 200


def test_after_two_changes_both_old_addresses_go_straight_to_the_newest(
    client, editor, article
):
    first = article.live_version.get_absolute_url()
    republish_with_slug(article, "second-address", editor)
    republish_with_slug(article, "third-address", editor)
    for old in (first, "/questions/second-address/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (
            301,
            "/questions/third-address/",
        )
    assert client.get("/questions/third-address/").status_code == 200


def test_going_back_to_an_old_address_serves_it_without_a_loop(client, editor, article):
    first_slug = article.slug
    republish_with_slug(article, "second-address", editor)
    republish_with_slug(article, first_slug, editor)
    assert client.get(f"/questions/{first_slug}/").status_code == 200
    response = client.get("/questions/second-address/")
    assert response["Location"] == f"/questions/{first_slug}/"


def test_an_unpublished_slug_change_does_not_redirect_yet(client, editor, article):
    old = article.live_version.get_absolute_url()
    article.slug = "not-yet"
    article.save()
    workflow.record_edit(article, user=editor)
    assert client.get(old).status_code == 200
    assert client.get("/questions/not-yet/").status_code == 404


def test_a_withdrawn_article_answers_410_at_every_address_it_had(
    client, editor, article
):
    first = article.live_version.get_absolute_url()
    republish_with_slug(article, "second-address", editor)
    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")
    for url in (first, "/questions/second-address/"):
        response = client.get(url)
        assert response.status_code == 410
        assert "This article has been withdrawn" in response.content.decode()


def test_an_address_taken_over_by_another_article_serves_that_article(
    client, editor, reviewer, article
):
    first_slug = article.slug
    republish_with_slug(article, "moved-on", editor)
    newcomer = make_published(
        editor=editor, reviewer=make_reviewer(), slug=first_slug, title="Is this new?"
    )
    response = client.get(f"/questions/{first_slug}/")
    assert response.status_code == 200
    assert "<h1>Is this new?</h1>" in response.content.decode()
    assert newcomer.live_version.slug == first_slug
