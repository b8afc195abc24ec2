"""A reader reports a problem from an article page in Chromium, and an editor
triages it from the dashboard; axe-core and the Nu HTML checker on the form
and thanks pages (articles/web/reports.py)."""

import json
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import ProblemReport
from tests.browser.conftest import AXE_JS, VNU_JAR, log_in, missing_tool
from tests.browser.test_accessibility import AXE_TAGS, WIDTHS, format_axe_violations
from tests.factories import make_editor, make_published, make_reviewer

pytestmark = pytest.mark.browser

TITLE = "Is it safe to take ibuprofen with paracetamol?"
SLUG = "ibuprofen-with-paracetamol"
MESSAGE = "The dose in the second paragraph says 4 g for ibuprofen; should it not be paracetamol?"
CONTACT = "reader@example.org"
PASSWORD = "correct-horse-9"  # tests.factories.UserFactory's


@pytest.fixture
def published(transactional_db):
    """A public article and the editor who triages its reports."""
    # A transactional test's database is flushed afterwards, which removes the
    # groups a data migration made; sync_roles makes them again.
    call_command("sync_roles", stdout=StringIO())
    editor = make_editor(username="triage-editor")
    article = make_published(
        editor=editor, reviewer=make_reviewer(), title=TITLE, slug=SLUG
    )
    return article, editor


def axe_violations(page, name: str) -> list[str]:
    """axe-core's violations on `page` at both widths, as report lines."""
    if not AXE_JS.is_file():
        missing_tool(f"axe-core is not installed ({AXE_JS} is missing).")
    report = []
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 800})
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        results = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})""",
            AXE_TAGS,
        )
        assert results["passes"], f"axe-core checked nothing on {name}"
        if results["violations"]:
            report.append(
                f"{name} at {width}px:\n" + format_axe_violations(results["violations"])
            )
    return report


def test_a_reader_reports_a_problem_and_an_editor_marks_it_fixed(new_page, published):
    article, editor = published
    reader, problems = new_page()

    reader.goto(article.get_absolute_url())
    reader.get_by_role("link", name="Report a problem with this page").click()
    reader.wait_for_url(f"**/questions/{SLUG}/report/?version=1")
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Report a problem with this page"
    )
    expect(reader.get_by_text("This form is not for medical advice")).to_be_visible()
    # The trap field is there for robots, and invisible to people.
    expect(reader.locator("#id_website")).to_be_attached()
    expect(reader.locator("#id_website")).to_be_hidden()
    violations = axe_violations(reader, "report form")

    reader.get_by_label("What is wrong?").fill(MESSAGE)
    reader.get_by_label("How can we contact you? (optional)").fill(CONTACT)
    reader.screenshot(path="/tmp/report-form.png", full_page=True)
    reader.get_by_role("button", name="Send report").click()
    reader.wait_for_url(f"**/questions/{SLUG}/report/thanks/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Thank you for your report"
    )
    violations += axe_violations(reader, "thanks page")
    assert not violations, "axe-core found violations:\n" + "\n".join(violations)
    assert not problems.all(), "\n".join(problems.all())

    report = ProblemReport.objects.get()
    assert (report.article_id, report.version.number, report.state) == (
        article.pk,
        1,
        ProblemReport.State.NEW,
    )
    assert (report.message, report.contact) == (MESSAGE, CONTACT)

    desk, _ = new_page()
    log_in(desk, editor.username, PASSWORD)
    section = desk.locator("#problem-reports")
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "Problems readers reported (1)"
    )
    desk.screenshot(path="/tmp/report-dashboard.png", full_page=True)
    section.get_by_role("link", name=TITLE).click()
    desk.wait_for_url(f"**/admin/articles/problemreport/{report.pk}/change/")
    expect(desk.get_by_text(MESSAGE)).to_be_visible()
    desk.screenshot(path="/tmp/report-triage.png", full_page=True)
    desk.get_by_label("State").select_option(label="Fixed")
    desk.get_by_label("Editor note").fill("Corrected the dose; published as version 2.")
    desk.get_by_role("button", name="Save", exact=True).click()
    desk.wait_for_url("**/admin/articles/problemreport/")

    report.refresh_from_db()
    assert (report.state, report.handled_by_id) == (
        ProblemReport.State.FIXED,
        editor.pk,
    )
    desk.goto("/admin/")
    expect(desk.locator("#problem-reports")).to_contain_text(
        "No reader has reported a problem that is waiting."
    )


def test_the_report_pages_are_valid_html_for_the_nu_checker(
    client, published, java, tmp_path
):
    if not VNU_JAR.is_file():
        missing_tool(f"The Nu HTML checker is not installed ({VNU_JAR} is missing).")
    article, _ = published
    form_url = reverse("articles:report_problem", args=[SLUG])
    refused = client.post(form_url, {"message": "x" * 2001, "version": "1"})
    assert refused.status_code == 400
    pages = {
        "form": client.get(f"{form_url}?version=1"),
        "form with errors": refused,
        "thanks": client.get(reverse("articles:report_thanks", args=[SLUG])),
    }
    files = {}
    for name, response in pages.items():
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[str(path)] = name
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--verbose"]
        + list(files),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert set(run.stderr.split()) >= set(files), run.stderr
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), '?')}, line "
        f"{m.get('lastLine', '?')}: {m['message']}"
        for m in json.loads(run.stdout)["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "The Nu HTML checker found errors:\n" + "\n".join(errors)
