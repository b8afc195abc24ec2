"""The review desk as its users meet it in Chromium at 1280 x 900: a small edit
reads as exactly that on the review page, a reviewer decides in a few clicks
without scrolling, the editor sees the request for changes, withdrawal and
periodic review need their confirmation pages, and "Add another" rows save on
the first try. Click counts and page heights are printed (run with -s)."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, ReviewEvent
from tests.browser.conftest import EDITOR, REVIEWER

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 900}
SLUG = "what-is-a-normal-blood-pressure-reading"


class Clicks:
    """Counts the clicks a person makes, so the test can state the budget."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        locator.click()
        self.count += 1


def open_as(new_page, account):
    """A fresh 1280 x 900 browser signed in as `account` (one click: Log in)."""
    page, problems = new_page(viewport=SCREEN)
    clicks = Clicks(page)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(account[0])
    page.get_by_label("Password").fill(account[1])
    clicks.click(page.get_by_role("button", name="Log in"))
    page.wait_for_url("**/admin/")
    return page, clicks, problems


def in_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= SCREEN["height"]
    )


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def edit_two_words_and_submit(new_page) -> Article:
    """The editor changes two words of a live article's body in the real
    form (the browser sends \\r\\n line endings) and submits it for review."""
    article = Article.objects.get(slug=SLUG)
    page, _, problems = open_as(new_page, EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body = page.locator("#id_body")
    text = body.input_value()
    assert "The top number" in text and "The bottom number" in text
    edited = text.replace("The top number", "The upper number", 1)
    body.fill(edited.replace("The bottom number", "The lower number", 1))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed")
    page.locator("#workflow-change-summary").fill("Clearer words for the top number.")
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect(page.locator(".workflow-status")).to_contain_text("In review")
    assert not problems.all(), problems.all()
    return article


def test_a_two_word_edit_reads_as_exactly_that_and_the_reviewer_approves_in_three_clicks(
    new_page, demo
):
    article = edit_two_words_and_submit(new_page)
    page, clicks, problems = open_as(new_page, REVIEWER)
    waiting = page.locator(".desk-section", has_text="Waiting for my review")
    clicks.click(waiting.get_by_role("link", name=article.title))
    page.wait_for_url(f"**/articles/article/{article.pk}/review/**")
    changed = page.locator(".diff-field--changed")
    expect(changed).to_have_count(2)  # the body and the public note about the update
    body = changed.filter(has_text="Body")
    expect(body.locator("del")).to_have_text(["top", "bottom"])
    expect(body.locator("ins")).to_have_text(["upper", "lower"])
    box = body.bounding_box()
    assert box["height"] <= SCREEN["height"], (
        f"the changed body is {box['height']} px tall"
    )
    approve = page.get_by_role("button", name="Approve this exact text")
    assert in_first_screen(approve), "the decision is not on the first screen"
    print(
        f"review page: {page_height(page)} px tall; body change {box['height']:.0f} px"
    )
    clicks.click(approve)
    expect(page.locator(".messagelist .success")).to_contain_text("Approve: done")
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    print(f"approve from login: {clicks.count} clicks")
    assert clicks.count <= 4
    assert not problems.all(), problems.all()


def test_request_changes_reaches_the_editor_at_the_top_of_the_form(new_page, demo):
    article = edit_two_words_and_submit(new_page)
    page, clicks, _ = open_as(new_page, REVIEWER)
    waiting = page.locator(".desk-section", has_text="Waiting for my review")
    clicks.click(waiting.get_by_role("link", name=article.title))
    comment = "Say that both numbers matter, not only the top one."
    page.get_by_label("Comment for the editors").fill(comment)
    clicks.click(page.get_by_role("button", name="Request changes"))
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Request changes: done"
    )
    print(f"request changes from login: {clicks.count} clicks")
    assert clicks.count <= 4

    editor, editor_clicks, problems = open_as(new_page, EDITOR)
    expect(
        editor.locator(".desk-section", has_text="Changes requested")
    ).to_contain_text(comment)
    editor_clicks.click(editor.get_by_role("link", name=article.title).first)
    banner = editor.locator(".changes-requested")
    expect(banner).to_contain_text(comment)
    assert in_first_screen(banner), "the request for changes is below the first screen"
    title = editor.locator("#id_title")
    print(
        f"change form: first field at {title.bounding_box()['y']:.0f} px; page {page_height(editor)} px"
    )
    assert title.bounding_box()["y"] < SCREEN["height"]
    assert not problems.all(), problems.all()


def test_withdrawal_needs_its_page_and_a_reason(new_page, demo):
    article = Article.objects.get(slug=SLUG)
    page, clicks, problems = open_as(new_page, EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    clicks.click(page.get_by_role("link", name="Withdraw from the site…"))
    expect(page.locator(".confirm-page")).to_contain_text(article.title)
    withdraw = page.get_by_role("button", name="Withdraw this article from the site")
    clicks.click(withdraw)  # no reason: the browser refuses to send the form
    article.refresh_from_db()
    assert article.is_public()
    page.get_by_label("Why is it being withdrawn?").fill("Guideline under revision.")
    clicks.click(withdraw)
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Withdrawn from the site"
    )
    article.refresh_from_db()
    assert not article.is_public()
    assert article.events.first().comment == "Guideline under revision."
    assert not problems.all(), problems.all()


