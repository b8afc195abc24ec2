"""The admin home: each role's dashboard (articles/admin/dashboard.py), read
through real requests to /admin/ as a reviewer, an editor and a publisher."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleVersion, ReviewEvent
from articles.review import workflow
from tests.factories import (
    ArticleFactory,
    UserFactory,
    make_editor,
    make_published,
)

pytestmark = pytest.mark.django_db

INDEX_URL = reverse("admin:index")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def make_publisher(**user_fields):
    """An account that may only view and publish articles: no writing, no review."""
    user = UserFactory(**user_fields)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "publish_article"],
        )
    )
    return user


def written(editor, **fields):
    """A draft saved by `editor`."""
    article = ArticleFactory(**fields)
    workflow.record_edit(article, user=editor)
    return article


def submitted(editor, comment="", **fields):
    article = written(editor, **fields)
    return workflow.submit_for_review(article, user=editor, comment=comment)


def sent_back(editor, reviewer, comment="Cite the 2023 guidance.", **fields):
    article = submitted(editor, **fields)
    return workflow.request_changes(article, user=reviewer, comment=comment)


def approved(editor, reviewer, **fields):
    article = submitted(editor, **fields)
    return workflow.approve_medical_review(article, user=reviewer)


def overdue(article):
    # Test setup only: QuerySet.update bypasses the versions' immutability guard.
    ArticleVersion.objects.filter(pk=article.live_version_id).update(
        last_reviewed_on=datetime.date(2020, 1, 1),
        next_review_due=datetime.date(2021, 1, 1),
    )
    return article


def due_in(article, days):
    today = timezone.localdate()
    ArticleVersion.objects.filter(pk=article.live_version_id).update(
        last_reviewed_on=today - datetime.timedelta(days=300),
        next_review_due=today + datetime.timedelta(days=days),
    )
    return article


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(INDEX_URL)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, slug: str) -> str:
    """The HTML of one dashboard section, or "" if the page does not show it."""
    match = re.search(
        rf'<section class="desk-section" id="{slug}".*?</section>', html, re.DOTALL
    )
    return match.group(0) if match else ""


def heading(html: str, slug: str) -> str:
    """A section's heading as read aloud: its words without the markup."""
    match = re.search(r"<h2[^>]*>(.*?)</h2>", section(html, slug), re.DOTALL)
    assert match, f"no section {slug!r} on the page"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def linked_titles(html: str, slug: str) -> dict[str, str]:
    """The articles a section lists: {title: the address its row links to}."""
    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', section(html, slug)
    )
    return {title: url for url, title in rows}


# Waiting for my review.


def test_reviewer_sees_what_waits_with_submitter_age_and_comment(
    client, editor, reviewer
):
    article = submitted(editor, comment="Please check the dosage table.")
    ReviewEvent.objects.filter(article=article, action="submit").update(
        at=timezone.now() - datetime.timedelta(days=2, hours=3)
    )
    html = dashboard(client, reviewer)
    waiting = section(html, "waiting-for-review")
    assert heading(html, "waiting-for-review") == "Waiting for my review (1)"
    assert linked_titles(html, "waiting-for-review") == {
        article.title: review_url(article)
    }
    assert "<td>editor</td>" in waiting
    assert ">2\xa0days</time>" in waiting  # timesince keeps "2 days" on one line
    assert "Please check the dosage table." in waiting
    assert f'href="{CHANGELIST_URL}?queue=mine"' in waiting


def test_reviewer_does_not_see_an_article_they_wrote_as_waiting_for_them(
    client, editor, reviewer
):
    theirs = submitted(editor)
    own = submitted(reviewer, title="Did the reviewer write this one?")
    html = dashboard(client, reviewer)
    assert heading(html, "waiting-for-review") == "Waiting for my review (1)"
    assert set(linked_titles(html, "waiting-for-review")) == {theirs.title}
    assert own.title not in section(html, "waiting-for-review")


def test_waiting_for_review_lists_the_longest_waiting_first(client, editor, reviewer):
    recent = submitted(editor)
    older = submitted(editor)
    ReviewEvent.objects.filter(article=older, action="submit").update(
        at=timezone.now() - datetime.timedelta(days=5)
    )
    html = dashboard(client, reviewer)
    assert list(linked_titles(html, "waiting-for-review")) == [
        older.title,
        recent.title,
    ]


