"""The partner API (/api/v1/): only live, approved text; keys, limits and
usage; 304s from the public-content counter; a change feed that tells
partners what to remove; an OpenAPI description that validates."""

import datetime
import re

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from articles.api import v1
from articles.models import FAQ, PartnerKey
from articles.review import workflow
from tests.factories import ArticleFactory, make_published, make_reviewer, republish

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def key(django_user_model):
    admin = django_user_model.objects.create_superuser("keyadmin", "a@example.org")
    return PartnerKey.issue(partner="Riverside clinic", created_by=admin)


@pytest.fixture
def partner(client, key):
    """GET as the partner holding `key`: partner(path, **headers)."""
    _, secret = key

    def get(path, **headers):
        return client.get(API + path, HTTP_X_API_KEY=secret, **headers)

    return get


@pytest.fixture
def site(editor, reviewer):
    """A live article with a pending edit, a draft, and a withdrawn article."""
    live = make_published(
        editor=editor,
        reviewer=reviewer,
        title="Is ginger good for nausea?",
        short_answer="It may help mild nausea.",
    )
    FAQ.objects.create(
        article=live, position=1, question="How much?", answer="A little."
    )
    live = republish(live, editor=editor, reviewer=reviewer, summary="Added an FAQ.")
    live.short_answer = "Unreviewed words about zanzibarine."
    live.save()
    workflow.record_edit(live, user=editor)
    draft = ArticleFactory(title="Is quinoxaline safe?", slug="quinoxaline")
    workflow.record_edit(draft, user=editor)
    withdrawn = make_published(
        editor=editor, reviewer=reviewer, title="Is arnica useful?", slug="arnica"
    )
    workflow.unpublish(withdrawn, user=editor, comment="Evidence changed.")
    return live, draft, withdrawn


def test_without_a_key_the_api_answers_401_and_says_how_to_call_it(client):
    response = client.get(API + "/articles")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Send a valid partner API key in the X-API-Key header."
    }


def test_anonymous_access_is_a_setting_and_a_wrong_key_is_refused_even_then(
    client, settings, key
):
    settings.API_ANONYMOUS = True
    assert client.get(API + "/articles").status_code == 200
    wrong = client.get(API + "/articles", HTTP_X_API_KEY="ha_not-a-real-key")
    assert wrong.status_code == 401


def test_a_key_is_stored_only_as_its_hash_and_a_revoked_key_stops_at_once(partner, key):
    stored, secret = key
    assert secret.startswith("ha_") and len(secret) > 40
    row = PartnerKey.objects.filter(pk=stored.pk).values().get()
    assert secret not in [str(value) for value in row.values()]
    assert row["prefix"] == secret[:9]
    assert partner("/articles").status_code == 200
    stored.revoked_at = timezone.now()
    stored.save()
    assert partner("/articles").status_code == 401


def test_each_key_has_its_own_rate_limit_and_its_usage_is_counted(
    client, partner, key, django_user_model
):
    stored, _ = key
    stored.requests_per_minute = 3
    stored.save()
    assert [partner("/topics").status_code for _ in range(3)] == [200, 200, 200]
    refused = partner("/topics")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.json()["detail"]
    other, secret = PartnerKey.issue(partner="Other app", created_by=None)
    assert client.get(API + "/topics", HTTP_X_API_KEY=secret).status_code == 200
    assert stored.usage.get().requests == 3  # refused requests are not served
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_only_the_approved_live_text_is_served(partner, site):
    live, draft, withdrawn = site
    listing = partner("/articles").json()
    assert [item["slug"] for item in listing["results"]] == [live.slug]
    assert listing["count"] == 1
    detail = partner(f"/articles/{live.slug}").json()
    version = live.live_version
    assert detail["short_answer"] == "It may help mild nausea."
    assert detail["body_markdown"] == version.body
    assert detail["body_html"] == version.body_html
    assert detail["faqs"] == [
        {
            "question": "How much?",
            "answer_markdown": "A little.",
            "answer_html": version.faqs[0]["answer_html"],
        }
    ]
    assert detail["author"]["name"] == version.author_name
    assert detail["medical_reviewer"]["credentials"] == version.reviewer_credentials
    assert detail["last_reviewed_on"] == version.last_reviewed_on.isoformat()
    assert [entry["version"] for entry in detail["change_log"]] == [2, 1]
    assert detail["change_log"][0]["summary"] == "Added an FAQ."
    never_published = partner(f"/articles/{draft.slug}")
    assert never_published.status_code == 404
    assert "No live article" in never_published.json()["detail"]
    gone = partner(f"/articles/{withdrawn.slug}")
    assert gone.status_code == 410
    assert gone.json()["detail"] == "The article 'arnica' was withdrawn: remove it."
    everything = b"".join(
        partner(path).content
        for path in [
            "/articles",
            f"/articles/{live.slug}",
            "/topics",
            "/people",
            "/changes",
        ]
    )
    for never in (b"zanzibarine", b"Is quinoxaline safe?", b"Is arnica useful?"):
        assert never not in everything
    for word in ("zanzibarine", "quinoxaline", "arnica"):
        assert partner(f"/search?q={word}").json()["results"] == []
    topics = {topic["slug"] for topic in partner("/topics").json()}
    assert topics == {live.topic.slug}


