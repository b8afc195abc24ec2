"""Hostile content: every payload of tests/data/xss_payloads.txt, put into every
field an editor controls and read back through every output.

For each payload one article is published through the real workflow with the
payload as its question, short answer, body, first FAQ (question and answer),
takeaway, reference (citation, and URL where a URL fits), change summary and
workflow comments; its topic (name and description) and both bylines (every
text field of the author's and the reviewer's profile) carry it too. After
publication the working copy is edited to hold the *next* payload, so the
review diff shows one payload deleted and another inserted, and the staff
draft preview and the admin form show the next one.

A value the model refuses (full_clean) counts as safely refused: the refusal is
checked, and a stand-in is stored instead (the payload in a URL's query, or
cut to the field's length), so the output is still tested.

Every HTML response is read with Python's html.parser plus a raw scan of
<script> elements the way a browser ends them (`</script` + space, "/" or ">"),
and must hold no executable script, event-handler attribute, javascript:,
vbscript: or data: URL, meta refresh, and no more frames, forms, styles, SVG,
MathML or form controls than the same page of a harmless article. XML outputs
must parse, and the HTML inside feed items must hold no markup at all.

The corpus is built once per module inside a transaction that is rolled back
afterwards; each test reads it through the test client.
"""

import base64
import codecs
import json
import re
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from articles.models import (
    FAQ,
    Article,
    ArticleVersion,
    KeyTakeaway,
    Person,
    Reference,
    RelatedPick,
    Tag,
    Topic,
)
from articles.publishing import refresh
from articles.review import comments, roles, versioning, workflow
from articles.text.control_characters import CONTROL_CHARACTERS
from articles.text.rendering import render_markdown
from tests.factories import UserFactory

# The mark also makes pytest-django set up the test database before the
# module-scoped corpus fixture reads it.
pytestmark = pytest.mark.django_db

PAYLOAD_FILE = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"
ESCAPED_PREFIX = "escaped: "
MIN_PAYLOADS = 120
EXECUTES = re.compile(r"(alert|confirm|prompt|print)[\s>`]*[(`]", re.IGNORECASE)
HARMLESS = "Drinking water helps most people feel better after exercise."
HARMLESS_EDIT = "Drinking water helps many people feel better after a long walk."
# Admin lists have a checkbox and "yes/no" icons in every row.
ROW_ELEMENTS = ("<input>", "<img>")


# The corpus file -------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    number: int  # 1-based, in file order
    line: int
    source: str
    text: str

    def __str__(self):
        return f"payload {self.number} (line {self.line}) {self.text!r}"


def load_payloads(path: Path = PAYLOAD_FILE) -> list[Payload]:
    """The payloads of the corpus file, each with the source of its group."""
    payloads = []
    source = ""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith("# source:"):
            source = line.removeprefix("# source:").strip()
            continue
        if not line.strip() or line == "#" or line.startswith("# "):
            continue
        if line.startswith(ESCAPED_PREFIX):
            escaped = line.removeprefix(ESCAPED_PREFIX)
            assert escaped.isascii(), f"line {number}: escaped lines are ASCII only"
            text = codecs.decode(escaped, "unicode_escape")
        else:
            text = line
        payloads.append(Payload(len(payloads) + 1, number, source, text))
    return payloads


PAYLOADS = load_payloads()


def _decodings(text: str) -> list[str]:
    """The payload as a browser might end up reading it: entities, percent
    escapes and base64 data: URLs decoded."""
    texts = [text, unescape(text), urllib.parse.unquote(unescape(text))]
    for chunk in re.findall(r"base64,([A-Za-z0-9+/=]+)", text):
        texts.append(base64.b64decode(chunk + "==").decode("latin-1"))
    return texts


# What an HTML response may hold ----------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "srcdoc",
    "poster",
    "background",
    "srcset",
    "lowsrc",
    "dynsrc",
    "codebase",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements content must never add; the admin and the site have some of their
