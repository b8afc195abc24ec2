"""Inline citations: ``[1]``, ``[1, 3]`` or ``[2-4]`` in the body or an FAQ
answer point at the article's numbered references.

Numbers, not Markdown footnotes: a health article cites the numbered list under
it (Vancouver style, as medical journals and health publishers print it), and
a footnote would put a second, unstructured copy of the source in the text.
The number is the reference's place in the list the page shows.

CitationExtension renders each number as a link to ``#ref-N`` with an id the
reference list links back to (``cite-N-K``: the K-th citation of N in this
text; an FAQ answer's ids start with ``faq-M-``). Those ids carry a secret
per-render prefix until the sanitiser's attribute_filter strips it, so an id
typed in raw HTML never passes. A ``[1]`` inside code, or in a link whose
label the editor defined (``[text][1]`` with ``[1]: https://...``), is left alone.

citation_problems() is the one check: a citation of a reference that does not
exist refuses the save; a reference nothing cites is advice.
"""

import re
import secrets
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from articles.text.callouts import CalloutExtension
from articles.text.converter import markdown_converter

# After Python-Markdown's links and short references (130), so a "[1]" that
# is a defined link label stays a link, and after raw inline HTML is set aside
# (90), so a "[1]" inside an HTML attribute stays text.
CITATION_PRIORITY = 85
CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]")
PART = re.compile(r"(\d+)\s*[\u2013-]\s*(\d+)|(\d+)")
# The most numbers one range may stand for ("[1-500]" is a typo, not a citation).
MAX_RANGE = 20
# A citation link as the renderer makes it (the sanitiser keeps an id on a
# link only if this renderer made it, and escapes "<" in text).
CITATION_ID = re.compile(r'<a href="#ref-\d+" id="((?:faq-\d+-)?cite-(\d+)-\d+)"')


def cited_numbers(label: str) -> list[int]:
    """The reference numbers "1, 3" or "2-4" stands for, in order."""
    numbers = []
    for match in PART.finditer(label):
        if match[3]:
            numbers.append(int(match[3]))
            continue
        first, last = int(match[1]), int(match[2])
        if first <= last <= first + MAX_RANGE:
            numbers.extend(range(first, last + 1))
        else:
            numbers.extend([first, last])
    return numbers


class CitationProcessor(InlineProcessor):
    def __init__(self, extension: "CitationExtension"):
        super().__init__(CITATION.pattern)
        self.extension = extension

    def handleMatch(self, m, data):
        before = data[m.start() - 1] if m.start() else ""
        after = data[m.end()] if m.end() < len(data) else ""
        # Links ([text][1], [1](...)) were made before this runs: what is left
        # is text, so "[1][2]" cites twice; only an image's "![" is not ours.
        if before == "!" or after == "(":
            return None, None, None
        sup = etree.Element("sup")
        sup.text = "["
        link = None
        for piece in re.split(r"(\s*[,\u2013-]\s*)", m[1]):
            if not piece.strip(" ,\u2013-"):
                if link is not None:
                    link.tail = piece.strip().replace("-", "\u2013") + (
                        " " if "," in piece else ""
                    )
                continue
            link = self.extension.link(sup, int(piece))
        link.tail = (link.tail or "") + "]"
        self.extension.found.append(cited_numbers(m[1]))
        return sup, m.start(), m.end()


class CitationExtension(Extension):
    """The citations of one render; `prefix` starts their ids ("cite", or
    "faq-2-cite" for the second FAQ's answer)."""

    def __init__(self, prefix: str = "cite", **kwargs):
        self.prefix = prefix
        self.token = f"k{secrets.token_hex(8)}-"
        self.found: list[list[int]] = []
        self.seen: dict[int, int] = {}
        super().__init__(**kwargs)

    def link(self, parent, number: int):
        self.seen[number] = self.seen.get(number, 0) + 1
        link = etree.SubElement(parent, "a")
        link.set("href", f"#ref-{number}")
        link.set("id", f"{self.token}{self.prefix}-{number}-{self.seen[number]}")
        link.set("title", f"Reference {number}")
        link.text = str(number)
        return link

    def extendMarkdown(self, md) -> None:
        md.inlinePatterns.register(
            CitationProcessor(self), "citation", CITATION_PRIORITY
        )

    def attribute_filter(self, tag: str, attribute: str, value: str) -> str | None:
        """For nh3: keep a link's id only if this render generated it."""
        if attribute != "id" or tag != "a":
            return value
        return value.removeprefix(self.token) if value.startswith(self.token) else None


def citations_in(text: str) -> list[int]:
    """Every reference number `text` cites, in order (repeats kept)."""
    if "[" not in (text or ""):
        return []
    citations = CitationExtension()
    # Parsed as the page renders it: a "[1]" in a care card's heading is text.
    markdown_converter(CalloutExtension(), citations).convert(text)
    return [number for numbers in citations.found for number in numbers]


def backlinks(htmls: list[str]) -> dict[int, list[str]]:
    """For each reference number, the ids of the citations in these rendered
    texts (body first, then FAQ answers), in page order."""
    links: dict[int, list[str]] = {}
    for html in htmls:
        for match in CITATION_ID.finditer(html or ""):
            links.setdefault(int(match[2]), []).append(match[1])
    return links


@dataclass
class CitationReport:
    refusals: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)


def citation_problems(
    texts: list[tuple[str, str]], reference_count: int
) -> CitationReport:
    """Check the citations of `texts` ((where, Markdown) pairs, such as
    ("Body", ...), ("FAQ 2 answer", ...)) against `reference_count` references."""
    report = CitationReport()
    cited: set[int] = set()
    for where, text in texts:
        numbers = citations_in(text)
        cited.update(numbers)
        missing = sorted({n for n in numbers if not 1 <= n <= reference_count})
        if missing:
            listed = ", ".join(f"[{n}]" for n in missing)
            has = {0: "there are no references", 1: "there is only 1 reference"}.get(
                reference_count, f"there are only {reference_count} references"
            )
            report.refusals.append(
                f"{where} cites {listed}, but {has}. Add the reference, correct the "
                "number, or write \\[ for a bracket that is not a citation."
            )
    uncited = [n for n in range(1, reference_count + 1) if n not in cited]
    if uncited:
        names = ", ".join(str(n) for n in uncited)
        report.advice.append(
            f"{'Reference' if len(uncited) == 1 else 'References'} {names} "
            f"{'is' if len(uncited) == 1 else 'are'} not cited in the body or an "
            f"FAQ answer: cite each as [{uncited[0]}] where the text relies on it, "
            "or remove it."
        )
    return report


def citations_of(content: dict) -> CitationReport:
    """citation_problems() for an article's content (Article.content() shape):
    its body and FAQ answers against its references."""
    texts = [("The body", content.get("body", ""))] + [
        (f"FAQ {n} answer", faq["answer"])
        for n, faq in enumerate(content.get("faqs") or [], 1)
    ]
    return citation_problems(texts, len(content.get("references") or []))
