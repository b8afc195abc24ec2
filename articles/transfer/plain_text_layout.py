"""The layout of a plain-text export: lines to paragraphs, list items and tables.

Word processors and old CMSs hard-wrap paragraphs, start list items with "1." or
"•" and line tables up with spaces or tabs. read_parts undoes that, block by
block, for articles/transfer/plain_text.py, which then decides what each part
means (title, headings, takeaways, FAQs). Standard library only.
"""

import re
from dataclasses import dataclass, field
from itertools import groupby

# More rows than this is prose, not a table; the cap also keeps scanning linear.
MAX_TABLE_ROWS = 100

_BULLET = re.compile(r"\s*[•●▪◦·*–—-]\s+(?P<text>\S.*)")
_NUMBERED = re.compile(r"\s*(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)")
_COLUMN_GAP = re.compile(r"\t+|\s{2,}")
_CLOSING_PUNCTUATION = ".:;,!"
# A count or measure: the column that splits "Study name 1,000+ Finding text".
_NUMBER = re.compile(r"[~<>≈±]?[$€£]?\d[\d,.]*(?:[%+]|[-–]\d[\d,.]*%?)?")


@dataclass
class Part:
    """One paragraph, list item or table of the text, in reading order."""

    kind: str  # "text", "heading", "bullet", "numbered" or "table"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    number: int = 1
    plain: bool = False  # lines of a rejected table: never a heading


def squash(text: str) -> str:
    """The words of ``text`` with single spaces between them."""
    return " ".join(text.split())


def _item(line: str) -> Part | None:
    """A bullet or numbered list item, or None."""
    if match := _NUMBERED.fullmatch(line):
        return Part("numbered", squash(match["text"]), number=int(match["number"]))
    if match := _BULLET.fullmatch(line):
        return Part("bullet", squash(match["text"]))
    return None


def read_parts(lines: list[str], warnings: list[str]) -> list[Part]:
    """Lines to paragraphs, list items and tables, in order."""
    width = _wrap_width(lines)
    parts: list[Part] = []
    for block in _blocks(lines):
        i = plain_until = 0
        while i < len(block):
            part = _item(block[i])
            if part is None and i >= plain_until:
                rows, plain_until = _table_at(block, i, warnings)
                if rows:
                    parts.append(Part("table", rows=rows))
                    i = plain_until
                    continue
            start, i = i, i + 1
            while i < len(block) and _continues(block[i - 1], block[i], width):
                i += 1
            if part is None:
                text = squash(" ".join(block[start:i]))
                part = Part("text", text, plain=start < plain_until)
            elif i > start + 1:
                part.text = squash(" ".join([part.text, *block[start + 1 : i]]))
            parts.append(part)
    return parts


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines: a blank line always ends a paragraph or table."""
    return [list(run) for filled, run in groupby(lines, key=bool) if filled]


def _wrap_width(lines: list[str]) -> int:
    """The width the file hard-wraps paragraphs at, or 0 when a line is a paragraph.

    The seeds put each paragraph on one line, even with no blank line between
    paragraphs; word processors wrap at a fixed width and break mid-sentence.
    """
    width = max(map(len, lines), default=0)
    if not 40 <= width <= 100:
        return 0
    pairs = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if a and b]
    mid_sentence = [(a, b) for a, b in pairs if a[-1] not in ".!?:;" and not _item(b)]
    breaks = sum(_continues(a, b, width) for a, b in mid_sentence)
    # Headings and table rows also end mid-sentence, but well short of the width.
    return width if breaks >= 2 and 3 * breaks >= len(mid_sentence) else 0


def _continues(line: str, following: str, width: int) -> bool:
    """Greedy wrapping breaks a line only when the next word would not fit on it."""
    if not width or _item(following):
        return False
    return len(line) + 1 + len(following.split()[0]) > width


def _table_at(block: list[str], i: int, warnings: list[str]) -> tuple[list | None, int]:
    """The table whose header is block[i], and the index after the lines examined.

    A table runs to the end of its block; it is accepted only when every row has
    the header's column count, so prose is never cut into cells by accident.
    """
    end = i + 1
    while end < len(block) and end - i <= MAX_TABLE_ROWS and not _item(block[end]):
        end += 1
    if end - i > MAX_TABLE_ROWS:
        return None, i
    lines = [line.strip() for line in block[i:end]]
    spaced = bool(_COLUMN_GAP.search(lines[0]))
    header = _COLUMN_GAP.split(lines[0]) if spaced else lines[0].split()
    looks_like_header = (
        len(lines) >= (2 if spaced else 3)
        and 2 <= len(header) <= (8 if spaced else 6)
        and len(lines[0]) <= 120
        and all(
            len(c) <= 40 and c[-1] not in _CLOSING_PUNCTUATION + "?" for c in header
        )
        and (spaced or all(c[0].isupper() or c[0].isdigit() for c in header))
    )
    if not looks_like_header:
        return None, i
    split = _COLUMN_GAP.split if spaced else _inferred_cells
    rows = [header] + [split(line) for line in lines[1:]]
    bad = [(n, len(r)) for n, r in enumerate(rows[1:], 2) if len(r) != len(header)]
    if not bad:
        return rows, end
    if 2 * len(bad) > len(rows) - 1:
        return None, i  # mostly not rows: prose after a short line
    row, columns = bad[0]
    warnings.append(
        f"Table row {row} has {columns} columns, expected {len(header)}: "
        f"kept the table starting “{lines[0]}” as paragraphs."
    )
    return None, end


def _inferred_cells(line: str) -> list[str]:
    """Cells of a single-space row: a number token stands between text columns."""
    cells: list[str] = []
    words: list[str] = []
    for word in line.split():
        if _NUMBER.fullmatch(word):
            cells += [" ".join(words), word] if words else [word]
            words = []
        else:
            words.append(word)
    return cells + ([" ".join(words)] if words else [])
