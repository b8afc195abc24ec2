import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article, ArticleVersion
from articles.review import workflow
from tests.factories import ArticleFactory, TopicFactory, make_published, republish

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LONG_AGO = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC)


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return ET.fromstring(body)


def sitemap_entries(client, section):
    """{location: lastmod or None} of one sitemap section file."""
    root = get_xml(client, f"/sitemap-{section}.xml")
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def feed_items(client):
    root = get_xml(client, "/feed/")
    return [
        {child.tag: (child.text or "") for child in item} for item in root.iter("item")
    ]


def local_day(moment):
    return timezone.localtime(moment).date().isoformat()


def backdate_live_version(article, moment):
    """Pretend the live version was published at `moment` (versions are
    immutable through the ORM's save(), not through update())."""
    ArticleVersion.objects.filter(pk=article.live_version_id).update(
        published_at=moment
    )


def approved_but_unpublished(*, editor, reviewer, **fields):
    article = ArticleFactory(**fields)
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    return article


def withdrawn(*, editor, reviewer, **fields):
    article = make_published(editor=editor, reviewer=reviewer, **fields)
    workflow.unpublish(article, user=editor, comment="Out of date.")
    return article


# Sitemaps


def test_the_sitemap_is_an_index_of_section_files(client, article):
    root = get_xml(client, "/sitemap.xml")

    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locations = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert locations == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-articles.xml",
    ]
    assert sitemap_entries(client, "pages") == {"http://testserver/": None}


def test_the_article_sitemap_lists_only_live_articles(client, editor, reviewer, draft):
    live = make_published(editor=editor, reviewer=reviewer, slug="live-one")
    approved = approved_but_unpublished(
        editor=editor, reviewer=reviewer, slug="approved-not-yet-public"
    )
    gone = withdrawn(editor=editor, reviewer=reviewer, slug="withdrawn-one")

    entries = sitemap_entries(client, "articles")

    assert set(entries) == {"http://testserver/questions/live-one/"}
    for hidden in (draft, approved, gone):
        assert hidden.slug not in str(entries)
    assert entries["http://testserver/questions/live-one/"] == local_day(
        live.live_version.published_at
    )


def test_the_topic_sitemap_lists_only_topics_with_live_articles(
    client, editor, reviewer
):
    make_published(editor=editor, reviewer=reviewer, topic=TopicFactory(slug="sleep"))
    withdrawn(editor=editor, reviewer=reviewer, topic=TopicFactory(slug="withdrawn"))
    ArticleFactory(topic=TopicFactory(slug="drafts-only"))

    assert set(sitemap_entries(client, "topics")) == {"http://testserver/topics/sleep/"}


def test_the_lastmod_comes_from_the_live_version_so_a_re_review_counts(
    client, article, reviewer
):
    url = f"http://testserver/questions/{article.slug}/"
    backdate_live_version(article, LONG_AGO)
    assert sitemap_entries(client, "articles")[url] == "2024-03-01"

    workflow.reconfirm_review(article, user=reviewer, attested=True)
    article.refresh_from_db()

    assert sitemap_entries(client, "articles")[url] == local_day(
        article.live_version.published_at
    )
    index = get_xml(client, "/sitemap.xml")
    section_lastmods = {
        entry.findtext("sm:loc", namespaces=SITEMAP_NS): entry.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for entry in index.iterfind("sm:sitemap", SITEMAP_NS)
    }
    articles_lastmod = section_lastmods["http://testserver/sitemap-articles.xml"]
    assert datetime.datetime.fromisoformat(articles_lastmod) == (
        article.live_version.published_at
    )


def test_a_new_slug_is_listed_only_once_it_is_published(
    client, article, editor, reviewer
):
    old_url = f"http://testserver/questions/{article.slug}/"
    article.slug = "renamed-question"
    article.save()
    workflow.record_edit(article, user=editor)

    assert set(sitemap_entries(client, "articles")) == {old_url}

    republish(article, editor=editor, reviewer=reviewer)

    assert set(sitemap_entries(client, "articles")) == {
        "http://testserver/questions/renamed-question/"
    }


# Feed


def test_the_feed_is_rss_of_live_versions_newest_first(
    client, editor, reviewer, settings
):
    settings.SITE_NAME = "Example Health"
    older = make_published(
        editor=editor, reviewer=reviewer, title="Do zebras dream?", slug="zebras"
    )
    backdate_live_version(older, LONG_AGO)
    make_published(
        editor=editor, reviewer=reviewer, title="Do quokkas smile?", slug="quokkas"
    )

    response = client.get("/feed/")
    root = ET.fromstring(response.content)
    items = feed_items(client)

    assert response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.findtext("channel/title") == "Example Health: new and updated answers"
    assert [item["title"] for item in items] == [
        "Do quokkas smile?",
        "Do zebras dream?",
    ]
    zebras = items[1]
    assert zebras["link"] == "http://testserver/questions/zebras/"
    assert zebras["description"] == "Yes, in most cases."
    assert zebras["pubDate"] == "Fri, 01 Mar 2024 09:00:00 +0000"
    assert zebras["guid"] == "http://testserver/questions/zebras/#version-1"
    assert root.find("channel/item/guid").get("isPermaLink") == "false"


