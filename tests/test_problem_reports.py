"""Readers' "Report a problem with this page" (articles/web/reports.py) and
its triage in the admin (articles/admin/problem_reports.py): every abuse is
refused storing nothing, and the article page stays exactly as cacheable."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import ProblemReport
from articles.review import workflow
from tests.factories import UserFactory, make_published, make_reviewer, republish
from tests.forms import form_data

pytestmark = pytest.mark.django_db

MESSAGE = "The table says 8 to 10 hours, but the text says 9 to 11."
CONTACT = "reader-zanzibar@example.org"
READER = "198.51.100.23"
State = ProblemReport.State


def report_url(article) -> str:
    return reverse("articles:report_problem", args=[article.live_version.slug])


def thanks_url(article) -> str:
    return reverse("articles:report_thanks", args=[article.live_version.slug])


def post_report(client, article, *, address=READER, **fields):
    data = {
        "message": MESSAGE,
        "contact": CONTACT,
        "version": str(article.live_version.number),
        **fields,
    }
    return client.post(report_url(article), data, REMOTE_ADDR=address)


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def make_report(article, *, received_at=None, state=State.NEW, message=MESSAGE):
    return ProblemReport.objects.create(
        article=article,
        version=article.live_version,
        message=message,
        contact=CONTACT,
        sender="0" * 64,
        state=state,
        received_at=received_at or timezone.now(),
    )


# The article page and its link ---------------------------------------------------


def test_the_article_page_links_to_the_form_for_the_version_it_shows(
    client, editor, reviewer, article
):
    republish(article, editor=editor, reviewer=reviewer, short_answer="Newer text.")
    html = client.get(article.get_absolute_url()).content.decode()
    link = (
        f'<a href="{report_url(article)}?version=2">Report a problem with this page</a>'
    )
    assert link in html
    assert html.index(link) > html.index("Next review due")
    assert html.index(link) < html.index("</article>")


def test_the_article_page_keeps_its_caching_headers_and_carries_no_form(
    client, article, django_assert_max_num_queries
):
    first = client.get(article.get_absolute_url())
    html = first.content.decode()
    assert "Report a problem with this page" in html
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=300"
    assert first["Vary"] == "Cookie"
    assert first.cookies == {}
    assert "csrfmiddlewaretoken" not in html and "<form" not in html
    with django_assert_max_num_queries(1):  # from the page cache
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    assert second.cookies == {}


def test_a_draft_preview_has_no_report_link(client, editor, draft):
    client.force_login(editor)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Draft preview" in html
    assert "Report a problem" not in html


# The form page -----------------------------------------------------------------


def test_the_form_page_is_uncached_noindexed_and_protected_by_csrf(client, article):
    response = client.get(f"{report_url(article)}?version=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert '<label for="id_message">What is wrong?</label>' in html
    assert '<label for="id_contact">How can we contact you? (optional)</label>' in html
    assert 'maxlength="2000"' in html and 'maxlength="200"' in html
    assert "This form is not for medical advice" in html
    assert "In an emergency, call 999." in html
    assert "it is never published" in html
    assert '<input type="hidden" name="version" value="1">' in html
    assert re.search(r'<div class="report-form__trap" hidden>\s*<label', html)


def test_the_thanks_page_is_uncached_and_repeats_nothing(client, article):
    post_report(client, article)
    response = client.get(thanks_url(article))
    html = response.content.decode()
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Thank you for your report" in html
    assert MESSAGE not in html and CONTACT not in html


# Storing a report ----------------------------------------------------------------


def test_a_report_is_stored_with_the_article_and_the_version_the_reader_saw(
    client, editor, reviewer, article
):
    first = article.live_version
    republish(article, editor=editor, reviewer=reviewer, short_answer="Newer text.")
    response = post_report(client, article, version="1")
    assert response.status_code == 302
    assert response["Location"] == thanks_url(article)
    assert {"private", "no-store"} <= directives(response)
    report = ProblemReport.objects.get()
    assert (report.article, report.version) == (article, first)
    assert (report.message, report.contact, report.state) == (
        MESSAGE,
        CONTACT,
        State.NEW,
    )
    assert report.handled_by is None


@pytest.mark.parametrize("given", ["", "2", "abc", "-1", "0", "9" * 30])
def test_a_version_this_article_does_not_have_stores_the_live_one(
    client, editor, reviewer, given
):
    article = make_published(editor=editor, reviewer=reviewer)
    make_published(editor=editor, reviewer=reviewer)
    other = make_published(editor=editor, reviewer=reviewer)
    republish(other, editor=editor, reviewer=reviewer, short_answer="Second text.")
    assert post_report(client, article, version=given).status_code == 302
    assert ProblemReport.objects.get().version == article.live_version


def test_line_breaks_count_once_against_the_length_limit(client, article):
    lines = ["x" * 99] * 20  # 20 x 99 characters + 19 line breaks = 1,999
    response = post_report(client, article, message="\r\n".join(lines))
    assert response.status_code == 302
    assert ProblemReport.objects.get().message == "\n".join(lines)


def test_the_contact_is_optional(client, article):
    assert post_report(client, article, contact="").status_code == 302
    assert ProblemReport.objects.get().contact == ""


# Refused, storing nothing ---------------------------------------------------------


def assert_nothing_stored():
    assert ProblemReport.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_drafts_withdrawn_and_unknown_articles_have_no_report_form(
    client, editor, draft, article, method
):
    withdrawn = make_published(editor=editor, reviewer=make_reviewer())
    slug = withdrawn.slug
    workflow.unpublish(withdrawn, user=editor, comment="Out of date.")
    for address in [draft.slug, slug, "no-such-question"]:
        for name in ["articles:report_problem", "articles:report_thanks"]:
            url = reverse(name, args=[address])
            response = getattr(client, method)(url, {"message": MESSAGE})
            expected = (
                405 if (name, method) == ("articles:report_thanks", "post") else 404
            )
            assert response.status_code == expected, url
    assert_nothing_stored()


def test_a_filled_in_trap_field_gets_the_same_thanks_and_stores_nothing(
    client, article
):
    response = post_report(client, article, website="https://spam.example/")
    assert response.status_code == 302
    assert response["Location"] == thanks_url(article)
    assert_nothing_stored()


def test_a_sixth_report_within_the_hour_from_one_address_is_refused_with_429(
    client, article
):
    for _ in range(5):
        assert post_report(client, article).status_code == 302
    response = post_report(client, article, message="A sixth report.")
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert {"private", "no-store"} <= directives(response)
    assert "5 reports from your connection in the last hour" in html
    assert "A sixth report." in html  # given back in the form, not lost
    assert ProblemReport.objects.count() == 5
    # Another address is not held back, and an hour later this one is not either.
    assert post_report(client, article, address="203.0.113.5").status_code == 302
    ProblemReport.objects.update(
        received_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    assert post_report(client, article).status_code == 302
    assert ProblemReport.objects.count() == 7


def test_the_rate_limit_follows_the_settings(client, article, settings):
    settings.REPORT_RATE_LIMIT = 1
    settings.REPORT_RATE_WINDOW = datetime.timedelta(minutes=10)
    assert post_report(client, article).status_code == 302
    response = post_report(client, article)
    assert response.status_code == 429
    assert "1 report from your connection in the last 10 minutes" in (
        response.content.decode()
    )
    assert ProblemReport.objects.count() == 1


def test_the_address_is_kept_only_as_a_keyed_hash(client, article, settings):
    post_report(client, article)
    post_report(client, article, message="Again, from the same address.")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    post_report(client, article, message="Same address, another key.")
    first, again, other_key = ProblemReport.objects.order_by("pk")
    assert re.fullmatch(r"[0-9a-f]{64}", first.sender)
    assert first.sender == again.sender != other_key.sender
    for report in (first, again, other_key):
        stored = " ".join(str(value) for value in vars(report).values())
        assert READER not in stored


@pytest.mark.parametrize(
    "field, length, error",
    [
        ("message", 2001, "at most 2000 characters (it has 2001)"),
        ("contact", 201, "at most 200 characters (it has 201)"),
    ],
)
def test_a_field_over_its_limit_is_refused_with_a_message(
    client, article, field, length, error
):
    response = post_report(client, article, **{field: "x" * length})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your report was not sent" in html
    assert error in html
    assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
    assert_nothing_stored()


def test_an_empty_report_is_refused(client, article):
    response = post_report(client, article, message="  \r\n  ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert_nothing_stored()


@pytest.mark.parametrize("field", ["message", "contact"])
def test_control_characters_are_refused_like_in_other_text(client, article, field):
    response = post_report(client, article, **{field: "Look here\x07 please"})
    assert response.status_code == 400
    assert "invisible control character (U+0007)" in response.content.decode()
    assert_nothing_stored()


def csrf_client(article) -> tuple[Client, str]:
    """A reader's browser that has opened the form: its cookie and token."""
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(report_url(article)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return browser, token


def test_a_post_without_a_valid_csrf_token_is_refused_and_stores_nothing(article):
    browser, token = csrf_client(article)
    assert post_report(browser, article).status_code == 403
    wrong = post_report(browser, article, csrfmiddlewaretoken="x" * len(token))
    assert wrong.status_code == 403
    assert b"CSRF" in wrong.content
    no_cookie = Client(enforce_csrf_checks=True)
    assert post_report(no_cookie, article, csrfmiddlewaretoken=token).status_code == 403
    assert_nothing_stored()
    # The same post with the token is taken: the refusals were the token's.
    assert post_report(browser, article, csrfmiddlewaretoken=token).status_code == 302
    assert ProblemReport.objects.count() == 1


def test_an_oversized_body_is_refused_with_413(article):
    browser, token = csrf_client(article)
    body = {"csrfmiddlewaretoken": token, "padding": "x" * 40_000}
    response = post_report(browser, article, **body)
    html = response.content.decode()
    assert response.status_code == 413
    assert {"private", "no-store"} <= directives(response)
    assert "Your report was too long to send, so nothing was sent." in html
    assert_nothing_stored()


def test_an_oversized_body_is_refused_before_the_csrf_check_reads_it(article):
    """413, not CSRF's 403: the body was refused before anything parsed it
    (ReportBodyLimitMiddleware, listed before CsrfViewMiddleware)."""
    response = post_report(
        Client(enforce_csrf_checks=True), article, padding="x" * 40_000
    )
    assert response.status_code == 413
    assert_nothing_stored()


def test_a_body_just_under_the_limit_is_read(client, article, settings):
    settings.REPORT_MAX_BODY_BYTES = 4_000
    assert post_report(client, article, padding="x" * 3_000).status_code == 302
    assert post_report(client, article, padding="x" * 4_000).status_code == 413
    assert ProblemReport.objects.count() == 1


def test_the_readers_words_never_appear_on_a_public_page(client, article):
    post_report(client, article, message=f"{MESSAGE} Quokkaberry.")
    make_report(article, message="Handled: quokkaberry fixed.", state=State.FIXED)
    pages = [
        "/",
        article.topic.get_absolute_url(),
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?version=1",
        "/search/?q=table+hours",
        "/search/?q=question",
        "/feed/",
        "/sitemap.xml",
        reverse("sitemap-section", args=["articles"]),
        thanks_url(article),
        report_url(article),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        text = body.decode().lower()
        assert "quokkaberry" not in text, url
        assert CONTACT not in text and "zanzibar@" not in text, url


# Triage in the admin -----------------------------------------------------------------


def change_url(report) -> str:
    return reverse("admin:articles_problemreport_change", args=[report.pk])


CHANGELIST = reverse("admin:articles_problemreport_changelist")


def test_the_list_shows_article_received_state_and_an_excerpt_filtered_by_state(
    client, editor, article
):
    long_message = "Word " * 40
    make_report(article, message=long_message)
    make_report(article, message="Already fixed, thanks.", state=State.FIXED)
    client.force_login(editor)
    html = client.get(CHANGELIST).content.decode()
    assert html.count(article.title) >= 2
    assert long_message[:99] + "…" in html
    assert "Already fixed, thanks." in html
    new_only = client.get(CHANGELIST, {"state__exact": "new"}).content.decode()
    assert "Already fixed, thanks." not in new_only
    found = client.get(CHANGELIST, {"q": "already fixed"}).content.decode()
    assert "Already fixed, thanks." in found and long_message[:99] not in found


def test_nobody_adds_or_deletes_a_report(admin_client, article):
    report = make_report(article)
    assert (
        admin_client.get(reverse("admin:articles_problemreport_add")).status_code == 403
    )
    delete = reverse("admin:articles_problemreport_delete", args=[report.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ProblemReport.objects.filter(pk=report.pk).exists()


def test_the_change_page_shows_the_report_and_links_the_version_read_only(
    client, editor, article
):
    report = make_report(article)
    client.force_login(editor)
    html = client.get(change_url(report)).content.decode()
    assert MESSAGE in html and CONTACT in html
    version = reverse("admin:articles_article_version", args=[article.pk, 1])
    assert f'<a href="{version}">Version 1</a>' in html
    article_admin = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{article_admin}">{article.title}</a>' in html
    assert 'name="message"' not in html and 'name="contact"' not in html
    assert 'name="state"' in html and 'name="editor_note"' in html
    assert 'name="_start_edit"' in html


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_changing_the_state_records_who_handled_it(client, role, request, article):
    user = request.getfixturevalue(role)
    report = make_report(article)
    client.force_login(user)
    data = form_data(
        client,
        change_url(report),
        "problemreport_form",
        state="fixed",
        editor_note="Corrected in version 2.",
    )
    data["message"] = ["Rewritten by staff."]  # read-only: ignored
    response = client.post(change_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.handled_by, report.editor_note) == (
        State.FIXED,
        user,
        "Corrected in version 2.",
    )
    assert report.message == MESSAGE


def test_a_note_alone_does_not_change_who_handled_it(client, editor, reviewer, article):
    report = make_report(article, state=State.IN_HAND)
    ProblemReport.objects.filter(pk=report.pk).update(handled_by=reviewer)
    client.force_login(editor)
    data = form_data(
        client, change_url(report), "problemreport_form", editor_note="Asked Dr Lee."
    )
    assert client.post(change_url(report), data).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.handled_by) == (State.IN_HAND, reviewer)


def test_a_control_character_in_the_note_is_refused(client, editor, article):
    report = make_report(article)
    client.force_login(editor)
    data = form_data(
        client, change_url(report), "problemreport_form", editor_note="Bad\x1bnote"
    )
    response = client.post(change_url(report), data)
    assert response.status_code == 200
    assert "invisible control character (U+001B)" in response.content.decode()
    report.refresh_from_db()
    assert report.editor_note == ""


def test_start_an_edit_marks_a_new_report_in_hand_and_opens_the_article(
    client, editor, article
):
    report = make_report(article)
    client.force_login(editor)
    data = form_data(client, change_url(report), "problemreport_form")
    response = client.post(change_url(report), {**data, "_start_edit": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    report.refresh_from_db()
    assert (report.state, report.handled_by) == (State.IN_HAND, editor)
    entry = LogEntry.objects.get(object_id=str(report.pk))
    assert entry.get_change_message() == "Changed State."


def test_start_an_edit_leaves_a_fixed_report_as_it_is(client, editor, article):
    report = make_report(article, state=State.FIXED)
    client.force_login(editor)
    data = form_data(client, change_url(report), "problemreport_form")
    response = client.post(change_url(report), {**data, "_start_edit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.handled_by) == (State.FIXED, None)


def test_staff_without_the_report_permissions_cannot_open_reports(client, article):
    report = make_report(article)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(report)).status_code == 403
    response = client.post(change_url(report), {"state": "fixed", "_start_edit": "1"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == State.NEW


# The dashboard ----------------------------------------------------------------------


def dashboard_section(client) -> str | None:
    html = client.get(reverse("admin:index")).content.decode()
    found = re.search(r'<section[^>]*id="problem-reports".*?</section>', html, re.S)
    return found.group(0) if found else None


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_dashboard_lists_new_and_in_hand_reports_oldest_first(
    client, role, request, article
):
    user = request.getfixturevalue(role)
    now = timezone.now()
    newer = make_report(article, message="Newer report.", received_at=now)
    older = make_report(
        article,
        message="Older report.",
        state=State.IN_HAND,
        received_at=now - datetime.timedelta(days=2),
    )
    make_report(article, message="Fixed report.", state=State.FIXED)
    make_report(article, message="Not a problem.", state=State.NOT_A_PROBLEM)
    client.force_login(user)
    section = dashboard_section(client)
    assert "Problems readers reported <span" in section
    assert "(2)" in section
    assert section.index(change_url(older)) < section.index(change_url(newer))
    assert "Older report." in section and "Newer report." in section
    assert "Fixed report." not in section and "Not a problem." not in section
    assert CONTACT not in section
    assert "state__in=new%2Cin_hand" in section


def test_the_see_all_link_lists_exactly_the_open_reports(client, editor, article):
    make_report(article, message="Open report.")
    make_report(article, message="Closed report.", state=State.FIXED)
    client.force_login(editor)
    html = client.get(CHANGELIST, {"state__in": "new,in_hand"}).content.decode()
    assert "Open report." in html and "Closed report." not in html


def test_the_dashboard_has_no_report_section_without_the_permission(client, article):
    make_report(article)
    client.force_login(UserFactory(is_staff=True))
    assert dashboard_section(client) is None


def test_the_dashboard_counts_every_open_report_beyond_the_ten_it_shows(
    client, editor, article
):
    for _ in range(12):
        make_report(article)
    client.force_login(editor)
    section = dashboard_section(client)
    assert "Problems readers reported <span" in section and "(12)" in section
    assert section.count("/admin/articles/problemreport/") == 10 + 1  # rows, see all
    assert "Showing 10 of 12." in section