def test_bulk_withdrawal_lists_every_article_first(new_page, demo):
    page, clicks, problems = open_as(new_page, EDITOR)
    page.goto("/admin/articles/article/")
    rows = page.locator("#result_list tbody tr")
    for index in range(2):
        clicks.click(rows.nth(index).locator("input.action-select"))
    page.locator("select[name=action]").select_option("unpublish_selected")
    clicks.click(page.get_by_role("button", name="Go"))
    listed = page.locator(".confirm-page tbody tr")
    expect(listed).to_have_count(2)
    assert Article.objects.public().count() == Article.objects.count()
    page.get_by_label("Why are they being withdrawn?").fill("Recall of a medicine.")
    clicks.click(page.get_by_role("button", name="Withdraw 2 articles from the site"))
    expect(page.locator(".messagelist .success")).to_have_count(2)
    assert Article.objects.public().count() == Article.objects.count() - 2
    assert not problems.all(), problems.all()


def test_periodic_review_shows_the_text_and_needs_the_attestation(new_page, demo):
    article = Article.objects.get(slug=SLUG)
    number = article.live_version.number
    page, clicks, problems = open_as(new_page, ("reviewer2", "demo-reviewer2-pass"))
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    clicks.click(page.get_by_role("link", name="Confirm periodic review…"))
    expect(page.locator(".rendered-article h1")).to_have_text(article.title)
    expect(page.locator(".rendered-article .references")).to_be_visible()
    confirm = page.get_by_role("button", name="Confirm periodic review")
    clicks.click(confirm)  # not attested: the browser refuses to send the form
    article.refresh_from_db()
    assert article.live_version.number == number
    clicks.click(page.get_by_label("I have read this text"))
    clicks.click(confirm)
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Periodic review recorded"
    )
    article.refresh_from_db()
    assert article.live_version.number == number + 1
    assert article.events.first().action == ReviewEvent.Action.RECONFIRM
    print(
        f"periodic review page: {page_height(page)} px; {clicks.count} clicks incl. one refused"
    )
    assert not problems.all(), problems.all()


def test_add_another_faq_takeaway_and_reference_saves_first_time(new_page, demo):
    article = Article.objects.get(slug=SLUG)
    faqs, takeaways, references = (
        article.faqs.count(),
        article.key_takeaways.count(),
        article.references.count(),
    )
    page, _, problems = open_as(new_page, EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    for group, fill in (
        ("key_takeaways", {"text": "Check your blood pressure every five years."}),
        (
            "faqs",
            {
                "question": "Does coffee raise it?",
                "answer": "Briefly, for a few hours.",
            },
        ),
        (
            "references",
            {"citation": "Our own test reference.", "url": "https://example.org/bp"},
        ),
    ):
        section = page.locator(f"#{group}-group")
        section.locator(".add-row a").click()
        # The form's own spare row stays empty; the admin marks added rows.
        row = section.locator(f".dynamic-{group}").last
        for field, value in fill.items():
            row.locator(f"[name$='-{field}']").fill(value)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed")
    assert (
        article.faqs.count(),
        article.key_takeaways.count(),
        article.references.count(),
    ) == (
        faqs + 1,
        takeaways + 1,
        references + 1,
    )
    assert article.faqs.order_by("position").last().question == "Does coffee raise it?"
    assert not problems.all(), problems.all()


def test_a_comment_on_a_part_shows_beside_that_part_for_the_editor(new_page, demo):
    article = edit_two_words_and_submit(new_page)
    page, _, problems = open_as(new_page, REVIEWER)
    page.goto(f"/admin/articles/article/{article.pk}/review/")
    page.get_by_label("Comment on a part of the text").select_option("short_answer")
    page.get_by_label("Comment", exact=True).fill("Give the threshold in both units.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Comment added.")
    expect(page.locator(".part-comment")).to_contain_text("Give the threshold")

    editor, _, editor_problems = open_as(new_page, EDITOR)
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    marker = editor.locator(".form-row.field-short_answer .part-comment-marker")
    expect(marker).to_contain_text("Give the threshold in both units.")
    thread = editor.locator(".part-comment")
    thread.get_by_label("Reply").fill("Done: mmHg only is what UK guidance uses.")
    thread.get_by_role("button", name="Reply").click()
    expect(editor.locator(".part-comment")).to_contain_text("mmHg only")
    editor.locator(".part-comment").get_by_role("button", name="Resolve").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("Comment resolved.")
    expect(editor.locator(".part-comment")).to_have_count(0)
    assert not problems.all(), problems.all()
    assert not editor_problems.all(), editor_problems.all()