def test_drafts_and_withdrawn_articles_never_appear_in_the_feed(
    client, editor, reviewer
):
    ArticleFactory(title="Do wombats burrow?", short_answer="Wombatish words.")
    approved_but_unpublished(
        editor=editor, reviewer=reviewer, title="Do axolotls regrow limbs?"
    )
    live = make_published(
        editor=editor, reviewer=reviewer, title="Do pangolins roll up?"
    )
    assert "pangolins" in client.get("/feed/").content.decode()

    workflow.unpublish(live, user=editor, comment="Withdrawn for a test.")
    content = client.get("/feed/").content.decode()

    for word in ("wombats", "Wombatish", "axolotls", "pangolins"):
        assert word not in content


def test_an_unpublished_edit_does_not_reach_the_feed(client, article, editor):
    article.title = "Do narwhals sing?"
    article.save()
    workflow.record_edit(article, user=editor)

    [item] = feed_items(client)

    assert item["title"] == article.live_version.title
    assert "narwhals" not in client.get("/feed/").content.decode()


def test_a_re_review_is_a_new_item_that_says_so(client, article, reviewer):
    [before] = feed_items(client)

    workflow.reconfirm_review(article, user=reviewer, attested=True)
    article.refresh_from_db()
    [after] = feed_items(client)

    live = article.live_version
    assert live.kind == ArticleVersion.Kind.REREVIEW
    reviewed = f"{live.last_reviewed_on.day} {live.last_reviewed_on:%B %Y}"
    assert after["description"] == (
        f"Medically re-reviewed on {reviewed}: {live.short_answer}"
    )
    assert after["guid"] != before["guid"]
    assert after["guid"].endswith(f"#version-{live.number}")
    assert after["link"] == before["link"]


def test_markup_in_a_title_or_short_answer_stays_text_in_the_feed(
    client, editor, reviewer
):
    make_published(
        editor=editor,
        reviewer=reviewer,
        title="Is <b>bold</b> risky?",
        short_answer="<script>alert(1)</script> No.",
    )

    [item] = feed_items(client)

    # After XML decoding a reader still sees escaped HTML: text, not tags.
    assert item["title"] == "Is &lt;b&gt;bold&lt;/b&gt; risky?"
    assert item["description"] == "&lt;script&gt;alert(1)&lt;/script&gt; No."


# robots.txt


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /admin-tools/" in text
    assert "Disallow: /search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_a_sitemap_file_is_streamed_and_pages_past_the_end_are_404(client, article):
    response = client.get("/sitemap-articles.xml")
    assert response.streaming is True
    assert response["Content-Type"] == "application/xml"
    assert client.get("/sitemap-articles.xml?p=2").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_file_holds_at_most_the_protocols_limit(
    client, editor, reviewer, monkeypatch
):
    from articles.web.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for n in range(3):
        make_published(editor=editor, reviewer=reviewer, slug=f"paged-{n}")
    index = get_xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert "http://testserver/sitemap-articles.xml?p=2" in locations
    first = sitemap_entries(client, "articles")
    second = get_xml(client, "/sitemap-articles.xml?p=2")
    assert len(first) == 2
    assert len(second.findall("sm:url", SITEMAP_NS)) == 1


def test_the_index_counts_and_dates_only_live_articles(
    client, editor, reviewer, monkeypatch
):
    """The index counts files from the public articles and takes its lastmod
    from the newest live publication: a withdrawn article adds neither."""
    from articles.web.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    kept = [
        make_published(editor=editor, reviewer=reviewer, slug=f"kept-{n}")
        for n in range(2)
    ]
    for number, article in enumerate(kept, start=1):
        backdate_live_version(article, LONG_AGO + datetime.timedelta(days=number))
    newest = make_published(editor=editor, reviewer=reviewer, slug="withdrawn-later")

    def index_entries():
        index = get_xml(client, "/sitemap.xml")
        return {
            entry.findtext("sm:loc", namespaces=SITEMAP_NS): entry.findtext(
                "sm:lastmod", namespaces=SITEMAP_NS
            )
            for entry in index.iterfind("sm:sitemap", SITEMAP_NS)
        }

    before = index_entries()
    assert "http://testserver/sitemap-articles.xml?p=2" in before
    assert (
        datetime.datetime.fromisoformat(
            before["http://testserver/sitemap-articles.xml"]
        )
        == newest.live_version.published_at
    )

    workflow.unpublish(newest, user=editor, comment="Withdrawn for a test.")
    after = index_entries()

    assert "http://testserver/sitemap-articles.xml?p=2" not in after
    assert datetime.datetime.fromisoformat(
        after["http://testserver/sitemap-articles.xml"]
    ) == LONG_AGO + datetime.timedelta(days=2)