def test_the_change_feed_tells_partners_to_remove_a_withdrawn_article(
    partner, site, editor, reviewer
):
    live, draft, withdrawn = site
    feed = partner("/changes").json()["results"]
    actions = [(change["slug"], change["action"]) for change in feed]
    assert actions == [
        (live.slug, "published"),
        (live.slug, "published"),
        ("arnica", "published"),
        ("arnica", "withdrawn"),
    ]
    assert feed[-1]["api_url"] is None
    assert feed[2]["api_url"] is None  # no longer live: nothing to fetch
    assert feed[0]["api_url"].endswith(f"/api/v1/articles/{live.slug}")
    assert draft.pk not in {change["article_id"] for change in feed}

    since = feed[-1]["at"]
    assert partner(f"/changes?since={since}").json()["results"] == []
    workflow.unpublish(live, user=editor, comment="Withdrawn for a test.")
    later = partner("/changes?since=" + since.replace("+", "%2B")).json()["results"]
    assert [(c["slug"], c["action"]) for c in later] == [(live.slug, "withdrawn")]


def test_the_change_feed_pages_by_change_and_refuses_bad_times(
    partner, site, monkeypatch
):
    monkeypatch.setattr(v1, "CHANGES_PAGE_SIZE", 3)
    first = partner("/changes").json()
    assert len(first["results"]) == 3
    rest = partner(first["next"].split("/api/v1")[1]).json()
    assert [c["action"] for c in rest["results"]] == ["withdrawn"]
    assert rest["next"] is None
    last = rest["results"][-1]["cursor"]
    assert partner(f"/changes?after={last}").json()["results"] == []
    for bad in ("15", "x.y", "0.1.2.x"):
        refused = partner(f"/changes?after={bad}")
        assert refused.status_code == 400
        assert "cursor" in refused.json()["detail"]
    assert partner("/changes?since=9999-12-31T23:59:59-05:00").status_code == 400
    naive = partner("/changes?since=2026-01-01T00:00:00")
    assert naive.status_code == 400
    assert "time zone" in naive.json()["detail"]
    assert partner("/changes?since=yesterday").status_code == 422


def test_pages_link_to_each_other_and_a_page_too_far_is_a_clear_404(
    partner, editor, reviewer, monkeypatch
):
    monkeypatch.setattr(v1, "PAGE_SIZE", 1)
    for n in range(2):
        make_published(editor=editor, reviewer=reviewer, title=f"Is walk {n} ok?")
    first = partner("/articles").json()
    assert (first["count"], first["pages"], first["previous"]) == (2, 2, None)
    second = partner(first["next"].split("/api/v1")[1]).json()
    assert second["next"] is None and second["page"] == 2
    assert first["results"][0]["slug"] != second["results"][0]["slug"]
    assert partner("/articles?topic=a%00b").status_code == 400
    too_far = partner("/articles?page=3")
    assert too_far.status_code == 404
    assert too_far.json()["detail"] == "There is no page 3: the last is 2."
    assert partner("/articles?page=0").status_code == 400
    assert partner("/articles?page=two").status_code == 422


