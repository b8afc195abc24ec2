"""Hostile content in a real browser: a sample of the most dangerous payloads
of tests/data/xss_payloads.txt, published into articles through the real
workflow, then shown in Chromium to a visitor (article pages, search results,
topic and profile pages) and to a superuser (the article's admin form, with
the payloads typed into the Markdown editor's live preview).

Every page starts with alert(), confirm(), prompt() and print() replaced by
recorders (in every frame), and Playwright's "dialog" event is watched too, so
a payload that runs is seen whichever way it calls out. Console errors, failed
requests (an injected <img> or <iframe> would make one) and script errors
count as problems as well.
"""

import codecs
import urllib.parse
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from articles.models import Person
from articles.text.images import image_problems
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    ReferenceFactory,
    TopicFactory,
    UserFactory,
    make_editor,
    make_published,
    make_reviewer,
)

pytestmark = pytest.mark.browser

PAYLOAD_FILE = Path(__file__).resolve().parents[1] / "data" / "xss_payloads.txt"
SEARCH_WORD = "xssbrowsersample"

# The sample: script and handler injection, javascript: links written every
# way Markdown allows, <script> and JSON-LD breakouts, attribute-context
# breakouts, and the sanitiser-bypass (mXSS) classics.
SAMPLE = [
    "<SCRIPT>alert('XSS')</SCRIPT>",
    "<img src=1 onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">XSS</a>',
    "<form><button formaction=javascript:alert(1)>XSS</button></form>",
    "[XSS](javascript:alert(1))",
    "[XSS](java&#x09;script:alert(1))",
    '![XSS"onerror="alert(1)](x)',
    "<javascript:alert(1)>",
    '[XSS](https://example.org "title\\" onmouseover=\\"alert(1)")',
    "</script><script>alert(1)</script>",
    "</SCRIPT ><script>alert(1)</script>",
    "<!--<script>alert(1)</script>",
    '"}]}</script><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)" x="',
    "' autofocus onfocus='alert(1)",
    '"><img src=x onerror=alert(1)>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    "<svg onload=print()> <img src=x onerror=confirm(1)> <img src=x onerror=prompt(1)>",
]