# own (forms, inputs, SVG icons), so a page may hold no more than the same page
# of a harmless article.
COUNTED_TAGS = {
    "applet", "audio", "base", "bgsound", "body", "button", "dialog",
    "embed", "form", "frame", "frameset", "head", "html", "iframe", "image",
    "img", "input", "isindex", "keygen", "link", "listing", "marquee", "math",
    "meta", "noembed", "noframes", "noscript", "object", "option", "plaintext",
    "select", "source", "style", "svg", "template", "textarea", "title",
    "video", "xmp",
}  # fmt: skip
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# A browser ends a script element at "</script" followed by whitespace, "/" or ">".
SCRIPT_START = re.compile(r"<script(?=[\s/>])([^>]*)>", re.IGNORECASE)
SCRIPT_END = re.compile(r"</script(?=[\s/>])", re.IGNORECASE)
SCRIPT_ATTRIBUTE = re.compile(
    r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STRIPPED = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _around(text: str, start: int, end: int | None = None) -> str:
    end = start + 60 if end is None else end
    return text[max(0, start - 60) : min(len(text), end + 60)]


class _PageReader(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0]
        for match in re.finditer("\n", text):
            self.line_starts.append(match.end())
        self.problems: list[str] = []
        self.signature: Counter = Counter()

    def _here(self) -> str:
        line, column = self.getpos()
        return _around(self.text, self.line_starts[line - 1] + column)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            name = name.lower()
            value = value or ""
            if name.startswith("on"):
                self.problems.append(
                    f"event handler {name}= on <{tag}>: {self._here()}"
                )
            if name in URL_ATTRIBUTES:
                bare = _STRIPPED.sub("", value).lower()
                if bare.startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>: {self._here()}")
            if name == "style":
                self.signature[f"<{tag} style={value!r}>"] += 1
        if tag in COUNTED_TAGS:
            self.signature[f"<{tag}>"] += 1
        if tag == "meta":
            equiv = dict(attrs).get("http-equiv") or ""
            if equiv.strip().lower() == "refresh":
                self.problems.append(f"meta refresh: {self._here()}")

    handle_startendtag = handle_starttag


def _script_problems(text: str, signature: Counter) -> list[str]:
    """Every <script> a browser would see: only JSON data blocks (parseable,
    with no way to end the element or open a comment) and same-site files."""
    problems = []
    position = 0
    while match := SCRIPT_START.search(text, position):
        attributes = {
            name.lower(): next(v for v in values if v is not None)
            for name, *values in SCRIPT_ATTRIBUTE.findall(match[1])
        }
        end = SCRIPT_END.search(text, match.end())
        stop = end.start() if end else len(text)
        body = text[match.end() : stop]
        position = stop + 1
        kind = attributes.get("type", "").strip().lower()
        where = _around(text, match.start(), min(stop, match.start() + 200))
        if kind in JSON_SCRIPT_TYPES:
            try:
                json.loads(body)
            except ValueError as error:
                problems.append(f"{kind} block is not JSON ({error}): {where}")
            lowered = body.lower()
            if "<!--" in lowered or "<script" in lowered or "</script" in lowered:
                problems.append(f"{kind} block holds <!-- or <script: {where}")
            signature[f"<script type={kind}>"] += 1
            continue
        src = attributes.get("src", "")
        if src.startswith("/") and not src.startswith("//") and not body.strip():
            signature[f"<script src={src}>"] += 1
            continue
        problems.append(f"executable <script>: {where}")
    return problems


def html_problems(
    text: str, baseline: Counter | None = None, *, per_row: tuple[str, ...] = ()
) -> list[str]:
    """What makes this HTML unsafe, compared with `baseline` (the signature()
    of the same page for harmless content; none: a fragment of content).
    Elements in `per_row` are not counted (a list has its own in every row)."""
    reader = _PageReader(text)
    reader.feed(text)
    reader.close()
    problems = _script_problems(text, reader.signature) + reader.problems
    extra = reader.signature - (baseline or Counter())
    for what in per_row:
        extra.pop(what, None)
    problems += [
        f"{count} more {what} than for harmless content"
        for what, count in extra.items()
    ]
    return problems


def signature(text: str) -> Counter:
    """Counts of the elements and style attributes a page has of its own."""
    reader = _PageReader(text)
    reader.feed(text)
    reader.close()
    _script_problems(text, reader.signature)
    return reader.signature


# Building the corpus -----------------------------------------------------------


def _marker(number: int) -> str:
    """A word unique to one article, for search: fixed width (no marker is a
    prefix of another) and consonants only (no stemming changes it)."""
    letters = "bcdfghjkmnpqrtvwxz"
    code = ""
    for _ in range(4):
        number, digit = divmod(number, len(letters))
        code = letters[digit] + code
    return f"xsscase{code}"


def _safe_url(value: str) -> str:
    """A web address carrying the payload in its query, escaped only where a
    URL field requires it (spaces and control characters)."""
    return "https://example.org/search?q=" + "".join(
        urllib.parse.quote(c) if c.isspace() or not c.isprintable() else c
        for c in value
    )


def _quoted_url(value: str) -> str:
    return "https://example.org/search?q=" + urllib.parse.quote(value, safe="")


@dataclass
class Case:
    payload: Payload
    marker: str
    slug: str
    values: dict[str, str] = field(default_factory=dict)  # what was stored, by field
    refusals: dict[str, str] = field(default_factory=dict)  # field: validation message
    article: Article | None = None
    topic: Topic | None = None
    author: Person | None = None
    reviewer: Person | None = None


def _without_nul(case: Case, name: str, value: str) -> str:
    """PostgreSQL text cannot hold NUL and Django's form fields refuse it; the
    models refuse the other control characters (XML cannot carry them)."""
    if "\x00" in value:
        with pytest.raises(ValidationError):
            ProhibitNullCharactersValidator()(value)
        case.refusals[f"{name} (NUL)"] = "Null characters are not allowed."
    if CONTROL_CHARACTERS.search(value):
        with pytest.raises(ValidationError, match="invisible control character"):
            Tag(name=value, slug="control").full_clean(validate_unique=False)
        case.refusals[f"{name} (control)"] = "invisible control character"
    return CONTROL_CHARACTERS.sub("\ufffd", value)


def _clean(case: Case, prefix: str, obj, stand_ins: dict) -> None:
    """full_clean(); each refused field gets its stand-in, and the refusal is
    recorded. A refusal with no stand-in fails the test."""
    for _attempt in range(len(stand_ins) + 1):
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
            return
        except ValidationError as error:
            refused = set(error.message_dict)
            if "__all__" in refused and "url" in stand_ins:
                refused = (refused - {"__all__"}) | {"url"}
            for name in refused:
                if name not in stand_ins or f"{prefix}.{name}" in case.refusals:
                    raise
                case.refusals[f"{prefix}.{name}"] = "; ".join(
                    error.message_dict.get(name, error.messages)
                )
                setattr(obj, name, stand_ins[name](getattr(obj, name)))
    obj.full_clean(validate_unique=False, validate_constraints=False)


def _cut(length):
    return lambda value: value[:length]


def _refused_text(_value):
    return "Refused by validation."


def _url_stand_in(value):
    """The payload in a URL's query: as little escaping as the field allows."""
    for candidate in (_safe_url(value), _quoted_url(value)):
        try:
            Reference._meta.get_field("url").clean(candidate, None)
        except ValidationError:
            continue
        return candidate
    raise AssertionError(f"no URL can carry {value!r}")


def _person(case: Case, role: str, user=None) -> Person:
    text = _without_nul(case, f"{role}.text", case.payload.text)
    person = Person(
        # The role first: an author and a reviewer with one name would be
        # refused as look-alike bylines.
        name=f"{role} {case.payload.number} {text}",
        slug=f"xss-{role}-{case.payload.number}",
        credentials=text,
        job_title=text,
        specialty=text,
        registration=text,
        bio=text,
        profile_links=text,
        user=user,
    )
    _clean(
        case,
        role,
        person,
        {
            "name": _cut(120),
            "credentials": _cut(120),
            "job_title": _cut(120),
            "specialty": _cut(120),
            "registration": _cut(120),
            "profile_links": _quoted_url,
        },
    )
    person.save()
    return person


def _build_case(case: Case, *, editor) -> None:
    """Topic, bylines and article for one payload, published for real."""
    text = _without_nul(case, "text", case.payload.text)
    number = case.payload.number
    topic = Topic(name=text, slug=f"xss-topic-{number}", description=text)
    _clean(case, "topic", topic, {"name": _cut(100)})
    topic.save()
    case.topic = topic
    case.author = _person(case, "author")
    reviewer_user = UserFactory(
        username=f"xss-reviewer-{number}", groups=[roles.MEDICAL_REVIEWERS]
    )
    case.reviewer = _person(case, "reviewer", user=reviewer_user)

    article = Article(
        title=text,
        slug=case.slug,
        short_answer=text,
        body=text,
        topic=topic,
        author=case.author,
    )
    _clean(case, "article", article, {"body": _refused_text})
    if not render_markdown(article.body).strip():
        # Publishing refuses a body with nothing left to show (the version's
        # body_html may not be blank); keep the payload, add visible text.
        with pytest.raises(ValidationError):
            ArticleVersion._meta.get_field("body_html").clean("", None)
        case.refusals["publish.body_html"] = "The body shows nothing: blank."
        article.body = f"{article.body}\n\nSome visible text."
        if not render_markdown(article.body).strip():
            article.body = _refused_text(article.body)
    article.save()
    faq = FAQ(article=article, position=1, question=text, answer=text)
    _clean(case, "faq", faq, {"question": _cut(300), "answer": _refused_text})
    faq.save()
    FAQ.objects.create(
        article=article,
        position=2,
        question=f"Which case is {case.marker}?",
        answer="The one with this marker.",
    )
    takeaway = KeyTakeaway(article=article, position=1, text=text)
    _clean(case, "takeaway", takeaway, {})
    takeaway.save()
    reference = Reference(article=article, position=1, citation=text, url=text)
    _clean(case, "reference", reference, {"url": _url_stand_in})
    reference.save()
    case.values = {
        "title": article.title,
        "short_answer": article.short_answer,
        "body": article.body,
        "faq_question": faq.question,
        "faq_answer": faq.answer,
        "takeaway": takeaway.text,
        "citation": reference.citation,
        "url": reference.url,
    }

    summary = " ".join(text.split())[: versioning.MAX_CHANGE_SUMMARY]
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, comment=text, change_summary=summary
    )
    workflow.approve_medical_review(article, user=reviewer_user, comment=text)
    workflow.publish(article, user=editor, comment=text)
    article.refresh_from_db()
    case.article = article


