"""Scheduling and email choices as editors and reviewers meet them in Chromium:
schedule approved text from its page (the time zone on screen), see it on the
dashboard and cancel it in one click, watch an edit cancel one, address a
submission to one reviewer, and turn a kind of email off."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Notification, NotificationSettings, ScheduledChange
from articles.review import workflow
from tests.browser.conftest import EDITOR, REVIEWER, log_in

pytestmark = pytest.mark.browser
SLUG = "what-is-a-normal-blood-pressure-reading"


def approved_new_draft() -> Article:
    """The demo article with a new draft the second reviewer approved."""
    users = get_user_model().objects
    article = Article.objects.get(slug=SLUG)
    article.short_answer += " Check it twice a year."
    article.save()
    workflow.record_edit(article, user=users.get(username="editor"))
    workflow.submit_for_review(
        article, user=users.get(username="editor"), change_summary="A new tip."
    )
    article.refresh_from_db()
    reviewer = next(
        u
        for u in users.filter(username__startswith="reviewer")
        if not workflow.four_eyes.approval_conflict(article, u)
    )
    workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    return article


def in_an_hour() -> str:
    local = timezone.localtime() + datetime.timedelta(hours=1)
    return local.strftime("%Y-%m-%dT%H:%M")


def test_an_editor_schedules_sees_it_on_the_dashboard_and_cancels_it(new_page, demo):
    article = approved_new_draft()
    page, problems = new_page()
    log_in(page, *EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".schedule-zone").first).to_contain_text("UTC")
    page.get_by_label("Publish the approved text at").fill(in_an_hour())
    page.get_by_role("button", name="Schedule publication").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "will be published at"
    )
    expect(page.locator(".schedule-table")).to_contain_text("Waiting")
    page.goto("/admin/")
    section = page.locator(".desk-section", has_text="Scheduled to publish or withdraw")
    expect(section).to_contain_text(article.title)
    page.screenshot(path="/tmp/dashboard-scheduled.png", full_page=True)
    section.get_by_role("button", name="Cancel").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Cancelled: publish")
    expect(
        page.locator(".desk-section", has_text="Scheduled to publish or withdraw")
    ).to_contain_text("Nothing is scheduled")
    assert ScheduledChange.objects.get().state == ScheduledChange.State.CANCELLED
    assert not problems.all(), problems.all()


def test_an_edit_cancels_a_scheduled_publication_and_says_so(new_page, demo):
    article = approved_new_draft()
    page, problems = new_page()
    log_in(page, *EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Publish the approved text at").fill(in_an_hour())
    page.get_by_role("button", name="Schedule publication").click()
    page.locator("#id_short_answer").fill("A different short answer, not approved.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .warning").first).to_contain_text(
        "edited the text after it was scheduled"
    )
    expect(page.locator(".schedule-table")).to_contain_text("Cancelled")
    assert ScheduledChange.objects.get().state == ScheduledChange.State.CANCELLED
    assert not problems.all(), problems.all()


def test_a_submission_addressed_to_one_reviewer_emails_only_them(new_page, demo):
    article = Article.objects.get(slug=SLUG)
    page, problems = new_page()
    log_in(page, *EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_short_answer").fill(article.short_answer + " One more tip.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.locator("#workflow-change-summary").fill("One more tip.")
    page.get_by_label("Who reviews it").select_option(
        label="Eleanor Marsh (only they are emailed)"
    )
    before = Notification.objects.count()
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect(page.locator(".workflow-status")).to_contain_text("In review")
    written = Notification.objects.order_by("pk")[before:]
    assert [n.recipient.username for n in written] == ["reviewer2"]
    assert not problems.all(), problems.all()


def test_a_reviewer_turns_one_kind_of_email_off(new_page, demo):
    page, problems = new_page()
    log_in(page, *REVIEWER)
    page.get_by_role("link", name="My email choices").first.click()
    box = page.get_by_label("Text is submitted for my medical review")
    expect(box).to_be_checked()
    box.uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Your email choices are saved."
    )
    choices = NotificationSettings.objects.get(user__username="reviewer")
    assert choices.submitted is False and choices.digest is True
    assert not problems.all(), problems.all()
