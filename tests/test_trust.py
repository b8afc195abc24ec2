"""Health-publisher trust features: profiles, care cards, plain-language checks,
the public change log, disclaimer and site pages, review dates."""

import json
import re

import pytest
from django.urls import reverse

from articles.models import Article, SitePage
from articles.review import workflow
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    PersonFactory,
    UserFactory,
    make_published,
    make_reviewer,
    republish,
)
from tests.test_admin import CHANGELIST_URL, change_data, change_url, workflow_url

pytestmark = pytest.mark.django_db

EMERGENCY_WITH_LINK = (
    "## When to get help\n\n/// emergency\n- you have chest pain\n"
    "- see [the chest pain page](https://example.org/chest)\n///\n"
)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def json_ld_nodes(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    nodes = []
    for text in found:
        data = json.loads(text)
        nodes.extend(data.get("@graph", [data]))
    return nodes


# Profiles ----------------------------------------------------------------------


def test_a_profile_lists_exactly_the_public_articles_written_or_reviewed(
    client, editor
):
    writer = PersonFactory(name="Dana Writer", job_title="Health writer")
    reviewer_user = make_reviewer(username="rev")
    reviewer_person = reviewer_user.person
    make_published(
        editor=editor, reviewer=reviewer_user, author=writer, title="Is it written?"
    )
    withdrawn = make_published(
        editor=editor, reviewer=reviewer_user, author=writer, title="Is it gone?"
    )
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    ArticleFactory(author=writer, title="Is it only a draft?")
    make_published(editor=editor, title="Is it someone else's?")

    html = page(client, writer.get_absolute_url())
    assert "Is it written?" in html
    assert "Is it gone?" not in html
    assert "Is it only a draft?" not in html
    assert "Is it someone else" not in html
    assert "Health writer" in html

    reviewed_html = page(client, reviewer_person.get_absolute_url())
    assert "medically reviewed" in reviewed_html
    assert "Is it written?" in reviewed_html
    assert "Is it gone?" not in reviewed_html


def test_a_person_without_public_articles_has_no_public_profile(client, editor):
    nobody = PersonFactory()
    assert client.get(nobody.get_absolute_url()).status_code == 404
    article = make_published(editor=editor, author=nobody)
    assert client.get(nobody.get_absolute_url()).status_code == 200
    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")
    assert client.get(nobody.get_absolute_url()).status_code == 404


def test_bylines_link_to_profiles_and_json_ld_matches_the_visible_byline(
    client, editor
):
    reviewer = UserFactory(groups=["Medical reviewers"])
    PersonFactory(
        user=reviewer,
        name="Nia Clarke",
        credentials="MBChB, MRCGP",
        job_title="General practitioner",
        profile_links="https://www.example.org/register/nia-clarke\n",
    )
    article = make_published(editor=editor, reviewer=reviewer)
    reviewer.person.refresh_from_db()
    html = page(client, article.get_absolute_url())
    profile_url = reviewer.person.get_absolute_url()

    assert f'<a href="{profile_url}">Nia Clarke</a>, ' in html
    assert '<span class="credentials">MBChB, MRCGP</span>' in html
    medical_page = next(
        node for node in json_ld_nodes(html) if node["@type"] == "MedicalWebPage"
    )
    reviewed_by = medical_page["reviewedBy"]
    visible = re.search(
        r"Medically reviewed by</span> <a [^>]*>([^<]*)</a>, "
        r'<span class="credentials">([^<]*)</span>',
        html,
    )
    assert (reviewed_by["name"], reviewed_by["honorificSuffix"]) == visible.groups()
    assert reviewed_by["jobTitle"] == "General practitioner"
    assert reviewed_by["url"] == f"http://testserver{profile_url}"
    assert reviewed_by["sameAs"] == ["https://www.example.org/register/nia-clarke"]

    profile = page(client, profile_url)
    person = next(n for n in json_ld_nodes(profile) if n["@type"] == "ProfilePage")
    assert person["mainEntity"]["name"] == "Nia Clarke"


def test_editing_a_profile_updates_the_article_pages_that_describe_it(
    client, admin_client, editor, article
):
    person = article.author
    response = admin_client.post(
        reverse("admin:articles_person_change", args=[person.pk]),
        {
            "name": person.name,
            "slug": person.slug,
            "credentials": person.credentials,
            "job_title": "Senior health writer",
            "specialty": "",
            "registration": "",
            "bio": "",
            "profile_links": "",
            "user": "",
        },
    )
    assert response.status_code == 302
    author = next(
        node
        for node in json_ld_nodes(page(client, article.get_absolute_url()))
        if node["@type"] == "MedicalWebPage"
    )["author"]
    assert author["jobTitle"] == "Senior health writer"


def test_profile_links_must_be_web_addresses(admin_client):
    person = PersonFactory()
    response = admin_client.post(
        reverse("admin:articles_person_change", args=[person.pk]),
        {
            "name": person.name,
            "slug": person.slug,
            "credentials": "",
            "profile_links": "https://ok.example.org/\njavascript:alert(1)\n",
        },
    )
    assert response.status_code == 200
    assert "must be one web address" in response.content.decode()
    person.refresh_from_db()
    assert person.profile_links == ""


# Care cards --------------------------------------------------------------------


def test_a_link_in_an_emergency_card_is_refused_naming_the_card(client, editor, draft):
    client.force_login(editor)
    before = draft.body
    response = client.post(
        change_url(draft), change_data(draft, body=EMERGENCY_WITH_LINK)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "emergency card" in text and "Call 999 now if:" in text
    assert "may not contain links" in text
    draft.refresh_from_db()
    assert draft.body == before


def test_a_link_in_an_emergency_card_in_an_faq_answer_is_refused(client, editor):
    article = ArticleFactory()
    faq = FAQFactory(article=article, position=1)
    workflow.record_edit(article, user=editor)
    client.force_login(editor)
    data = change_data(article)
    data["faqs-0-answer"] = EMERGENCY_WITH_LINK
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "may not contain links" in response.content.decode()
    faq.refresh_from_db()
    assert faq.answer == "It is."


def test_care_cards_are_published_with_the_sites_emergency_number(
    client, editor, settings
):
    settings.SITE_EMERGENCY_NUMBER = "112"
    article = make_published(
        editor=editor,
        body="/// urgent\n- you have a fever\n///\n\n/// emergency\n- you cannot breathe\n///\n",
    )
    html = page(client, article.get_absolute_url())
    assert 'class="care-card care-card--urgent"' in html
    assert 'class="care-card care-card--emergency"' in html
    assert "Call 112 now if:" in html
    assert '<span class="visually-hidden">Emergency advice: </span>' in html
    assert "In an emergency, call 112." in html  # the footer agrees


def test_the_editor_shows_the_care_card_syntax(client, editor, draft):
    client.force_login(editor)
    html = page(client, change_url(draft))
    assert "/// emergency" in html and "/// urgent" in html and "/// info" in html


# Plain-language checks -----------------------------------------------------------

LONG_SENTENCE = (
    "People who have had a heart attack in the past and who now notice new chest "
    "pain when they walk uphill should speak to their doctor about it soon."
)


def test_the_edit_page_lists_plain_language_findings(client, editor):
    article = ArticleFactory(
        body=f"## Pain\n\n{LONG_SENTENCE}\n\nThe test was done by a nurse.\n"
    )
    workflow.record_edit(article, user=editor)
    client.force_login(editor)
    html = page(client, change_url(article))
    assert "Plain-language check" in html
    assert LONG_SENTENCE in html
    assert "was done" in html
    assert "Reading grade" in html


def test_the_reviewers_queue_and_review_page_show_plain_language_findings(
    client, editor, reviewer
):
    article = ArticleFactory(body=f"{LONG_SENTENCE}\n")
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    client.force_login(reviewer)
    queue = page(client, f"{CHANGELIST_URL}?queue=in_review")
    assert "Plain language (advice)" in queue
    assert "1 finding" in queue
    review = page(client, reverse("admin:articles_article_review", args=[article.pk]))
    assert LONG_SENTENCE in review
    plain_list = page(client, CHANGELIST_URL)
    assert "Plain language (advice)" not in plain_list


# Public change log -------------------------------------------------------------------


def test_a_new_version_shows_its_summary_on_the_page_history_and_feed(
    client, editor, reviewer, article
):
    republish(
        article,
        editor=editor,
        reviewer=reviewer,
        summary="Updated advice on bleeding after sex",
        short_answer="New short answer.",
    )
    html = page(client, article.get_absolute_url())
    assert re.search(
        r"Updated <time [^>]*>[^<]+</time>:</strong> Updated advice on bleeding after sex",
        html,
    )
    history = html[html.index("Page history") :]
    assert history.index("Updated advice on bleeding after sex") < history.index(
        "first published"
    )
    assert "Corrections" not in html
    feed = page(client, "/feed/")
    assert "Updated: Updated advice on bleeding after sex" in feed


def test_a_correction_is_labelled_on_the_page_and_in_the_feed(
    client, editor, reviewer, article
):
    republish(
        article,
        editor=editor,
        reviewer=reviewer,
        summary="Corrected the dose for children",
        correction=True,
        body="## Background\n\nThe dose is 5 ml.\n",
    )
    html = page(client, article.get_absolute_url())
    assert re.search(
        r"Corrected <time [^>]*>[^<]+</time>:</strong> Corrected the dose", html
    )
    corrections = html[html.index('id="corrections-heading"') :]
    assert "Corrected the dose for children" in corrections[:400]
    assert "<strong>Correction:</strong> Corrected the dose" in html
    feed = page(client, "/feed/")
    assert f"Corrected: {article.title}" in feed
    assert "Correction: Corrected the dose for children" in feed


def test_a_new_version_needs_a_one_line_summary(editor, reviewer, article):
    article.short_answer = "Changed."
    article.save()
    workflow.record_edit(article, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="summary of what changed"):
        workflow.submit_for_review(article, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="at most 200"):
        workflow.submit_for_review(article, user=editor, change_summary="x" * 201)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.change_summary == ""
    assert article.versions.count() == 1


def test_a_first_publication_cannot_be_a_correction(editor, reviewer):
    draft = ArticleFactory()
    workflow.record_edit(draft, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="nothing public"):
        workflow.submit_for_review(
            draft, user=editor, change_summary="Fix", correction=True
        )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not draft.versions.exists()


def test_the_submit_button_takes_the_summary_and_publish_prints_the_approved_one(
    client, editor, reviewer, article
):
    article.short_answer = "Changed."
    article.save()
    workflow.record_edit(article, user=editor)
    client.force_login(editor)
    form = page(client, change_url(article))
    assert 'name="change_summary"' in form and 'name="correction"' in form
    client.post(
        workflow_url(article),
        {
            "transition": "submit",
            "change_summary": "Fixed a wrong figure",
            "correction": "on",
        },
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    workflow.approve_medical_review(article, user=reviewer)
    # A summary sent with the publish button is not what the reviewer approved.
    client.post(
        workflow_url(article),
        {"transition": "publish", "change_summary": "Now safe to double the dose"},
    )
    article.refresh_from_db()
    assert article.live_version.number == 2
    assert article.live_version.change_summary == "Fixed a wrong figure"
    assert article.live_version.is_correction is True


# Disclaimer, site pages, review dates ------------------------------------------------


def test_the_footer_has_the_configured_disclaimer_emergency_line_and_policy_links(
    client, settings, article
):
    settings.SITE_DISCLAIMER = "For information only; ask your own clinician."
    settings.SITE_EMERGENCY_NUMBER = "911"
    html = page(client, "/")
    assert "For information only; ask your own clinician." in html
    assert "In an emergency, call 911." in html
    assert 'href="/about/editorial-policy/"' in html
    assert 'href="/about/how-we-review/"' in html


def test_policy_pages_are_rendered_from_admin_content(client, admin_client):
    policy = SitePage.objects.get(slug="editorial-policy")
    assert "No advertising" in page(client, policy.get_absolute_url())
    response = admin_client.post(
        reverse("admin:articles_sitepage_change", args=[policy.pk]),
        {
            "title": "Editorial policy",
            "slug": "editorial-policy",
            "body": "## Our rules\n\nWe correct **every** error.\n",
        },
    )
    assert response.status_code == 302
    html = page(client, policy.get_absolute_url())
    assert "<strong>every</strong>" in html and "No advertising" not in html
    assert client.get("/about/no-such-page/").status_code == 404


def test_editors_cannot_change_policy_pages(client, editor):
    client.force_login(editor)
    policy = SitePage.objects.get(slug="how-we-review")
    url = reverse("admin:articles_sitepage_change", args=[policy.pk])
    assert client.get(url).status_code == 403


def test_review_dates_sit_at_the_bottom_and_follow_a_periodic_review(client, article):
    second = make_reviewer(username="periodic")
    workflow.reconfirm_review(article, user=second, attested=True)
    article.refresh_from_db()
    version = article.live_version
    html = page(client, article.get_absolute_url())
    reviewed = f"{version.last_reviewed_on.day} {version.last_reviewed_on:%B %Y}"
    due = f"{version.next_review_due.day} {version.next_review_due:%B %Y}"
    bottom = html[html.index('class="review-dates"') :]
    assert f">{reviewed}</time>" in bottom[: bottom.index("</footer>")]
    assert (
        f'Next review due: <time datetime="{version.next_review_due:%Y-%m-%d}">{due}'
        in bottom
    )
    assert bottom.index("Page last reviewed") > 0
    assert html.index('class="review-dates"') > html.index("article__body")
    assert "medically reviewed again; no changes needed" in html


def test_a_draft_preview_shows_no_review_dates(client, editor, draft):
    client.force_login(editor)
    html = page(client, draft.get_absolute_url())
    assert "Page last reviewed" not in html


def test_a_backup_with_a_javascript_profile_link_loads_nothing(tmp_path, article):
    from articles.models import Person
    from articles.transfer import backup, backup_load

    data = backup.export_data()
    data["people"].append(
        {"slug": "bad-link", "name": "Bad Link", "profile_links": "javascript:alert(1)"}
    )
    with pytest.raises(backup_load.LoadError, match="web address"):
        backup_load.load_data(data)
    assert not Person.objects.filter(slug="bad-link").exists()


def test_a_first_publication_summary_is_not_called_an_update(client, editor, reviewer):
    draft = ArticleFactory(title="Is this brand new?")
    workflow.record_edit(draft, user=editor)
    workflow.submit_for_review(draft, user=editor, change_summary="Launch note")
    workflow.approve_medical_review(draft, user=reviewer)
    workflow.publish(draft, user=editor)
    assert "Updated: Launch note" not in page(client, "/feed/")
    assert "Updated <time" not in page(client, draft.get_absolute_url())


def test_the_page_cache_keeps_each_host_name_apart(client, article, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    url = article.get_absolute_url()
    first = client.get(url, HTTP_HOST="a.example").content.decode()
    second = client.get(url, HTTP_HOST="b.example").content.decode()
    assert "http://a.example/" in first and "http://b.example/" not in first
    assert "http://b.example/" in second and "http://a.example/" not in second


def test_deleting_site_pages_in_bulk_empties_the_page_cache(client, admin_client):
    policy = SitePage.objects.get(slug="editorial-policy")
    assert page(client, policy.get_absolute_url())  # now cached
    admin_client.post(
        reverse("admin:articles_sitepage_changelist"),
        {"action": "delete_selected", "_selected_action": [policy.pk], "post": "yes"},
    )
    assert client.get(policy.get_absolute_url()).status_code == 404


def test_the_queue_column_reads_faqs_in_one_query_whatever_the_rows(
    client, editor, reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queue_queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, f"{CHANGELIST_URL}?queue=in_review")
        return len(captured)

    def submit_one():
        article = ArticleFactory(body=f"{LONG_SENTENCE}\n")
        FAQFactory(article=article, position=1)
        workflow.record_edit(article, user=editor)
        workflow.submit_for_review(article, user=editor)

    client.force_login(reviewer)
    submit_one()
    one = queue_queries()
    submit_one()
    submit_one()
    assert queue_queries() == one
