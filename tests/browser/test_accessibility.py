"""Accessibility and validity of the public pages.

- axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in Chromium, at a desktop and a
  phone width;
- the Nu HTML checker (vnu.jar, the W3C validator) on the HTML the server
  sends, every page in one Java run;
- the keyboard basics: the first Tab reaches a visible "Skip to main content"
  link, and Enter moves the focus to the main content;
- screenshots of the home and article pages at both widths, for a person to
  look at (BROWSER_SCREENSHOTS_DIR, or a pytest temporary folder).
"""

import json
import os
import subprocess
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE_JS, VNU_JAR, missing_tool

pytestmark = pytest.mark.browser

ARTICLE_URL = "/questions/how-much-sleep-do-teenagers-need/"
MISSING_URL = "/questions/no-such-question/"
PAGES = {
    "home": "/",
    "topic": "/topics/sleep/",
    "article": ARTICLE_URL,
    # Care cards (urgent, emergency), callouts, page history, review dates.
    "article-with-care-cards": "/questions/what-is-a-normal-blood-pressure-reading/",
    "profile": "/people/priya-raman/",
    "site-page": "/about/how-we-review/",
    "search-results": "/search/?q=sleep",
    "search-empty": "/search/",
    "search-no-results": "/search/?q=zebra",
    "not-found": MISSING_URL,
    "report-problem": f"{ARTICLE_URL}report/?version=1",
}
EXPECTED_STATUS = {"not-found": 404}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT = 800


class NuCheckerWarning(UserWarning):
    """A Nu HTML checker warning: reported, not a failure."""


@pytest.fixture
def axe():
    if not AXE_JS.is_file():
        missing_tool(f"axe-core is not installed ({AXE_JS} is missing).")
    return AXE_JS


def format_axe_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl'].split('?')[0]}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    target {node['target']}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations_at_desktop_and_phone_widths(
    new_page, demo, axe, name
):
    url = PAGES[name]
    page, problems = new_page()
    report = []
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": HEIGHT})
        response = page.goto(url)
        assert response.status == EXPECTED_STATUS.get(name, 200)
        # Through the DevTools protocol, not a <script> tag: the site's
        # Content-Security-Policy rightly refuses inline scripts.
        page.evaluate(axe.read_text(encoding="utf-8"))
        results = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})""",
            AXE_TAGS,
        )
        assert results["passes"], f"axe-core checked nothing on {url}"
        for item in results["incomplete"]:
            # "Needs review": axe could not decide (e.g. text over a gradient).
            targets = [node["target"] for node in item["nodes"]]
            print(f"axe needs review, {name} at {width}px: {item['id']} {targets}")
        if results["violations"]:
            report.append(
                f"{name} page {url} at {width}px ({width_name}):\n"
                + format_axe_violations(results["violations"])
            )
    assert not report, "axe-core found accessibility violations:\n" + "\n".join(report)
    missing = page.url if name == "not-found" else None
    unexpected = problems.all(expected_error_urls=[missing] if missing else [])
    assert not unexpected, "Problems while loading the page:\n" + "\n".join(unexpected)


def test_every_page_is_valid_html_for_the_nu_checker(client, demo, java, tmp_path):
    """All pages go to one Java run (starting the checker costs seconds)."""
    if not VNU_JAR.is_file():
        missing_tool(f"The Nu HTML checker is not installed ({VNU_JAR} is missing).")
    files = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == EXPECTED_STATUS.get(name, 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[str(path)] = f"{name} page {url}"

    # Plain paths: vnu.jar silently checks nothing for a file: URI. --verbose
    # lists each file it checked, on stderr, which proves none was skipped.
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--verbose"]
        + list(files),
        capture_output=True,
        text=True,
        timeout=120,
    )
    checked = set(run.stderr.split())
    assert checked >= set(files), (
        f"vnu.jar did not check {sorted(set(files) - checked)} "
        f"(exit {run.returncode}):\n{run.stderr}"
    )
    messages = json.loads(run.stdout)["messages"]

    def describe(message):
        path = message.get("url", "?").removeprefix("file:")
        line = message.get("lastLine", "?")
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        return (
            f"{files.get(path, path)}, line {line}: {message['message']}\n"
            f"    {extract[:200]}"
        )

    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    notes = [m for m in messages if m not in errors]
    for message in notes:
        # Warnings are allowed; they show in pytest's warnings summary.
        kind = message.get("subType", message["type"])
        print(f"Nu HTML checker {kind}: {describe(message)}")
        warnings.warn(NuCheckerWarning(f"{kind}: {describe(message)}"), stacklevel=1)
    assert not errors, "The Nu HTML checker found errors:\n" + "\n".join(
        describe(message) for message in errors
    )


def test_first_tab_shows_the_skip_link_and_enter_moves_focus_to_main(
    page, demo, screenshots_dir
):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.screenshot(path=str(screenshots_dir / "home-skip-link-focused.png"))
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box is not None, "the focused skip link has no box"
    assert box["width"] > 1 and box["height"] > 1, f"skip link is clipped: {box}"
    assert (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    ), f"focused skip link is outside the viewport: {box}"
    # It must really be painted: what is at its centre is the link itself.
    on_top = page.evaluate(
        """([x, y]) => {
            const el = document.elementFromPoint(x, y);
            return !!el && !!el.closest("a.skip-link, a[href='#main']");
        }""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top, "the focused skip link is covered by something else"

    page.keyboard.press("Enter")
    main = page.get_by_role("main")
    expect(main).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory):
    configured = os.environ.get("BROWSER_SCREENSHOTS_DIR")
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("name", ["home", "article"])
def test_page_renders_at_desktop_and_phone_widths(
    new_page, demo, screenshots_dir, name
):
    """Screenshots for a person to look at; the test checks the page is laid
    out: the stylesheet applied and nothing wider than a phone's screen."""
    page, problems = new_page()
    for width_name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.goto(PAGES[name])
        path = screenshots_dir / f"{name}-{width}px.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        assert path.stat().st_size > 10_000, f"{path} looks blank"
        # The stylesheet loaded: the skip link is not a visible block at the top.
        expect(page.locator("a.skip-link")).not_to_be_in_viewport()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (
            f"{name} page at {width}px ({width_name}) scrolls sideways by {overflow}px"
        )
    unexpected = problems.all()
    assert not unexpected, "Problems while loading the page:\n" + "\n".join(unexpected)