# Runs before any page script, in every frame: record instead of showing.
RECORD_DIALOGS = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__xssCalls", { value: calls });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { calls.push(name + "(" + args.join(",") + ")"); };
  }
})();
"""


def corpus_payloads() -> set[str]:
    payloads = set()
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line == "#" or line.startswith("# "):
            continue
        if line.startswith("escaped: "):
            line = codecs.decode(line.removeprefix("escaped: "), "unicode_escape")
        payloads.add(line)
    return payloads


@pytest.fixture
def hostile(transactional_db, monkeypatch):
    """The sample published, one article per payload, all in one topic and
    under one author and one reviewer whose every text field is hostile."""
    call_command("sync_roles", stdout=StringIO())
    monkeypatch.setattr("articles.web.search.RESULTS_PER_PAGE", 100)
    editor = make_editor(username="xss-editor")
    reviewer = make_reviewer(username="xss-reviewer")
    Person.objects.filter(user=reviewer).update(
        name=SAMPLE[20][:120],
        credentials=SAMPLE[16],
        job_title=SAMPLE[13],
        specialty=SAMPLE[19],
        bio="\n\n".join(SAMPLE),
    )
    topic = TopicFactory(name=SAMPLE[19], slug="hostile-topic", description=SAMPLE[18])
    author = PersonFactory(
        name=SAMPLE[21],
        slug="hostile-author",
        credentials=SAMPLE[17],
        job_title=SAMPLE[14],
        specialty=SAMPLE[15],
        registration=SAMPLE[2],
        bio="\n\n".join(SAMPLE),
        profile_links="https://example.org/?q=" + urllib.parse.quote(SAMPLE[13]),
    )
    articles = []
    for number, payload in enumerate(SAMPLE, start=1):
        # Markdown images are refused on save (tests/test_text_entry.py): such a
        # payload stays in the plain-text fields, and the Markdown ones say so.
        markdown = (
            "An image payload, refused in Markdown."
            if image_problems(payload)
            else payload
        )
        article = ArticleFactory(
            title=payload,
            slug=f"hostile-{number}",
            short_answer=payload,
            body=f"{markdown}\n\nSome visible text.",
            topic=topic,
            author=author,
        )
        FAQFactory(article=article, position=1, question=payload, answer=markdown)
        FAQFactory(
            article=article,
            position=2,
            question=f"Is this {SEARCH_WORD} {number}?",
            answer=markdown,
        )
        KeyTakeawayFactory(article=article, position=1, text=payload)
        ReferenceFactory(
            article=article,
            position=1,
            citation=payload,
            url="https://example.org/?q=" + urllib.parse.quote(payload),
        )
        articles.append(make_published(article, editor=editor, reviewer=reviewer))
    return articles


def open_recording_page(new_page, **options):
    page, problems = new_page(**options)
    page.context.add_init_script(RECORD_DIALOGS)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, problems, dialogs


def provoke(page):
    """Give event handlers their chance: focus moves, the pointer passes over
    the page, and the page scrolls to its end."""
    for _ in range(5):
        page.keyboard.press("Tab")
    for y in range(0, 720, 60):
        page.mouse.move(640, y)
        page.mouse.move(100, y)
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(100)


def calls_in(page) -> list[str]:
    """What the recorders saw, in the page and in every frame."""
    calls = []
    for frame in page.frames:
        try:
            calls += frame.evaluate("window.__xssCalls || []")
        except Exception:  # a frame from an injected element may be gone
            calls.append(f"unreadable frame {frame.url!r}")
    return calls


def assert_nothing_ran(page, problems, dialogs, where):
    ran = calls_in(page) + [f"dialog: {message}" for message in dialogs]
    assert not ran, f"a payload ran on {where}: {ran}"
    found = problems.all()
    assert not found, f"problems on {where}:\n" + "\n".join(found)


def test_sample_payloads_are_in_the_corpus():
    assert len(SAMPLE) >= 20
    missing = [payload for payload in SAMPLE if payload not in corpus_payloads()]
    assert not missing


def test_no_payload_runs_for_a_visitor(new_page, hostile):
    page, problems, dialogs = open_recording_page(new_page)
    urls = [article.get_absolute_url() for article in hostile]
    urls += [
        f"/search/?q={SEARCH_WORD}",
        "/search/?" + urllib.parse.urlencode({"q": SAMPLE[13]}),
        hostile[0].topic.get_absolute_url(),
        hostile[0].author.get_absolute_url(),
        hostile[0].live_version.reviewer.get_absolute_url(),
        "/",
    ]
    for url in urls:
        page.goto(url)
        provoke(page)
        assert_nothing_ran(page, problems, dialogs, url)
    # The search found every article, so every snippet was on the page.
    page.goto(f"/search/?q={SEARCH_WORD}")
    for article in hostile:
        assert page.locator(f'a[href="{article.get_absolute_url()}"]').count() >= 1


def test_no_payload_runs_in_the_admin_or_its_live_preview(
    new_page, live_server, hostile
):
    superuser = UserFactory(username="xss-admin", is_superuser=True)
    client = Client()
    client.force_login(superuser)
    page, problems, dialogs = open_recording_page(new_page)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    for article in hostile[:3] + hostile[13:20]:
        url = f"/admin/articles/article/{article.pk}/change/"
        page.goto(url)
        provoke(page)
        assert_nothing_ran(page, problems, dialogs, url)

    body = page.locator("#id_body")
    preview = page.locator(".markdownx-preview").first
    # All of the sample at once, then a few typed key by key.
    with page.expect_response("**/admin-tools/markdown-preview/"):
        body.fill("\n\n".join(SAMPLE))
    page.wait_for_timeout(200)
    provoke(page)
    assert "XSS" in preview.inner_text()  # the preview shows the new text
    assert_nothing_ran(page, problems, dialogs, "the live preview")
    for payload in (SAMPLE[1], SAMPLE[8], SAMPLE[22]):
        body.fill("")
        with page.expect_response("**/admin-tools/markdown-preview/"):
            body.press_sequentially(payload)
        page.wait_for_timeout(200)
        provoke(page)
        assert_nothing_ran(page, problems, dialogs, f"the live preview of {payload}")


def test_the_recorders_see_a_payload_that_runs(new_page):
    page, _problems, _dialogs = open_recording_page(new_page)
    page.route(
        "**/xss-probe/",
        lambda route: route.fulfill(
            content_type="text/html",
            body="<img src=x onerror=alert(1)><script>print();confirm(2)</script>"
            "<iframe srcdoc='<script>prompt(3)</script>'></iframe>",
        ),
    )
    page.goto("/xss-probe/")
    page.wait_for_timeout(300)
    ran = sorted(calls_in(page))
    assert ran == ["alert(1)", "confirm(2)", "print()", "prompt(3)"]
