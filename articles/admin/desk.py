"""The dashboard's building blocks: a section of rows, each an article link
with what the section says about it (articles/admin/dashboard.py fills them)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Row:
    """One article in a section: a link, then what the section says about it."""

    title: str
    url: str
    detail: str
    when: datetime.datetime | datetime.date | None
    when_text: str
    note: str = ""
    cancel_url: str = ""  # a scheduled change's one-click "Cancel"

    @property
    def when_iso(self) -> str:
        """`when` for <time datetime>: whole seconds, as HTML allows."""
        if isinstance(self.when, datetime.datetime):
            return timezone.localtime(self.when).isoformat(timespec="seconds")
        return self.when.isoformat() if self.when else ""


@dataclass(frozen=True)
class Section:
    """A heading with its count, up to LIMIT rows, the words for an empty
    list, and the article list with the same filter, where there is one."""

    slug: str
    title: str
    headings: tuple[str, ...]  # for Row.detail, Row.when and (if any) Row.note
    rows: list[Row]
    count: int
    empty: str
    see_all_url: str = ""
    see_all_text: str = ""

    @property
    def has_more(self) -> bool:
        return self.count > len(self.rows)
