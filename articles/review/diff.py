"""Field-by-field diff of an article's live version against its draft.

A medical reviewer approves the draft by reading this diff, so every change must
be visible, and the changes that flip medical meaning (a dose number, an added or
dropped "not") must be impossible to miss. The output is an HTML fragment where
all text is escaped and the only tags are <del> and <ins>, so a template may mark
it safe. Pure Python on plain dicts, so it is tested without a database.
"""

import difflib
import html
import re
from collections import Counter
from dataclasses import dataclass

from articles.text.figures import file_url
from articles.text.newlines import normalise_newlines
from articles.text.references import shown_reference

# A number keeps its decimals, thousands separators, ranges and units in one
# token (2.5, 1,000+, 120/80, 2-3, 6g, 50%), so "2" -> "20" is a single change.
_NUMBER = r"\d+(?:[.,]\d+)*(?:[/–-]\d+(?:[.,]\d+)*)*(?:%|\+|[^\W\d_]+)?"
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_TOKEN = re.compile(rf"{_NUMBER}|{_WORD}|\r?\n|[^\S\r\n]+|.", re.DOTALL)
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
# A word diff costs up to len(old) * len(new) steps; a block of changed lines
# bigger than this (about 1,000 changed words a side) is shown whole instead.
_MAX_WORD_PAIRS = 4_000_000
# Unchanged lines shown around each change; longer unchanged stretches are folded.
CONTEXT_LINES = 3

NEGATIONS = frozenset(
    {
        "not", "no", "never", "none", "nor", "neither", "cannot", "can't",
        "don't", "doesn't", "isn't", "aren't", "won't", "shouldn't", "mustn't",
        "without", "avoid",
    }
)  # fmt: skip


@dataclass(frozen=True)
class FieldDiff:
    label: str
    changed: bool
    html: str
    flips: tuple[str, ...]


def _is_number(token: str) -> bool:
    return token[:1].isdecimal()


def _negation(token: str) -> str | None:
    """The negation word in lower case with a straight apostrophe, or None."""
    word = token.lower().replace("’", "'")
    return word if word in NEGATIONS else None


def _is_flip(token: str) -> bool:
    return _is_number(token) or _negation(token) is not None


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes with changes only a space apart joined into one, so a rewritten
    phrase reads as <del>old phrase</del><ins>new phrase</ins>, not word by word.
    Changes on different lines stay apart, so list items diff line by line."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    merged: list[tuple[str, int, int, int, int]] = []
    for op in matcher.get_opcodes():
        if (
            op[0] != "equal"
            and len(merged) >= 2
            and merged[-1][0] == "equal"
            and merged[-2][0] != "equal"
            and all(
                t.isspace() and "\n" not in t
                for t in old[merged[-1][1] : merged[-1][2]]
            )
        ):
            merged[-2:] = [("replace", merged[-2][1], op[2], merged[-2][3], op[4])]
        else:
            merged.append(op)
    return merged


def _minus(items: list[str], other: list[str]) -> list[str]:
    """Items not matched one-for-one in other, in order (a multiset difference)."""
    left = Counter(other)
    out = []
    for item in items:
        if left[item]:
            left[item] -= 1
        else:
            out.append(item)
    return out


def _flip_notes(old: list[str], new: list[str]) -> list[str]:
    old_nums = [t for t in old if _is_number(t)]
    new_nums = [t for t in new if _is_number(t)]
    removed, added = _minus(old_nums, new_nums), _minus(new_nums, old_nums)
    notes = [f"number {a} → {b}" for a, b in zip(removed, added, strict=False)]
    notes += [f"number removed: {n}" for n in removed[len(added) :]]
    notes += [f"number added: {n}" for n in added[len(removed) :]]
    old_negs = [n for n in map(_negation, old) if n]
    new_negs = [n for n in map(_negation, new) if n]
    notes += [f'negation removed: "{n}"' for n in _minus(old_negs, new_negs)]
    notes += [f'negation added: "{n}"' for n in _minus(new_negs, old_negs)]
    return notes


def _wrap(tag: str, tokens: list[str]) -> str:
    if not tokens:
        return ""
    css = ' class="flip"' if any(map(_is_flip, tokens)) else ""
    return f"<{tag}{css}>{html.escape(''.join(tokens))}</{tag}>"


