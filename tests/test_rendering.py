import re

import pytest

from articles.text.rendering import render_markdown


def test_pipe_table_becomes_a_table_with_header_and_rows():
    html = render_markdown(
        "| Age | Hours |\n|---|---|\n| 1-2 | 11-14 |\n| 3-5 | 10-13 |\n"
    )
    assert "<table>" in html
    assert "<th>Age</th>" in html and "<th>Hours</th>" in html
    assert html.count("<tr>") == 3
    assert "<td>11-14</td>" in html


def test_numbered_and_bulleted_lists_render_as_lists():
    html = render_markdown(
        "1. **Rest:** sleep well\n2. **Fluids:** drink water\n\n- one\n- two\n"
    )
    assert "<ol>" in html and "<ul>" in html
    assert "<li><strong>Rest:</strong> sleep well</li>" in html
    assert "<li>two</li>" in html


def test_headings_get_ids_for_linking():
    html = render_markdown("## When to see a doctor\n\n### Red flags\n")
    assert '<h2 id="when-to-see-a-doctor">When to see a doctor</h2>' in html
    assert '<h3 id="red-flags">Red flags</h3>' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "Hello <script src='https://evil.example/x.js'></script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://ok.example" onclick="alert(1)">link</a>',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_script_event_handlers_and_dangerous_urls_do_not_survive(hostile):
    html = render_markdown(hostile).lower()
    assert "<script" not in html
    assert "<iframe" not in html and "<svg" not in html and "<style" not in html
    assert re.search(r"\son\w+\s*=", html) is None
    assert "javascript:" not in html
    assert "data:" not in html
    assert "style=" not in html


def test_safe_links_are_kept_with_noopener():
    html = render_markdown("[NHS](https://www.nhs.uk/)")
    assert html == (
        '<p><a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a></p>'
    )


def test_empty_text_renders_to_empty_string():
    assert render_markdown("") == ""


def test_studies_table_from_seed_renders_as_a_table(seed_text):
    """The plain-text studies table of seed 001, written as Markdown, keeps every cell."""
    text = seed_text("001")
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Study ")))
    rows = []
    for line in lines[start + 1 :]:
        match = re.match(r"(.+?) (\d[\d,]*\+) (.+)", line)
        if not match:
            break
        rows.append(match.groups())
    assert len(rows) == 3
    markdown = "| Study | Participants | Findings |\n|---|---|---|\n" + "".join(
        f"| {study} | {count} | {finding} |\n" for study, count, finding in rows
    )
    html = render_markdown(markdown)
    assert html.count("<tr>") == 4
    assert "<td>Obstetrics &amp; Gynecology</td>" in html
    assert "<td>1,000+</td>" in html
    assert (
        "<td>No significant increase in miscarriage rates linked to intercourse.</td>"
        in html
    )


@pytest.mark.parametrize("heading", ["Main", "FAQ 1", "Related heading"])
def test_body_headings_never_take_the_pages_own_ids(heading):
    html = render_markdown(f"## {heading}\n")
    assert re.search(r'id="(main|faq-1|related-heading)"', html) is None
    assert 'id="section-' in html