def test_nothing_waiting_reads_as_a_plain_empty_state(client, reviewer):
    html = dashboard(client, reviewer)
    waiting = section(html, "waiting-for-review")
    assert heading(html, "waiting-for-review") == "Waiting for my review (0)"
    assert "Nothing is waiting for your review." in waiting
    assert "<table" not in waiting


def test_editor_without_review_permission_sees_no_review_sections(client, editor):
    submitted(make_editor())
    html = dashboard(client, editor)
    assert section(html, "waiting-for-review") == ""
    assert section(html, "overdue") == ""
    assert section(html, "due-soon") == ""
    assert "Waiting for my review" not in html


# Changes requested on my articles.


def test_editor_sees_the_reviewers_request_for_changes(client, editor, reviewer):
    article = sent_back(editor, reviewer, comment="Cite the 2023 NICE guidance.")
    html = dashboard(client, editor)
    requested = section(html, "changes-requested")
    assert heading(html, "changes-requested") == "Changes requested on my articles (1)"
    assert linked_titles(html, "changes-requested") == {
        article.title: change_url(article)
    }
    assert "Cite the 2023 NICE guidance." in requested
    assert "<td>reviewer</td>" in requested
    # Whole seconds: HTML refuses a datetime with microseconds.
    assert re.search(r'<time datetime="[\d-]{10}T[\d:]{8}[+-][\d:]{5}">', requested)
    assert f'href="{CHANGELIST_URL}?status=changes_requested"' in requested


def test_changes_requested_shows_the_latest_request_only(client, editor, reviewer):
    article = sent_back(editor, reviewer, comment="First round: add sources.")
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.request_changes(article, user=reviewer, comment="Second round: dates.")
    requested = section(dashboard(client, editor), "changes-requested")
    assert "Second round: dates." in requested
    assert "First round" not in requested


def test_changes_requested_lists_articles_the_user_wrote_or_submitted_only(
    client, editor, reviewer
):
    submitter = make_editor(username="submitter")
    article = written(editor)
    workflow.submit_for_review(article, user=submitter)
    workflow.request_changes(article, user=reviewer, comment="Shorter, please.")
    bystander = make_editor(username="bystander")
    assert article.title in section(dashboard(client, editor), "changes-requested")
    assert article.title in section(dashboard(client, submitter), "changes-requested")
    html = dashboard(client, bystander)
    assert heading(html, "changes-requested") == "Changes requested on my articles (0)"
    assert "No reviewer has asked for changes to your articles." in section(
        html, "changes-requested"
    )


# Approved, ready to publish.


def test_publisher_sees_approved_articles_with_their_approver(client, editor, reviewer):
    article = approved(editor, reviewer)
    submitted(editor, title="Is this one still in review?")
    html = dashboard(client, make_publisher(username="publisher"))
    ready = section(html, "ready-to-publish")
    assert heading(html, "ready-to-publish") == "Approved, ready to publish (1)"
    assert linked_titles(html, "ready-to-publish") == {
        article.title: change_url(article)
    }
    assert "<td>reviewer</td>" in ready
    assert f'href="{CHANGELIST_URL}?queue=approved"' in ready
    # Neither a writer nor a reviewer: those sections are not theirs.
    assert section(html, "changes-requested") == ""
    assert section(html, "waiting-for-review") == ""
    assert "Is this one still in review?" not in html


def test_reviewer_without_publish_permission_sees_no_publishing_section(
    client, editor, reviewer
):
    approved(editor, reviewer)
    assert section(dashboard(client, reviewer), "ready-to-publish") == ""


def test_a_long_list_shows_ten_rows_and_says_how_many_there_are(
    client, editor, reviewer
):
    for _ in range(12):
        approved(editor, reviewer)
    html = dashboard(client, editor)
    assert heading(html, "ready-to-publish") == "Approved, ready to publish (12)"
    assert len(linked_titles(html, "ready-to-publish")) == 10
    assert "Showing 10 of 12." in section(html, "ready-to-publish")


# Periodic reviews.


