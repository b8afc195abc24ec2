"""Admin pages as their users meet them in Chromium: an administrator
creates a partner API key, copies it from the one page that shows it and
calls the API with it; an editor adds a synonym group (and is told plainly
when it has only one phrase) and uploads a picture to the image library."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from articles.models import LibraryImage, PartnerKey, SynonymGroup
from tests.browser.conftest import EDITOR, log_in

pytestmark = pytest.mark.browser
ADMIN = ("admin", "demo-admin-pass")


def test_an_administrator_creates_a_partner_key_and_the_partner_uses_it(
    new_page, demo, live_server
):
    page, problems = new_page()
    log_in(page, *ADMIN)
    page.goto("/admin/articles/partnerkey/add/")
    page.get_by_label("Partner").fill("Riverside clinic app")
    page.get_by_label("Requests per minute").fill("30")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#partner-key")).to_be_visible()
    expect(page.locator("#content")).to_contain_text("shown only this once")
    secret = page.locator("#partner-key").inner_text().strip()
    stored = PartnerKey.objects.get(partner="Riverside clinic app")
    assert secret.startswith(stored.prefix)

    request = urllib.request.Request(
        f"{live_server.url}/api/v1/articles/what-is-a-normal-blood-pressure-reading",
        headers={"X-API-Key": secret},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        article = json.load(response)
    assert article["title"] == "What is a normal blood pressure reading?"

    page.goto(f"/admin/articles/partnerkey/{stored.pk}/change/")
    expect(page.locator("#content")).to_contain_text(stored.prefix)
    assert secret not in page.content()
    assert problems.all() == []


def test_an_editor_adds_a_synonym_group_and_a_one_phrase_group_is_refused(
    new_page, demo
):
    page, problems = new_page()
    log_in(page, *EDITOR)
    page.goto("/admin/articles/synonymgroup/add/")
    phrases = page.get_by_label("Phrases")
    phrases.fill("shingles")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.locator("#content")).to_contain_text("at least two")
    assert not SynonymGroup.objects.filter(phrases__contains="shingles").exists()

    page.get_by_label("Phrases").fill("shingles = herpes zoster")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("being recomputed")
    assert SynonymGroup.objects.filter(phrases="shingles = herpes zoster").exists()
    assert problems.all() == []


def test_an_editor_uploads_a_picture_to_the_library_and_an_svg_is_refused(
    new_page, demo, tmp_path
):
    from tests import images

    svg = tmp_path / "rash.svg"
    svg.write_bytes(images.SVG)
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(images.jpeg_with_gps())
    page, problems = new_page()
    log_in(page, *EDITOR)
    page.goto("/admin/articles/libraryimage/add/")
    page.get_by_label("Picture").set_input_files(str(svg))
    page.get_by_label("Alt text").fill("A red rash on an elbow")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#content")).to_contain_text("not a JPEG, PNG or WebP picture")
    assert not LibraryImage.objects.filter(alt_text__startswith="A red rash").exists()

    page.get_by_label("Picture").set_input_files(str(photo))
    page.get_by_label("Alt text").fill("A red rash on an elbow")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    image = LibraryImage.objects.get(alt_text="A red rash on an elbow")
    thumbnail = page.locator("#result_list img").first
    expect(thumbnail).to_be_visible()
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_have_js_property("complete", True)
    natural = thumbnail.evaluate("img => img.naturalWidth")
    assert natural == 320  # the smallest WebP rendition, served and decoded
    assert image.width == 800
    assert problems.all() == []


def test_an_article_with_a_library_picture_is_reviewed_published_and_read(
    new_page, demo, tmp_path
):
    from tests import images
    from tests.browser.conftest import REVIEWER
    from tests.browser.test_editor_path import (
        choose_autocomplete,
        press_workflow_button,
    )

    photo = tmp_path / "pulse.png"
    photo.write_bytes(images.png_bytes(900, 600, colour=(30, 120, 90)))
    editor, editor_problems = new_page()
    log_in(editor, *EDITOR)
    editor.goto("/admin/articles/libraryimage/add/")
    editor.get_by_label("Picture").set_input_files(str(photo))
    editor.get_by_label("Alt text").fill("Two fingers on the inside of a wrist")
    editor.get_by_label("Caption").fill("Where to feel the pulse at the wrist.")
    editor.get_by_role("button", name="Save and continue editing").click()
    line = editor.locator(".field-use_in_text code").inner_text()
    assert re.fullmatch(r"!\[\]\(image:[a-z0-9-]+\)", line)

    editor.goto("/admin/articles/article/add/")
    editor.locator("#id_title").fill("How do I check my pulse?")
    choose_autocomplete(editor, "topic", "Heart and blood pressure")
    editor.locator("#id_short_answer").fill("Press two fingers on your wrist.")
    editor.locator("#id_body").fill(f"## At the wrist\n\n{line}\n\nCount for 30 s.\n")
    preview = editor.locator(".field-body .markdownx-preview")
    expect(preview.locator("figure img")).to_have_attribute(
        "alt", "Two fingers on the inside of a wrist"
    )
    choose_autocomplete(editor, "author", "Hannah Okafor")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("was added")
    article_id = re.search(r"/article/(\d+)/change/", editor.url)[1]
    press_workflow_button(editor, "Submit for review")

    reviewer, reviewer_problems = new_page()
    log_in(reviewer, *REVIEWER)
    reviewer.goto(f"/admin/articles/article/{article_id}/review/")
    # A first publication is reviewed as it will read, picture in place.
    expect(reviewer.locator(".review-page figure img")).to_have_attribute(
        "alt", "Two fingers on the inside of a wrist"
    )
    reviewer.get_by_role("button", name="Approve this exact text").click()
    expect(reviewer.locator(".messagelist .success")).to_contain_text("Approve: done")

    editor.reload()
    press_workflow_button(editor, "Publish")
    visitor, visitor_problems = new_page()
    visitor.goto("/questions/how-do-i-check-my-pulse/")
    picture = visitor.locator("figure.figure img")
    expect(picture).to_have_attribute("alt", "Two fingers on the inside of a wrist")
    expect(visitor.locator("figure.figure figcaption")).to_contain_text(
        "Where to feel the pulse at the wrist."
    )
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("img => img.naturalWidth") > 0
    assert picture.evaluate("img => img.currentSrc").endswith(".webp")
    problems = editor_problems.all() + reviewer_problems.all() + visitor_problems.all()
    assert not problems, "\n".join(problems)
