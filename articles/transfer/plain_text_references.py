"""The references section of a plain-text export, as structured references.

A section headed "References", "Sources", "Bibliography" (and a few more) lists
the sources, numbered ("1.", "1)", "[1]", "(1)"), bulleted ("•", "-", "*") or one a
paragraph, each perhaps wrapped over several lines. take_references() lifts it
out of the lines before plain_text_layout.py reads them, and turns each entry
into the shape Reference.as_content() stores: the citation as written, less its
links, and the URL, DOI and PMID those links were. The parts (authors, title,
year) are never guessed: the editor splits them, if wanted, in the admin.

The lines are read here rather than as layout parts because a "[1]" entry, or a
wrapped one, is a paragraph to the layout, and the body's own lists must not
change for it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.text.identifiers import (
    DOI_IN_TEXT,
    PMID_IN_TEXT,
    find_doi,
    parse_doi,
    parse_pmid,
)
from articles.text.references import reference_content
from articles.transfer.plain_text_layout import squash

MAX_CITATION_CHARS = 500  # Reference.citation's max_length
MAX_URL_CHARS = 500  # Reference.url's max_length

HEADING = re.compile(
    r"(?:references?(?:\s+(?:list|and\s+sources|and\s+further\s+reading))?"
    r"|sources?(?:\s+and\s+references)?|bibliography|works\s+cited"
    r"|literature\s+cited|cited\s+(?:works|sources|literature)|citations)\s*:?",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"\s*(?:[\[(](?P<bracketed>\d{1,3})[\])]|(?P<number>\d{1,3})[.)](?=\s|$)"
    r"|[•●▪◦·*–—-](?=\s))\s*(?P<text>.*)"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
# The words that introduce a link ("Available at:", "doi:", "PubMed PMID:").
_LINK_LABEL = re.compile(
    r"(?:\b(?:available|accessible)\s+(?:online\s+)?(?:at|from|online)"
    r"|\bretrieved\s+from|\burl|\bdoi|\bpmid|\bpubmed(?:\s+pmid)?)\s*[:.\-–]?\s*$",
    re.IGNORECASE,
)
_BRACKETS = {"(": ")", "<": ">", "[": "]"}
_URL_TRAILING = ".,;:!?'\"”’»"
_valid_url = URLValidator(schemes=["http", "https"])


@dataclass
class Entry:
    """One source as the file lists it."""

    number: int | None  # as the file numbers it; None when bulleted or plain
    marked: bool  # started with a number or a bullet
    lines: list[str] = field(default_factory=list)
    filled: bool = False  # has words, not only its number
    linked: bool = False  # a line of it has a URL, DOI or PMID

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.filled = self.filled or bool(line.strip())
        self.linked = self.linked or _has_link(line)

    @property
    def text(self) -> str:
        return squash(" ".join(self.lines))


@dataclass
class ReferencesSection:
    references: list[dict]  # in the Reference.as_content() shape, in order
    # Each entry's number (as the file numbers them, else its place in the
    # list) to its place among the imported references; None: left out.
    places: dict[int, int | None]


def take_references(
    lines: list[str], warnings: list[str], *, ends_section: Callable[[str], bool]
) -> tuple[list[str], ReferencesSection | None]:
    """The lines without their references section(s), and what those listed
    (None when there is none). `ends_section` says which lines start another
    special section (Key Takeaways, FAQs, Conclusion)."""
    kept: list[str] = []
    entries: list[Entry] = []
    numbers: list[int] = []
    i = 0
    while i < len(lines):
        if not HEADING.fullmatch(squash(lines[i])):
            kept.append(lines[i])
            i += 1
            continue
        end = _section_end(lines, i + 1, ends_section)
        found = _entries(lines[i + 1 : end])
        if not _is_reference_list(found):
            kept.append(lines[i])  # a "Sources" section of prose stays body
            i += 1
            continue
        numbered = all(entry.number is not None for entry in found)
        for place, entry in enumerate(found, start=len(entries) + 1):
            numbers.append(entry.number if numbered else place)
        entries += found
        kept.append("")  # a paragraph break where the section was
        i = end
    if not entries:
        return lines, None
    references: list[dict] = []
    places: dict[int, int | None] = {}
    for place, (number, entry) in enumerate(zip(numbers, entries, strict=True), 1):
        reference = _reference(entry.text, place, len(references) + 1, warnings)
        if reference is not None:
            references.append(reference)
        places.setdefault(number, len(references) if reference else None)
    return kept, ReferencesSection(references=references, places=places)


def citation_warnings(cited: list[int], section: ReferencesSection | None) -> list[str]:
    """Citations in the text that will not point at the source the text meant."""
    numbers = sorted(set(cited))
    if not numbers:
        return []
    if section is None:
        return [
            f"The text cites {_listed(numbers)} but has no references section: "
            "the draft keeps the references it has; add or check them by hand."
        ]
    warnings = []
    missing = [n for n in numbers if n not in section.places]
    if missing:
        warnings.append(
            f"The text cites {_listed(missing)}, but the references section has "
            f"no {'entry' if len(missing) == 1 else 'entries'} with "
            f"{'that number' if len(missing) == 1 else 'those numbers'}: add the "
            "reference or correct the citation."
        )
    moved = []
    for n in numbers:
        place = section.places.get(n, n)
        if place != n:
            moved.append(f"[{n}] ({f'now reference {place}' if place else 'left out'})")
    if moved:
        one = len(moved) == 1
        warnings.append(
            f"Check the {'citation' if one else 'citations'} {', '.join(moved)}: "
            "the imported references are numbered from 1 in the order listed, "
            "without the sources left out, so "
            f"{'it no longer points' if one else 'these no longer point'} at the "
            "source the text meant."
        )
    return warnings


def _listed(numbers: list[int]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def _section_end(lines: list[str], start: int, ends_section) -> int:
    """Where the section stops: at another special section's heading, or at a
    heading of the body (a short line alone, with text after it)."""
    seen_entry = False
    for j in range(start, len(lines)):
        line = lines[j]
        if not line.strip():
            continue
        if ends_section(line) or HEADING.fullmatch(squash(line)):
            return j  # another special section, or the next references one
        alone = not lines[j - 1].strip() and (
            j + 1 == len(lines) or not lines[j + 1].strip()
        )
        if seen_entry and alone and _heading_like(line):
            if any(lines[k].strip() for k in range(j + 1, len(lines))):
                return j
        seen_entry = True
    return len(lines)


def _heading_like(line: str) -> bool:
    text = squash(line)
    return (
        not _MARKER.fullmatch(line)
        and not _has_link(text)
        and len(text) <= 80
        and len(text.split()) <= 12
        and text[0].isupper()
        and text[-1] not in ".:;,!"
    )


def _entries(lines: list[str]) -> list[Entry]:
    """Lines to entries. A number or bullet starts one, and the lines right
    after it continue it. Without a marker, a line after a blank line starts
    one; the next line continues it when indented or while it has no link yet
    (one source a line, each with its link, is the common unmarked shape)."""
    entries: list[Entry] = []
    after_blank = True
    for line in lines:
        if not line.strip():
            after_blank = True
            continue
        current = entries[-1] if entries else None
        if match := _MARKER.fullmatch(line):
            number = match["number"] or match["bracketed"]
            current = Entry(int(number) if number else None, marked=True)
            entries.append(current)
            line = match["text"]
        elif not _continues(current, line, after_blank):
            current = Entry(None, marked=False)
            entries.append(current)
        current.add(line)
        after_blank = False
    return [entry for entry in entries if entry.filled]


def _continues(entry: Entry | None, line: str, after_blank: bool) -> bool:
    """Whether a line without a marker belongs to the entry before it."""
    if entry is None:
        return False
    if not entry.filled:
        return True  # the number was alone on its line
    return not after_blank and (entry.marked or line[0].isspace() or not entry.linked)


def _is_reference_list(entries: list[Entry]) -> bool:
    """Sources, rather than a section that happens to be called so (prose, or
    a list of foods that are "sources" of a vitamin): at least one entry links."""
    return any(entry.linked for entry in entries)


def _has_link(text: str) -> bool:
    found = _links(text)
    return bool(found["url"] or found["doi"] or found["pmid"])


def _reference(text: str, place: int, number: int, warnings: list[str]) -> dict | None:
    """The entry as a reference, or None (with a warning) when it cannot be one."""
    found = _links(text)
    if not (found["url"] or found["doi"] or found["pmid"]):
        warnings.append(
            f"Left out source {place} of the references, which has no web "
            "address, DOI or PMID that can be saved. Add it by hand, with a link, "
            f"as reference {place}: “{text}”"
        )
        return None
    citation = found["citation"]
    if not citation:
        citation = text.strip(" <>()[].")
        warnings.append(
            f"Reference {number} is only a link ({text}): give its title by hand."
        )
    if len(citation) > MAX_CITATION_CHARS:
        warnings.append(
            f"Left out source {place} of the references: at {len(citation):,} "
            "characters it is too long for one reference (the limit is "
            f"{MAX_CITATION_CHARS}). Add it by hand, in parts, as reference "
            f"{place}: “{text}”"
        )
        return None
    if found["other_urls"]:
        warnings.append(
            f"Reference {number} has more than one web address: its link is "
            f"{found['url']}, the others stay in its text."
        )
    return reference_content({**found, "citation": citation})


def _links(text: str) -> dict:
    """The URL, DOI and PMID written in `text` (the first of each), and the
    text without them; further web addresses stay in the text."""
    found = {"url": "", "doi": "", "pmid": "", "other_urls": []}
    taken = []
    for match in _URL.finditer(text):
        link = _trimmed_url(match[0])
        kind, value = _link_kind(link)
        if kind == "url" and found["url"]:
            found["other_urls"].append(value)
        elif kind and not found[kind]:
            found[kind] = value
            taken.append((match.start(), match.start() + len(link)))
    for start, end in reversed(taken):
        text = _without(text, start, end)
    if not found["doi"] and (match := DOI_IN_TEXT.search(text)):
        doi = find_doi(match[0])
        try:
            found["doi"] = parse_doi(doi)
        except ValueError:
            pass
        else:
            text = _without(text, match.start(), match.start("doi") + len(doi))
    if not found["pmid"] and (match := PMID_IN_TEXT.search(text)):
        found["pmid"] = match["pmid"]
        text = _without(text, match.start(), match.end())
    return {**found, "citation": _tidy(text)}


def _trimmed_url(link: str) -> str:
    """A link less the punctuation that ends the sentence around it."""
    while link:
        if link[-1] in _URL_TRAILING:
            link = link[:-1]
        elif link[-1] in ")]" and link.count(link[-1]) > link.count(
            "(" if link[-1] == ")" else "["
        ):
            link = link[:-1]
        else:
            break
    return link


def _link_kind(link: str) -> tuple[str, str]:
    """("doi" | "pmid" | "url", value) for a link, or ("", "") if unusable."""
    for kind, parse in (("doi", parse_doi), ("pmid", parse_pmid)):
        try:
            return kind, parse(link)
        except ValueError:
            pass
    url = link if "://" in link else f"https://{link}"
    try:
        _valid_url(url)
    except ValidationError:
        return "", ""
    return ("url", url) if len(url) <= MAX_URL_CHARS else ("", "")


def _without(text: str, start: int, end: int) -> str:
    """`text` less text[start:end], the brackets around it and its label."""
    before, after = text[:start], text[end:]
    if before[-1:] in _BRACKETS and after[:1] == _BRACKETS[before[-1]]:
        before, after = before[:-1], after[1:]
    before = _LINK_LABEL.sub("", before)
    return f"{before.rstrip()} {after.lstrip()}"


def _tidy(text: str) -> str:
    """The citation's words, without the punctuation a removed link left."""
    text = squash(text)
    text = re.sub(r"\(\s*[.,;:]?\s*\)|\[\s*\]|<\s*>", "", text)
    text = re.sub(r"\s+([.,;:)\]])", r"\1", text)
    text = re.sub(
        r"[.,;:](?:\s*[.,;:])+",
        lambda m: "." if "." in m[0] else m[0][0],
        text,
    )
    text = _LINK_LABEL.sub("", text)
    return squash(text).lstrip(" .,;:)]–—-").rstrip(" ,;:([–—-")
