"""An article from an editor's first keystroke to a visitor's screen, in a real
browser: write, submit, medical review (by another person), publish, read."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EDITOR, REVIEWER, log_in

pytestmark = pytest.mark.browser

TITLE = "Can I exercise with a cold?"
SLUG = "can-i-exercise-with-a-cold"
SHORT_ANSWER = "Gentle exercise is usually fine if your symptoms are above the neck."
BODY = """## The neck check

If your symptoms are above the neck (a runny nose, sneezing), light exercise
is usually fine.

- Rest if you have a fever.
- Stop if you feel worse.
"""
TAKEAWAY = "Rest when you have a fever or aches all over."
FAQ_QUESTION = "Should I go to the gym with a cold?"
FAQ_ANSWER = "Wait until you feel better, so you do not pass the cold on."


def choose_autocomplete(page, field_name, text):
    """Pick `text` in one of the admin's autocomplete (select2) fields."""
    page.locator(f".field-{field_name} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()
    expect(page.locator(f"#id_{field_name}")).not_to_have_value("")


def press_workflow_button(page, label):
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"{label}: done")


def test_editor_writes_reviewer_approves_editor_publishes_visitor_reads(new_page, demo):
    editor, editor_problems = new_page()
    log_in(editor, *EDITOR)
    editor.goto("/admin/articles/article/add/")
    editor.locator("#id_title").press_sequentially(TITLE)
    # The admin fills the address in from the question as it is typed.
    expect(editor.locator("#id_slug")).to_have_value(SLUG)
    choose_autocomplete(editor, "topic", "Coughs, colds and infections")
    editor.locator("#id_short_answer").fill(SHORT_ANSWER)
    editor.locator("#id_body").fill(BODY)
    # The live preview (markdownx, posting to our sanitising endpoint) works
    # under the Content-Security-Policy: a refused script or request would
    # leave it empty and log a console error, which the end of the test checks.
    preview = editor.locator(".field-body .markdownx-preview")
    expect(preview.locator("h2")).to_have_text("The neck check")
    expect(preview.locator("li").first).to_have_text("Rest if you have a fever.")
    choose_autocomplete(editor, "author", "Hannah Okafor")
    editor.locator("#id_key_takeaways-0-text").fill(TAKEAWAY)
    editor.locator("#id_faqs-0-question").fill(FAQ_QUESTION)
    editor.locator("#id_faqs-0-answer").fill(FAQ_ANSWER)
    editor.get_by_role("button", name="Save and continue editing").click()

    expect(editor.locator(".messagelist .success")).to_contain_text("was added")
    match = re.search(r"/admin/articles/article/(\d+)/change/", editor.url)
    assert match, f"not on the article's change page after saving: {editor.url}"
    article_id = match[1]
    expect(editor.locator(".workflow-status")).to_contain_text("Draft")
    press_workflow_button(editor, "Submit for review")
    expect(editor.locator(".workflow-status")).to_contain_text("In review")

    reviewer, reviewer_problems = new_page()
    log_in(reviewer, *REVIEWER)
    reviewer.goto(f"/admin/articles/article/{article_id}/review/")
    expect(reviewer.locator(".review-page")).to_contain_text(FAQ_QUESTION)
    reviewer.get_by_role("button", name="Approve this exact text").click()
    expect(reviewer.locator(".messagelist .success")).to_contain_text("Approve: done")

    editor.reload()
    expect(editor.locator(".workflow-status")).to_contain_text("Approved")
    press_workflow_button(editor, "Publish")
    expect(editor.locator(".workflow-status")).to_contain_text("Published")

    visitor, visitor_problems = new_page()
    visitor.goto(f"/questions/{SLUG}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("region", name="Short answer")).to_contain_text(
        SHORT_ANSWER
    )
    expect(visitor.locator("#faq-1")).to_contain_text(FAQ_QUESTION)
    expect(visitor.locator("#faq-1")).to_contain_text(FAQ_ANSWER)
    expect(visitor.locator(".takeaways")).to_contain_text(TAKEAWAY)
    expect(visitor.locator(".byline--reviewer")).to_contain_text(
        "Medically reviewed by Priya Raman"
    )

    problems = editor_problems.all() + reviewer_problems.all() + visitor_problems.all()
    assert not problems, "Problems while loading the pages:\n" + "\n".join(problems)
