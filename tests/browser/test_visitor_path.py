"""A visitor's path through the public site, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from articles.demo import content as demo_content

pytestmark = pytest.mark.browser

TOPIC = next(topic for topic in demo_content.TOPICS if topic["slug"] == "sleep")
ARTICLE = next(
    article
    for article in demo_content.ARTICLES
    if article["slug"] == "how-much-sleep-do-teenagers-need"
)
REVIEWER = next(
    person
    for person in demo_content.PEOPLE
    if person["slug"] == ARTICLE["medical_reviewer"]
)
# A word that only the fever article uses (not in its title), so the search
# finds it by its text and has one obvious result to click.
SEARCH_WORD = "thermometer"
SEARCH_TARGET = next(
    article
    for article in demo_content.ARTICLES
    if article["slug"] == "when-should-i-worry-about-my-childs-fever"
)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_visitor_reads_an_answer_follows_a_related_question_and_searches(
    page, page_problems, demo
):
    """Home, a topic, an article (question, short answer, reviewer byline), a
    related question, then the search form and a result; no page logs an
    error, fails a request or answers with an error status."""
    page.goto("/")
    page.get_by_role("navigation", name="Topics").get_by_role(
        "link", name=TOPIC["name"], exact=True
    ).click()
    expect(page).to_have_url(re.compile(rf"/topics/{TOPIC['slug']}/$"))
    expect(heading(page)).to_have_text(TOPIC["name"])

    page.get_by_role("main").get_by_role(
        "link", name=ARTICLE["title"], exact=True
    ).click()
    expect(page).to_have_url(re.compile(rf"/questions/{ARTICLE['slug']}/$"))
    expect(heading(page)).to_have_text(ARTICLE["title"])
    short_answer = page.get_by_role("region", name="Short answer")
    expect(short_answer).to_be_visible()
    expect(short_answer).to_contain_text(ARTICLE["short_answer"][:60])
    expect(page.locator(".byline--reviewer")).to_contain_text(
        f"Medically reviewed by {REVIEWER['name']}"
    )

    related = page.locator("section.related a")
    expect(page.locator("section.related")).to_contain_text("Related questions")
    count = related.count()
    assert 1 <= count <= 6, f"{count} related question links, expected 1 to 6"
    first = related.first
    title = first.inner_text().strip()
    assert title != ARTICLE["title"], "an article is listed as related to itself"
    first.click()
    expect(heading(page)).to_have_text(title)

    search_box = page.locator('form[action$="/search/"] input[name="q"]')
    if search_box.count() == 0:
        # No search box on the article page: use the search page's own form.
        page.goto("/search/")
    search_box.first.fill(SEARCH_WORD)
    search_box.first.press("Enter")
    expect(page).to_have_url(re.compile(rf"/search/\?(.*&)?q={SEARCH_WORD}"))
    page.get_by_role("main").get_by_role(
        "link", name=SEARCH_TARGET["title"], exact=True
    ).click()
    expect(heading(page)).to_have_text(SEARCH_TARGET["title"])

    problems = page_problems.all()
    assert not problems, "Problems while loading the pages:\n" + "\n".join(problems)