def _edit_draft(case: Case, other: Case, *, editor) -> None:
    """Put the next payload's values into the working copy (not published)."""
    article = case.article
    article.title = other.values["title"]
    article.short_answer = other.values["short_answer"]
    article.body = other.values["body"]
    article.save()
    article.faqs.filter(position=1).update(
        question=other.values["faq_question"], answer=other.values["faq_answer"]
    )
    for faq in article.faqs.filter(position=1):
        faq.save()  # renders answer_html
    article.key_takeaways.update(text=other.values["takeaway"])
    article.references.update(
        citation=other.values["citation"], url=other.values["url"]
    )
    case.article = workflow.record_edit(article, user=editor)


@dataclass
class Corpus:
    cases: list[Case]
    harmless: Case
    superuser: object
    build_seconds: float


def _new_case(payload: Payload) -> Case:
    return Case(payload, _marker(payload.number), f"xss-article-{payload.number}")


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """One published article per payload (and one harmless one), built once
    and rolled back when the module's tests are done."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
    ):
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memorydb" in name, f"not a test database: {name}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.perf_counter()
            assert Group.objects.filter(name=roles.EDITORS).exists()
            editor = UserFactory(username="xss-editor", groups=[roles.EDITORS])
            superuser = UserFactory(username="xss-admin", is_superuser=True)
            harmless = _new_case(Payload(0, 0, "harmless", HARMLESS))
            cases = [_new_case(payload) for payload in PAYLOADS]
            # Each publication recomputes the related links and stored pages
            # of every article linking to the new one: with hundreds of
            # articles sharing words ("alert", "img") that is quadratic. Publish
            # first, then compute every article's links and stored page once,
            # as loading a backup does (refresh.everything_changed).
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(refresh, "_relink", lambda changes: changes.published)
                for case in [harmless, *cases]:
                    _build_case(case, editor=editor)
            # Each article picks the next one as a related question, so every
            # payload's question (and first FAQ, in "People also ask") is shown
            # on another article's page.
            RelatedPick.objects.bulk_create(
                RelatedPick(article=case.article, target=other.article)
                for case, other in zip(
                    [harmless, *cases], [*cases, cases[0]], strict=True
                )
            )
            refresh.everything_changed()
            edited = Case(harmless.payload, harmless.marker, harmless.slug)
            edited.values = {
                name: value.replace(HARMLESS, HARMLESS_EDIT)
                for name, value in harmless.values.items()
            }
            _edit_draft(harmless, edited, editor=editor)
            for case, other in zip(cases, cases[1:] + cases[:1], strict=True):
                _edit_draft(case, other, editor=editor)
            yield Corpus(cases, harmless, superuser, time.perf_counter() - started)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def staff_client(corpus, db):
    client = Client()
    client.force_login(corpus.superuser)
    return client


@pytest.fixture
def visitor_client(db):
    return Client()


# Checking outputs ----------------------------------------------------------


def _fetch(client, url, *, method="get", data=None) -> str:
    response = getattr(client, method)(url, data)
    assert response.status_code == 200, f"{url}: status {response.status_code}"
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _check_each(
    client, corpus, url_of, *, expect=None, missing=None, allowed=None
) -> list[str]:
    """Fetch url_of(case) for every payload and for the harmless article;
    returns the problems, each naming the payload and its source. A page
    without expect(case) fails, or is listed in `missing` if given.
    allowed(case) is a Counter of elements the page has by design for that
    content beyond the harmless page's (checked exactly, not ignored)."""
    baseline_html = _fetch(client, url_of(corpus.harmless))
    baseline = signature(baseline_html)
    assert not html_problems(baseline_html, baseline), "the harmless page is unsafe"
    failures = []
    for case in corpus.cases:
        url = url_of(case)
        html = _fetch(client, url)
        if expect is not None and expect(case) not in html:
            assert missing is not None, f"{url} does not show {case.payload}"
            missing.append(case)
        expected = baseline + (allowed(case) if allowed else Counter())
        for problem in html_problems(html, expected):
            failures.append(
                f"{case.payload} [{case.payload.source}] at {url}: {problem}"
            )
    return failures