def test_answers_carry_validators_and_a_304_until_the_public_content_changes(
    partner, site, editor, reviewer
):
    live, _, _ = site
    path = f"/articles/{live.slug}"
    first = partner(path)
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert first["Last-Modified"]
    unchanged = partner(path, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag and unchanged.content == b""
    republish(live, editor=editor, reviewer=reviewer, title="Does ginger ease nausea?")
    changed = partner(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "Does ginger ease nausea?"
    assert partner("/topics", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_openapi_description_validates_and_names_every_endpoint(client):
    response = client.get(API + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(schema["paths"]) == {
        f"{API}/articles",
        f"{API}/articles/{{slug}}",
        f"{API}/topics",
        f"{API}/people",
        f"{API}/search",
        f"{API}/changes",
    }
    assert schema["components"]["securitySchemes"]["PartnerGate"]["name"] == (
        "X-API-Key"
    )
    # No interactive page: it would load scripts from a CDN our CSP forbids.
    assert client.get(API + "/docs").status_code == 404


def test_an_administrator_creates_a_key_in_the_admin_and_sees_it_once(
    client, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "r@example.org")
    client.force_login(admin)
    response = client.post(
        "/admin/articles/partnerkey/add/",
        {"partner": "Hillside app", "requests_per_minute": "60"},
    )
    assert response.status_code == 200
    secret = re.search(r'id="partner-key"[^>]*>(ha_[^<]+)<', response.content.decode())
    assert secret, response.content.decode()[:2000]
    stored = PartnerKey.objects.get(partner="Hillside app")
    assert stored.created_by == admin
    change_page = client.get(f"/admin/articles/partnerkey/{stored.pk}/change/")
    assert secret.group(1) not in change_page.content.decode()
    client.logout()
    ok = client.get(API + "/topics", HTTP_X_API_KEY=secret.group(1))
    assert ok.status_code == 200
    refused = client.post(
        "/admin/articles/partnerkey/add/",
        {"partner": "", "requests_per_minute": "-1"},
    )
    assert refused.status_code == 302  # logged out: to the login page
    client.force_login(admin)
    refused = client.post(
        "/admin/articles/partnerkey/add/",
        {"partner": "", "requests_per_minute": "-1"},
    )
    assert refused.status_code == 200
    assert "This field is required" in refused.content.decode()
    assert PartnerKey.objects.count() == 1


def test_a_post_is_not_allowed_anywhere(partner, client, key):
    _, secret = key
    for path in ["/articles", "/topics", "/changes"]:
        response = client.post(API + path, HTTP_X_API_KEY=secret)
        assert response.status_code == 405


def test_search_pages_and_messages(partner, site):
    live, _, _ = site
    found = partner("/search?q=ginger").json()
    assert [r["slug"] for r in found["results"]] == [live.slug]
    assert found["results"][0]["api_url"].endswith(f"/api/v1/articles/{live.slug}")
    empty = partner("/search?q=").json()
    assert empty["results"] == [] and empty["message"]
    past = partner("/search?q=ginger&page=9")
    assert past.status_code == 404
    assert past.json()["detail"] == "There is no page 9: the last is 1."


def test_times_are_iso_8601_with_a_time_zone(partner, site):
    live, _, _ = site
    detail = partner(f"/articles/{live.slug}").json()
    published = datetime.datetime.fromisoformat(
        detail["published_at"].replace("Z", "+00:00")
    )
    assert published.tzinfo is not None


def test_an_old_address_redirects_to_the_current_one(partner, site, editor, reviewer):
    live, _, _ = site
    old = live.slug
    republish(live, editor=editor, reviewer=reviewer, slug="ginger-and-nausea")
    moved = partner(f"/articles/{old}")
    assert moved.status_code == 301
    assert moved["Location"].endswith("/api/v1/articles/ginger-and-nausea")
    assert partner("/articles/a%00b").status_code == 404


def test_a_cursor_from_before_a_restore_is_refused_so_no_withdrawal_is_missed(
    client, partner, site, editor, tmp_path
):
    from django.core.management import call_command

    from tests.test_backup import wipe_everything

    live, _, _ = site
    cursor = partner("/changes").json()["results"][-1]["cursor"]
    path = tmp_path / "backup.json"
    call_command("export_articles", "-o", str(path), stdout=open("/dev/null", "w"))
    wipe_everything()
    call_command("load_articles", str(path), stdout=open("/dev/null", "w"))
    _, secret = PartnerKey.issue(partner="After the restore", created_by=None)
    stale = client.get(f"{API}/changes?after={cursor}", HTTP_X_API_KEY=secret)
    assert stale.status_code == 410
    assert "restored from a backup" in stale.json()["detail"]


def test_a_periodic_review_is_a_change_partners_fetch_again(partner, site):
    from articles.review import periodic

    live, _, _ = site
    before = partner("/changes").json()["results"]
    periodic.reconfirm_review(
        live, user=make_reviewer(), attested=True, comment="Still right."
    )
    after = partner(f"/changes?after={before[-1]['cursor']}").json()["results"]
    assert [(c["action"], c["slug"]) for c in after] == [("reviewed", live.slug)]
    assert after[0]["api_url"].endswith(f"/api/v1/articles/{live.slug}")


def test_with_the_cache_down_the_api_still_answers(partner, key, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    assert partner("/topics").status_code == 200