def _diff_words(old: str, new: str, parts: list[str], notes: list[str]) -> None:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) * len(b) <= _MAX_WORD_PAIRS:
        ops = _opcodes(a, b)
    else:
        ops = [("replace", 0, len(a), 0, len(b))]
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            parts.append(html.escape("".join(a[i1:i2])))
        else:
            parts += [_wrap("del", a[i1:i2]), _wrap("ins", b[j1:j2])]
            notes += _flip_notes(a[i1:i2], b[j1:j2])


def _unchanged(lines: list[str], *, first: bool, last: bool) -> str:
    """Unchanged lines, with long stretches folded so a reviewer sees the edits:
    CONTEXT_LINES stay on each side of a change."""
    keep_before = 0 if first else CONTEXT_LINES
    keep_after = 0 if last else CONTEXT_LINES
    if len(lines) <= keep_before + keep_after + 1:
        return html.escape("".join(lines))
    head, tail = lines[:keep_before], lines[len(lines) - keep_after :]
    hidden = len(lines) - len(head) - len(tail)
    marker = f'<span class="diff-skip">… {hidden} unchanged line{"s" if hidden != 1 else ""} …</span>\n'
    return html.escape("".join(head)) + marker + html.escape("".join(tail))


def _as_read(text: str) -> str:
    """Text as a reader meets it: browsers send \r\n (text saved before line
    endings were normalised may hold it), and whitespace after the last word
    shows nowhere, so neither counts as a change."""
    return normalise_newlines(text).rstrip()