def _report(failures: list[str]) -> str:
    shown = "\n".join(failures[:40])
    more = f"\n... and {len(failures) - 40} more" if len(failures) > 40 else ""
    return f"{len(failures)} unsafe outputs:\n{shown}{more}"


def _article_url(case):
    return reverse("articles:detail", args=[case.slug])


def test_corpus_file_has_enough_sourced_payloads_that_would_call_a_dialog():
    assert len(PAYLOADS) >= MIN_PAYLOADS
    assert len({p.text for p in PAYLOADS}) == len(PAYLOADS), "duplicate payloads"
    assert all(p.source for p in PAYLOADS), "a payload before any '# source:' line"
    silent = [p for p in PAYLOADS if not any(map(EXECUTES.search, _decodings(p.text)))]
    assert not silent, f"payloads that would not show a dialog: {silent}"
    assert all(len(p.text) <= 200 for p in PAYLOADS), "longer than a question"


def test_checker_finds_script_handlers_urls_and_foreign_elements():
    """The checks below would see an XSS if one got through."""
    page = "<html><head><title>x</title></head><body><p>ok</p></body></html>"
    baseline = signature(page)
    bad = [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        '<script type="application/ld+json">{"a": "<!--<script>"}</script>',
        "<img src=x onerror=alert(1)>",
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        "<iframe src=x></iframe>",
        "<svg><g></g></svg>",
        '<meta http-equiv="refresh" content="0;url=x">',
        '<p style="color:red">x</p>',
        "<form><input></form>",
    ]
    for fragment in bad:
        unsafe = page.replace("<p>ok</p>", fragment)
        assert html_problems(unsafe, baseline), fragment
    escaped = page.replace("<p>ok</p>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert html_problems(escaped, baseline) == []


def test_every_payload_is_stored_or_refused_by_validation(corpus):
    """Refusals are validation errors, as an editor would see them in the admin."""
    assert len(corpus.cases) == len(PAYLOADS)
    for case in corpus.cases:
        assert case.article.is_public() is True, case.payload
        for name, message in case.refusals.items():
            assert message, f"{case.payload}: {name} refused without a message"
    # URL fields take no javascript: address.
    scripted = [c for c in corpus.cases if c.payload.text.startswith("javascript:")]
    assert scripted and all("reference.url" in c.refusals for c in scripted)


def test_article_pages_are_safe_for_visitors(corpus, visitor_client):
    failures = _check_each(
        visitor_client, corpus, _article_url, expect=lambda case: case.marker
    )
    assert not failures, _report(failures)


def test_article_pages_are_safe_for_staff(corpus, staff_client):
    failures = _check_each(
        staff_client, corpus, _article_url, expect=lambda case: case.marker
    )
    assert not failures, _report(failures)


def test_draft_previews_are_safe(corpus, staff_client):
    failures = _check_each(
        staff_client,
        corpus,
        lambda case: _article_url(case) + "?preview=draft",
        expect=lambda case: case.marker,
    )
    assert not failures, _report(failures)


def test_topic_pages_are_safe(corpus, visitor_client):
    failures = _check_each(
        visitor_client,
        corpus,
        lambda case: case.topic.get_absolute_url(),
        expect=_article_url,
    )
    assert not failures, _report(failures)


def test_author_profiles_are_safe(corpus, visitor_client):
    failures = _check_each(
        visitor_client,
        corpus,
        lambda case: case.author.get_absolute_url(),
        expect=_article_url,
    )
    assert not failures, _report(failures)


def test_reviewer_profiles_are_safe(corpus, visitor_client):
    failures = _check_each(
        visitor_client,
        corpus,
        lambda case: case.reviewer.get_absolute_url(),
        expect=_article_url,
    )
    assert not failures, _report(failures)


def test_search_snippets_are_safe(corpus, visitor_client):
    """A search for the article's marker word lists it, with its title and a
    snippet of its short answer and body."""
    missing = []
    failures = _check_each(
        visitor_client,
        corpus,
        lambda case: reverse("articles:search") + f"?q={case.marker}",
        expect=_article_url,
        missing=missing,
    )
    assert not failures, _report(failures)
    # PostgreSQL's text-search parser skips everything after a "<style" or
    # "<script" tag, so a question starting with one hides the marker in the
    # FAQ question: a search-quality problem, not an unsafe page. Their
    # snippets are still read by test_searching_for_a_payload_is_safe.
    hidden = [
        case.payload
        for case in missing
        if connection.vendor != "postgresql"
        or not re.search(r"<(style|script)", case.values["title"], re.IGNORECASE)
    ]
    assert not hidden, f"searching for their marker does not find: {hidden}"


def test_searching_for_a_payload_is_safe(corpus, visitor_client):
    """The query itself is shown in the page (title, box, message)."""
    failures = _check_each(
        visitor_client,
        corpus,
        lambda case: (
            reverse("articles:search")
            + "?"
            + urllib.parse.urlencode({"q": case.payload.text})
        ),
    )
    assert not failures, _report(failures)


def test_home_page_is_safe(corpus, visitor_client, staff_client, monkeypatch):
    monkeypatch.setattr("articles.web.views.RECENT_ARTICLES_ON_HOME", 10_000)
    # The same template with nothing to list: the page's own elements.
    empty = render_to_string(
        "articles/home.html",
        {"topics": [], "recent_versions": []},
        request=RequestFactory().get(reverse("articles:home")),
    )
    for client in (visitor_client, staff_client):
        html = _fetch(client, reverse("articles:home"))
        for case in corpus.cases:
            assert _article_url(case) in html, case.payload
            assert case.topic.get_absolute_url() in html, case.payload
        failures = html_problems(html, signature(empty))
        assert not failures, _report(failures)


def test_feed_is_well_formed_xml_with_text_only_items(
    corpus, visitor_client, monkeypatch
):
    monkeypatch.setattr("articles.web.feeds.ITEMS_IN_FEED", 10_000)
    response = Client(raise_request_exception=False).get(reverse("feed"))
    cannot_hold = [
        case.payload
        for case in corpus.cases
        if XML_ILLEGAL.search(case.values["title"] + case.values["short_answer"])
    ]
    assert response.status_code == 200, (
        f"the feed answers {response.status_code}; these published questions or "
        f"short answers hold characters XML 1.0 cannot carry: {cannot_hold}"
    )
    channel = ET.fromstring(response.content).find("channel")
    items = {item.findtext("link"): item for item in channel.iter("item")}
    failures = []
    for case in [corpus.harmless, *corpus.cases]:
        item = items.get("http://testserver" + _article_url(case))
        assert item is not None, f"{case.payload} is not in the feed"
        for part in ("title", "description"):
            html = item.findtext(part)
            # Readers show these as HTML: it must be text without any element.
            reader = _PageReader(html)
            reader.feed(html)
            reader.close()
            problems = html_problems(html) + [
                f"element {what}" for what in reader.signature
            ]
            if re.search(r"<[a-z!/?]", html, re.IGNORECASE):
                problems.append(f"markup in the {part}: {html[:200]!r}")
            failures += [f"{case.payload} feed {part}: {p}" for p in problems]
    assert not failures, _report(failures)


def test_sitemaps_are_well_formed_and_list_every_article(corpus, visitor_client):
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring(_fetch(visitor_client, reverse("sitemap")))
    sections = [loc.text for loc in index.iter(f"{namespace}loc")]
    assert len(sections) == 3
    locations = set()
    for section in sections:
        assert section.startswith("http://testserver/sitemap-")
        urlset = ET.fromstring(_fetch(visitor_client, section))
        locations |= {loc.text for loc in urlset.iter(f"{namespace}loc")}
    assert all(loc.startswith("http://testserver/") for loc in locations)
    for case in corpus.cases:
        assert "http://testserver" + _article_url(case) in locations
        assert "http://testserver" + case.topic.get_absolute_url() in locations


def test_admin_article_change_list_is_safe(corpus, staff_client, monkeypatch):
    monkeypatch.setattr(admin.site.get_model_admin(Article), "list_per_page", 10_000)
    url = reverse("admin:articles_article_changelist")
    html = _fetch(staff_client, url)
    for case in corpus.cases:
        change_url = reverse("admin:articles_article_change", args=[case.article.pk])
        assert change_url in html, case.payload
    # Same page, searched down to the harmless article: the admin's own markup.
    baseline = signature(_fetch(staff_client, url + f"?q={corpus.harmless.slug}"))
    failures = html_problems(html, baseline, per_row=ROW_ELEMENTS)
    assert not failures, _report(failures)


@pytest.mark.parametrize("model", [Person, Topic])
def test_admin_person_and_topic_lists_are_safe(
    corpus, staff_client, monkeypatch, model
):
    monkeypatch.setattr(admin.site.get_model_admin(model), "list_per_page", 10_000)
    url = reverse(f"admin:articles_{model._meta.model_name}_changelist")
    html = _fetch(staff_client, url)
    baseline = signature(_fetch(staff_client, url + "?q=harmless-baseline-none"))
    failures = html_problems(html, baseline, per_row=ROW_ELEMENTS)
    assert not failures, _report(failures)


def test_admin_change_forms_are_safe(corpus, staff_client):
    failures = _check_each(
        staff_client,
        corpus,
        lambda case: reverse("admin:articles_article_change", args=[case.article.pk]),
        expect=lambda case: case.marker,
    )
    assert not failures, _report(failures)


def _comment_parts(article) -> int:
    return len(comments.parts_of(article.approval_content()))


def test_admin_review_diffs_are_safe(corpus, staff_client):
    # The comment form offers one <option> per part of the text (each body
    # section is one): a payload with a heading has one more, and no other.
    harmless_parts = _comment_parts(corpus.harmless.article)
    failures = _check_each(
        staff_client,
        corpus,
        lambda case: reverse("admin:articles_article_review", args=[case.article.pk]),
        expect=lambda case: "<del>",
        allowed=lambda case: Counter(
            {"<option>": max(0, _comment_parts(case.article) - harmless_parts)}
        ),
    )
    assert not failures, _report(failures)


def test_admin_version_pages_are_safe(corpus, staff_client):
    failures = _check_each(
        staff_client,
        corpus,
        lambda case: reverse(
            "admin:articles_article_version", args=[case.article.pk, 1]
        ),
        expect=lambda case: case.marker,
    )
    assert not failures, _report(failures)


def test_admin_person_and_topic_forms_are_safe(corpus, staff_client):
    for model, attribute in ((Person, "author"), (Topic, "topic")):
        name = model._meta.model_name
        failures = _check_each(
            staff_client,
            corpus,
            lambda case, name=name, attribute=attribute: reverse(
                f"admin:articles_{name}_change",
                args=[getattr(case, attribute).pk],
            ),
        )
        assert not failures, _report(failures)


def test_markdown_preview_is_safe(corpus, staff_client):
    url = reverse("markdown_preview")
    failures = []
    for case in corpus.cases:
        html = _fetch(
            staff_client, url, method="post", data={"content": case.payload.text}
        )
        for problem in html_problems(html):
            failures.append(
                f"{case.payload} [{case.payload.source}] preview: {problem}"
            )
    assert not failures, _report(failures)
