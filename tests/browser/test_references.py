"""References and citations as an editor meets them in Chromium: add a source
in parts, cite it in the body, be refused for a citation of a source that is
not there, and follow a citation to the list and back on the preview."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import EDITOR, log_in

pytestmark = pytest.mark.browser
SLUG = "what-is-a-normal-blood-pressure-reading"


def test_an_editor_adds_a_source_cites_it_and_follows_the_citation(new_page, demo):
    article = Article.objects.get(slug=SLUG)
    count = article.references.count()
    new = count + 1
    page, problems = new_page()
    log_in(page, *EDITOR)
    page.goto(f"/admin/articles/article/{article.pk}/change/")

    # A citation of a source that is not in the list is refused, and nothing changes.
    body = page.locator("#id_body")
    original = body.input_value()
    body.fill(original + f"\nA new finding [{new}].\n")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errorlist.nonform").first).to_contain_text(
        f"The body cites [{new}], but there are only {count} references."
    )
    article.refresh_from_db()
    assert f"[{new}]" not in article.body

    # The new source, in parts, typed the way editors paste identifiers.
    row = f"#id_references-{count}"
    page.locator(f"{row}-kind").select_option("review")
    page.locator(f"{row}-authors").fill("Muntner P, Shimbo D, Carey RM, et al.")
    page.locator(f"{row}-title").fill(
        "Measurement of Blood Pressure in Humans: A Scientific Statement From the "
        "American Heart Association"
    )
    page.locator(f"{row}-publisher").fill("Hypertension")
    page.locator(f"{row}-year").fill("2019")
    page.locator(f"{row}-doi").fill("https://doi.org/10.1161/HYP.0000000000000087")
    page.locator(f"{row}-pmid").fill("PMID: 30827125")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    added = article.references.get(
        position=max(r.position for r in article.references.all())
    )
    assert (added.doi, added.pmid) == ("10.1161/HYP.0000000000000087", "30827125")
    article.refresh_from_db()
    assert article.body.endswith(f"A new finding [{new}].")
    assert "\r" not in article.body  # the browser's "\r\n" is stored as "\n"

    # The full-page preview: the citation jumps to the source, and back.
    page.goto(f"/questions/{SLUG}/?preview=draft")
    page.locator(f'a[href="#ref-{new}"]').first.click()
    expect(page).to_have_url(re.compile(f"#ref-{new}$"))
    source = page.locator(f"#ref-{new}")
    expect(source).to_contain_text("Hypertension; 2019.")
    expect(
        source.get_by_role("link", name="doi:10.1161/HYP.0000000000000087")
    ).to_have_attribute("href", "https://doi.org/10.1161/HYP.0000000000000087")
    page.screenshot(path="/tmp/references-preview.png", full_page=True)
    source.locator(".backlink").first.click()
    expect(page).to_have_url(re.compile(f"#cite-{new}-1$"))
    assert not problems.all(), problems.all()
