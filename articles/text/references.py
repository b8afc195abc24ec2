"""A reference as versions store it, and as the page, the feed and the
structured data show it.

The stored shape always has "citation" and "url" (what references were before
they had parts, so older versions and their fingerprints read the same) and,
besides, only the parts that are filled in. shown_reference() turns either
shape into what a reader sees: the parts in Vancouver order ("Authors. Title.
Journal; Year."), or the citation as written, and the canonical links.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format

from articles.text.identifiers import doi_url, pmid_url

REFERENCE_FIELDS = [
    "kind", "authors", "title", "publisher", "year", "doi", "pmid", "url",
    "accessed_on", "citation",
]  # fmt: skip
ALWAYS_STORED = ("citation", "url")


def reference_content(values: dict) -> dict:
    """`values` (a Reference's fields) in the stored shape: dates as ISO text,
    empty parts left out."""
    content = {}
    for name in REFERENCE_FIELDS:
        value = values.get(name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if name in ALWAYS_STORED:
            content[name] = value or ""
        elif value not in ("", None):
            content[name] = value
    return content


@dataclass
class ShownReference:
    number: int
    text: str
    kind: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, address)
    backlinks: list[str] = field(default_factory=list)  # citation ids on the page
    accessed: str = ""

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    @property
    def main_url(self) -> str:
        return self.links[0][1] if self.links else ""


def reference_text(reference: dict) -> str:
    """The words of a citation: its parts in Vancouver order, else as written."""
    if not reference.get("title"):
        return reference.get("citation", "")
    pieces = [reference.get("authors", ""), reference["title"]]
    source = reference.get("publisher", "")
    if reference.get("year"):
        source = f"{source}; {reference['year']}" if source else str(reference["year"])
    pieces.append(source)
    return " ".join(
        piece if piece.endswith((".", "?", "!")) else f"{piece}."
        for piece in (p.strip() for p in pieces)
        if piece
    )


def shown_reference(
    number: int, reference: dict, backlinks: list[str] | None = None
) -> ShownReference:
    links = []
    if reference.get("url"):
        links.append((reference["url"], reference["url"]))
    if reference.get("doi"):
        links.append((f"doi:{reference['doi']}", doi_url(reference["doi"])))
    if reference.get("pmid"):
        links.append((f"PMID: {reference['pmid']}", pmid_url(reference["pmid"])))
    accessed = ""
    if reference.get("accessed_on"):
        day = datetime.date.fromisoformat(reference["accessed_on"])
        accessed = date_format(day, "j F Y")
    return ShownReference(
        number=number,
        text=reference_text(reference),
        kind=reference.get("kind", ""),
        links=links,
        backlinks=backlinks or [],
        accessed=accessed,
    )