def diff_text(old: str, new: str) -> tuple[str, tuple[str, ...]]:
    """Word-level diff of two texts as safe HTML, plus notes on changed numbers
    and negations, the edits most likely to reverse a medical instruction."""
    old, new = _as_read(old), _as_read(new)
    if old == new:
        return html.escape(new), ()
    a, b = _LINE.findall(old), _LINE.findall(new)
    parts: list[str] = []
    notes: list[str] = []
    # Lines first: cheap, and it confines the costly word diff to changed lines.
    # Blank lines are junk only so their many repeats cannot make this quadratic.
    matcher = difflib.SequenceMatcher(str.isspace, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            parts.append(
                _unchanged(a[i1:i2], first=index == 0, last=index == len(opcodes) - 1)
            )
        else:
            _diff_words("".join(a[i1:i2]), "".join(b[j1:j2]), parts, notes)
    return "".join(parts), tuple(dict.fromkeys(notes))


def _field(label: str, old, new) -> FieldDiff:
    old, new = ("" if value is None else _as_read(str(value)) for value in (old, new))
    fragment, flips = diff_text(old, new)
    return FieldDiff(label, old != new, fragment, flips)


def _faq_text(faq: dict) -> str:
    return f"{faq.get('question') or ''}\n{faq.get('answer') or ''}"


def _reference_line(ref: dict) -> str:
    """Every part a reviewer approves: kind, words, links and accessed date."""
    shown = shown_reference(1, ref)
    parts = [f"[{ref['kind']}] {shown.text}" if ref.get("kind") else shown.text]
    parts += [label for label, _ in shown.links]
    if shown.accessed:
        parts.append(f"accessed {shown.accessed}")
    return " — ".join(parts)


# Two list items count as the same item, edited, when this alike (difflib ratio).
SAME_ITEM_RATIO = 0.5


def align_items(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair list items by identity, not position: unchanged items match
    exactly; among the rest, an edited item pairs with its most similar
    counterpart, in order. Returns (old index, new index) pairs in reading
    order; None on one side is an added or removed item. So inserting one FAQ
    shows one added FAQ, not every FAQ after it changed."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
            continue
        next_old = i1
        for j in range(j1, j2):
            scores = [
                (difflib.SequenceMatcher(None, old[i], new[j]).ratio(), i)
                for i in range(next_old, i2)
            ]
            score, best = max(scores, default=(0.0, None))
            if best is None or score < SAME_ITEM_RATIO:
                pairs.append((None, j))
                continue
            pairs += [(i, None) for i in range(next_old, best)]
            pairs.append((best, j))
            next_old = best + 1
        pairs += [(i, None) for i in range(next_old, i2)]
    return pairs


def _faq_diffs(old_faqs: list[dict], new_faqs: list[dict]) -> list[FieldDiff]:
    diffs = []
    old_text, new_text = list(map(_faq_text, old_faqs)), list(map(_faq_text, new_faqs))
    for i, j in align_items(old_text, new_text):
        if j is None:
            diffs.append(_field(f"FAQ (removed, was {i + 1})", old_text[i], ""))
        elif i is None:
            diffs.append(_field(f"FAQ {j + 1} (added)", "", new_text[j]))
        else:
            moved = f" (was {i + 1})" if i != j else ""
            for part in ("question", "answer"):
                before, after = old_faqs[i].get(part), new_faqs[j].get(part)
                diffs.append(_field(f"FAQ {j + 1}{moved}: {part}", before, after))
    return diffs


def _list_diff(label: str, old: list[str], new: list[str]) -> FieldDiff:
    """One field for a list, one item per line, items aligned by identity."""
    fragments, notes = [], []
    for i, j in align_items(old, new):
        fragment, flips = diff_text(
            "" if i is None else old[i], "" if j is None else new[j]
        )
        fragments.append(fragment)
        notes += flips
    changed = list(map(_as_read, old)) != list(map(_as_read, new))
    return FieldDiff(label, changed, "\n".join(fragments), tuple(dict.fromkeys(notes)))


def _image_words(image: dict | None) -> str:
    if image is None:
        return ""
    return "\n".join(
        f"{label}: {image.get(key) or ''}"
        for label, key in (
            ("Alt text", "alt_text"),
            ("Caption", "caption"),
            ("Credit", "credit"),
            ("Licence", "licence"),
        )
    )


def _thumbnail(image: dict | None, label: str) -> str:
    if image is None:
        return f'<figure class="image-diff__side"><figcaption>{label}: none</figcaption></figure>'
    smallest = min(image["files"], key=lambda f: (f[1], f[2] != "WEBP"))
    height = max(1, round(image["height"] * smallest[1] / image["width"]))
    return (
        f'<figure class="image-diff__side"><img src="{html.escape(file_url(smallest[0]))}" '
        f'alt="" width="{int(smallest[1])}" height="{height}">'
        f"<figcaption>{label}: {int(image['width'])} x {int(image['height'])} px"
        "</figcaption></figure>"
    )


def _image_diffs(old: list[dict], new: list[dict]) -> list[FieldDiff]:
    """Each library image shown, old and new side by side: the picture (by
    its content hash) and its words, which the approval covers."""
    before = {image["key"]: image for image in old}
    after = {image["key"]: image for image in new}
    diffs = []
    for key in dict.fromkeys([*after, *before]):
        was, now = before.get(key), after.get(key)
        words, flips = diff_text(_image_words(was), _image_words(now))
        replaced = (was or {}).get("content_hash") != (now or {}).get("content_hash")
        state = (
            " (added)"
            if was is None
            else " (removed)"
            if now is None
            else " (picture replaced)"
            if replaced
            else ""
        )
        body = (
            f'<div class="image-diff">{_thumbnail(was, "Before")}'
            f"{_thumbnail(now, 'Now')}</div>{words}"
        )
        changed = replaced or _image_words(was) != _image_words(now)
        diffs.append(FieldDiff(f"Image {key}{state}", changed, body, flips))
    return diffs


def diff_content(old: dict | None, new: dict) -> list[FieldDiff]:
    """Field-by-field diff of two article contents, in reading order.

    old is None when nothing is live yet: every field then shows as added."""
    old = old or {}
    diffs = [
        _field(label, old.get(key), new.get(key))
        for label, key in (
            ("Question", "title"),
            ("Short answer", "short_answer"),
            ("Body", "body"),
        )
    ]
    diffs += _faq_diffs(old.get("faqs") or [], new.get("faqs") or [])
    for label, key, as_line in (
        ("Key takeaways", "key_takeaways", str),
        ("References", "references", _reference_line),
    ):
        before, after = (list(map(as_line, c.get(key) or [])) for c in (old, new))
        diffs.append(_list_diff(label, before, after))
    diffs += _image_diffs(old.get("images") or [], new.get("images") or [])
    # What else a version shows: an approval covers these too.
    diffs += [
        _field(label, old.get(key), new.get(key))
        for label, key in (
            ("Address (slug)", "slug"),
            ("Topic (slug)", "topic"),
            ("Written by (person slug)", "author"),
            ("Written by: name as printed", "author_name"),
            ("Written by: credentials as printed", "author_credentials"),
            (
                "Review interval in months (sets “Next review due”)",
                "review_interval_months",
            ),
        )
    ]
    # The public note about this update (approval content only; a version's
    # own note described the update that made it, so "new" is the draft's).
    if "change_summary" in new:
        diffs += [
            _field("Public summary of this update", "", new["change_summary"]),
            # "No" is the default, not news: only a correction shows as a change.
            _field(
                "Marked as a correction",
                "No",
                "Yes" if new.get("is_correction") else "No",
            ),
        ]
    return diffs