def test_reviewer_sees_overdue_and_due_soon_reviews_apart(client, editor, reviewer):
    late = overdue(make_published(editor=editor, reviewer=reviewer))
    soon = due_in(make_published(editor=editor, reviewer=reviewer), days=10)
    later = due_in(make_published(editor=editor, reviewer=reviewer), days=90)
    html = dashboard(client, reviewer)
    assert heading(html, "overdue") == "Overdue for periodic review (1)"
    assert linked_titles(html, "overdue") == {late.title: change_url(late)}
    assert "days overdue" in section(html, "overdue")
    assert f'href="{CHANGELIST_URL}?queue=overdue"' in section(html, "overdue")
    assert heading(html, "due-soon") == "Periodic review due within 30 days (1)"
    assert linked_titles(html, "due-soon") == {soon.title: change_url(soon)}
    assert "in 10 days" in section(html, "due-soon")
    assert f'href="{CHANGELIST_URL}?queue=due_soon"' in section(html, "due-soon")
    assert later.title not in section(html, "due-soon") + section(html, "overdue")


def test_a_withdrawn_article_is_not_overdue(client, editor, reviewer):
    article = overdue(make_published(editor=editor, reviewer=reviewer))
    workflow.unpublish(article, user=editor, comment="Out of date.")
    html = dashboard(client, reviewer)
    assert heading(html, "overdue") == "Overdue for periodic review (0)"
    assert "No periodic reviews are overdue." in section(html, "overdue")


# My recent work.


def test_recent_work_lists_the_users_own_steps_newest_first(client, editor, reviewer):
    article = submitted(editor, comment="Ready for a look.")
    other = written(make_editor(username="someone-else"))
    recent = section(dashboard(client, editor), "recent-work")
    assert re.search(
        r"Submitted for review.*Ready for a look\..*Saved draft revision 1",
        recent,
        re.DOTALL,
    )
    assert article.title in recent
    assert other.title not in recent
    assert change_url(article) in recent


def test_recent_work_of_a_new_account_says_so(client):
    html = dashboard(client, make_publisher(username="new-publisher"))
    assert heading(html, "recent-work") == "My recent work (0)"
    assert "You have not edited, submitted or reviewed anything yet." in html


# The page around the sections.


def test_dashboard_keeps_the_list_of_models_below_it(client, editor):
    html = dashboard(client, editor)
    assert 'id="content-main"' in html
    assert html.index('id="recent-work"') < html.index(f'href="{CHANGELIST_URL}"')
    assert "Recent actions" not in html


def test_superuser_sees_every_section(client, editor):
    html = dashboard(client, UserFactory(username="root", is_superuser=True))
    for slug in (
        "waiting-for-review",
        "changes-requested",
        "ready-to-publish",
        "overdue",
        "due-soon",
        "recent-work",
    ):
        assert section(html, slug), slug


def test_the_page_headings_are_one_h1_then_h2s(client, reviewer):
    html = dashboard(client, reviewer)
    levels = re.findall(r"<h([1-6])[\s>]", html[html.index('id="content"') :])
    assert levels[0] == "1"
    assert set(levels[1:]) == {"2"}


# Query count.


def fill(editor, reviewer, each):
    """`each` articles in every state the dashboard lists."""
    for _ in range(each):
        submitted(editor)
        sent_back(editor, reviewer)
        approved(editor, reviewer)
        overdue(make_published(editor=editor, reviewer=reviewer))
        due_in(make_published(editor=editor, reviewer=reviewer), days=5)


def count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX_URL).status_code == 200
    return len(queries)


def test_the_editors_dashboard_costs_the_same_queries_for_more_articles(
    client, editor, reviewer
):
    fill(editor, reviewer, each=1)
    few = count_queries(client, editor)
    fill(editor, reviewer, each=11)
    assert count_queries(client, editor) == few


def test_the_reviewers_dashboard_has_a_bounded_number_of_queries(
    client, editor, reviewer, django_assert_max_num_queries
):
    fill(editor, reviewer, each=3)
    client.force_login(reviewer)
    # A fixed number, plus the four-eyes check's two for each article in review.
    with django_assert_max_num_queries(15 + 2 * 3):
        html = client.get(INDEX_URL).content.decode()
    assert heading(html, "waiting-for-review") == "Waiting for my review (3)"
