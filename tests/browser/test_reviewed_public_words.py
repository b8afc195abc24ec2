"""Public words outside the article text, as the editor and reviewer meet them
in the admin: the summary of an update travels with the submission and is
approved on the review page; a reviewer's profile is not the editor's to edit."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import EDITOR, REVIEWER, log_in

pytestmark = pytest.mark.browser

SLUG = "how-much-sleep-do-teenagers-need"
SUMMARY = "Added advice on screens before bed"


def test_the_update_summary_is_submitted_reviewed_and_published(new_page, demo):
    article = Article.objects.get(slug=SLUG)
    editor, editor_problems = new_page()
    log_in(editor, *EDITOR)
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    editor.locator("#id_short_answer").fill(
        "Teenagers need 8 to 10 hours of sleep a night; screens before bed cut it."
    )
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".workflow-status")).to_contain_text("Draft")
    editor.locator("#workflow-change-summary").press_sequentially(SUMMARY)
    editor.get_by_role("button", name="Submit for review", exact=True).click()
    expect(editor.locator(".messagelist .success")).to_contain_text("Submit")
    expect(editor.locator(".workflow-status")).to_contain_text("In review")

    reviewer, reviewer_problems = new_page()
    log_in(reviewer, *REVIEWER)
    reviewer.goto(f"/admin/articles/article/{article.pk}/review/")
    note = reviewer.locator(".diff-field", has_text="Public summary of this update")
    expect(note).to_contain_text(SUMMARY)
    reviewer.screenshot(path="/tmp/review-page.png", full_page=True)
    reviewer.get_by_role("button", name="Approve this exact text").click()
    expect(reviewer.locator(".messagelist .success")).to_contain_text("Approve: done")

    editor.reload()
    # Publishing asks for no words of its own: it prints what was approved.
    expect(editor.locator("#workflow-change-summary")).to_have_count(0)
    editor.get_by_role("button", name="Publish", exact=True).click()
    expect(editor.locator(".workflow-status")).to_contain_text("Published")

    visitor, visitor_problems = new_page()
    visitor.goto(f"/questions/{SLUG}/")
    expect(visitor.locator("main")).to_contain_text(SUMMARY)
    problems = editor_problems.all() + reviewer_problems.all() + visitor_problems.all()
    assert not problems, "Problems while loading the pages:\n" + "\n".join(problems)


def test_an_editor_sees_a_reviewers_profile_read_only(new_page, demo):
    editor, problems = new_page()
    log_in(editor, *EDITOR)
    editor.goto("/admin/articles/person/")
    editor.get_by_role("link", name="Priya Raman", exact=True).click()
    expect(editor.locator(".errornote")).to_contain_text("only its owner")
    expect(editor.locator("#id_name")).to_have_count(0)
    expect(editor.get_by_role("button", name="Save")).to_have_count(0)
    editor.screenshot(path="/tmp/person-read-only.png", full_page=True)
    assert not problems.all()
