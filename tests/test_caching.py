"""HTTP validators, Cache-Control and the page cache (articles/web/page_cache.py)."""

import pytest
from django.urls import reverse

from articles.models import PublicState
from articles.publishing import refresh
from articles.review import workflow
from tests.factories import make_published, update_summary

pytestmark = pytest.mark.django_db

PURGED = []


def record_purge():
    PURGED.append("purged")


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_public_pages_send_validators_and_cache_control(client, article):
    for url in [
        "/",
        article.topic.get_absolute_url(),
        article.get_absolute_url(),
        "/feed/",
    ]:
        response = get(client, url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        assert "s-maxage=300" in response["Cache-Control"]


def test_conditional_get_is_answered_304_without_rendering(
    client, article, django_assert_max_num_queries
):
    etag = get(client, article.get_absolute_url())["ETag"]
    with django_assert_max_num_queries(1):
        response = get(client, article.get_absolute_url(), if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # The same caching headers as the full answer, Vary included.
    assert response["Vary"] == "Cookie"
    assert "s-maxage=300" in response["Cache-Control"]


def test_weak_and_listed_etags_follow_the_http_rules(client, article):
    url = article.get_absolute_url()
    etag = get(client, url)["ETag"]
    assert get(client, url, if_none_match=f"W/{etag}").status_code == 304
    assert get(client, url, if_none_match=f'"old-1", {etag}').status_code == 304
    assert get(client, url, if_none_match="*").status_code == 304
    stale = get(client, url, if_none_match='"0-0"')
    assert stale.status_code == 200
    assert article.live_version.title in stale.content.decode()


def test_a_session_cookie_without_a_login_still_gets_the_public_page(client, article):
    client.cookies["sessionid"] = "not-a-session-anyone-has"
    response = get(client, article.get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_if_modified_since_is_honoured(client, article):
    last_modified = get(client, article.get_absolute_url())["Last-Modified"]
    response = get(client, article.get_absolute_url(), if_modified_since=last_modified)
    assert response.status_code == 304


def test_a_cached_page_costs_one_query(client, article, django_assert_max_num_queries):
    first = get(client, article.get_absolute_url())
    with django_assert_max_num_queries(1):
        second = get(client, article.get_absolute_url())
    assert second.content == first.content


def test_publishing_anything_changes_the_validator_and_the_cached_page(
    client, editor, reviewer, article
):
    before = get(client, article.get_absolute_url())
    article.short_answer = "A newly approved answer."
    article.save()
    workflow.record_edit(article, user=editor)
    assert get(client, article.get_absolute_url())["ETag"] == before["ETag"]
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)

    stale = get(client, article.get_absolute_url(), if_none_match=before["ETag"])
    assert stale.status_code == 200
    assert stale["ETag"] != before["ETag"]
    assert "A newly approved answer." in stale.content.decode()


def test_a_withdrawal_takes_effect_at_once_for_a_cached_page(client, editor, article):
    assert get(client, article.get_absolute_url()).status_code == 200
    assert get(client, article.get_absolute_url()).status_code == 200  # cached
    workflow.unpublish(article, user=editor, comment="Safety")
    assert get(client, article.get_absolute_url()).status_code == 410


def test_recomputed_related_links_and_topic_edits_change_the_validator(
    client, admin_user, article
):
    generation = PublicState.objects.get().generation
    refresh.links_changed(article)
    assert PublicState.objects.get().generation == generation + 1

    client.force_login(admin_user)  # a public topic is administrators' text
    topic = article.topic
    client.post(
        reverse("admin:articles_topic_change", args=[topic.pk]),
        {"name": "Renamed topic", "slug": topic.slug, "description": ""},
    )
    assert PublicState.objects.get().generation == generation + 2


def test_staff_responses_are_private_and_never_reach_the_cache(
    client, editor, reviewer, article
):
    article.short_answer = "Draft words for staff only."
    article.save()
    workflow.record_edit(article, user=editor)
    client.force_login(editor)
    preview = client.get(article.live_version.get_absolute_url() + "?preview=draft")
    assert "Draft words for staff only." in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    client.logout()
    public = client.get(article.live_version.get_absolute_url() + "?preview=draft")
    assert "Draft words for staff only." not in public.content.decode()


def test_head_requests_are_answered(client, article):
    response = client.head(article.get_absolute_url())
    assert response.status_code == 200
    assert response["ETag"]


def test_the_purge_hook_runs_after_a_change_commits(
    settings, editor, reviewer, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PURGE_HOOK = "tests.test_caching.record_purge"
    PURGED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_published(editor=editor, reviewer=reviewer)
    assert PURGED  # at least once, after the commit


def test_a_visitors_revalidation_is_answered_before_the_session_middleware(
    client, article
):
    url = article.get_absolute_url()
    etag = get(client, url)["ETag"]
    early = get(client, url, if_none_match=etag)
    assert early.status_code == 304
    assert not hasattr(early.wsgi_request, "session")  # never reached it
    assert early["Vary"] == "Cookie" and early["ETag"] == etag
    # With a session cookie the request goes the whole way (public_page's own
    # check then decides), and so does a non-public address.
    client.cookies["sessionid"] = "not-a-session-anyone-has"
    full = get(client, url, if_none_match=etag)
    assert full.status_code == 304 and hasattr(full.wsgi_request, "session")
    del client.cookies["sessionid"]
    login = get(client, "/admin/login/", if_none_match=etag)
    assert login.status_code == 200


def test_an_early_revalidation_still_checks_the_host(client, article):
    etag = get(client, article.get_absolute_url())["ETag"]
    response = client.get(
        article.get_absolute_url(),
        headers={"if-none-match": etag},
        HTTP_HOST="evil.example",
    )
    assert response.status_code == 400


def test_a_revalidation_after_a_withdrawal_gets_the_410(client, editor, article):
    url = article.get_absolute_url()
    etag = get(client, url)["ETag"]
    workflow.unpublish(article, user=editor, comment="Unsafe advice")
    response = get(client, url, if_none_match=etag)
    assert response.status_code == 410


def test_a_revalidation_while_the_database_is_down_gets_the_503(client, article):
    from unittest import mock

    from django.db import OperationalError

    etag = get(client, article.get_absolute_url())["ETag"]
    with mock.patch(
        "articles.web.page_cache.current_state", side_effect=OperationalError("down")
    ):
        response = get(client, article.get_absolute_url(), if_none_match=etag)
    assert response.status_code == 503


def test_a_cached_page_is_served_early_with_every_header_it_was_made_with(
    client, article
):
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())
    assert not hasattr(second.wsgi_request, "session")  # served before it
    assert second.content == first.content
    for header in ["Content-Security-Policy", "X-Frame-Options", "Vary", "ETag"]:
        assert second[header] == first[header], header


def test_responses_that_set_a_cookie_or_are_private_are_never_kept():
    from django.http import HttpResponse

    from articles.web.page_cache import _keepable

    public = HttpResponse("page", headers={"Cache-Control": "public, max-age=60"})
    assert _keepable(public)
    with_cookie = HttpResponse("page", headers={"Cache-Control": "public"})
    with_cookie.set_cookie("csrftoken", "x")
    assert not _keepable(with_cookie)
    assert not _keepable(HttpResponse("page", headers={"Cache-Control": "private"}))
    assert not _keepable(HttpResponse("page"))


def test_pages_are_served_while_the_cache_backend_is_down(client, article):
    from unittest import mock

    with (
        mock.patch(
            "articles.web.page_cache.cache.get",
            side_effect=ConnectionError("redis down"),
        ),
        mock.patch(
            "articles.web.page_cache.cache.set", side_effect=ConnectionError("down")
        ),
    ):
        response = get(client, article.get_absolute_url())
    assert response.status_code == 200
    assert article.live_version.title in response.content.decode()


def test_answers_with_unknown_query_parameters_are_not_kept(client, article):
    url = article.get_absolute_url()
    get(client, url + "?utm=1")
    again = get(client, url + "?utm=1")
    assert hasattr(again.wsgi_request, "session")  # rendered again, not kept
    get(client, url + "?page=1")
    kept = get(client, url + "?page=1")
    assert not hasattr(kept.wsgi_request, "session")


def test_if_match_is_left_to_the_view(client, article):
    response = get(client, article.get_absolute_url(), if_match='"no-such-tag"')
    assert response.status_code == 200


def test_two_changes_within_a_second_get_different_last_modified(client, article):
    before = get(client, article.get_absolute_url())["Last-Modified"]
    refresh.site_changed()
    refresh.site_changed()
    after = get(client, article.get_absolute_url())
    assert after["Last-Modified"] != before
    stale = get(client, article.get_absolute_url(), if_modified_since=before)
    assert stale.status_code == 200


def test_the_release_is_part_of_the_validator(client, article, settings):
    old = get(client, article.get_absolute_url())["ETag"]
    settings.RELEASE_TAG = "-2026.11.21"
    response = get(client, article.get_absolute_url(), if_none_match=old)
    assert response.status_code == 200
    assert response["ETag"].endswith('-2026.11.21"')
