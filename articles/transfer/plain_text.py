"""Plain-text articles to article fields, for publishers moving to the site.

Publishers bring hundreds of articles exported from old CMSs and word processors
as plain text: headings are short lines, lists start with "1." or "•", tables are
lined up with spaces. parse_article recognises those shapes and returns plain data
plus warnings for what the editor should check. No database, so an import
command, the admin and the tests can all share it.

This module owns what the parts mean (title, short answer, headings, Key
Takeaways, FAQs, Conclusion) and the Markdown written for them; splitting lines
into paragraphs, list items and tables is plain_text_layout.py's job, and the
references section is plain_text_references.py's.
"""

import re
from dataclasses import dataclass
from itertools import groupby

from articles.text.citations import citations_in
from articles.text.control_characters import strip_control_characters
from articles.text.newlines import normalise_newlines
from articles.transfer.plain_text_layout import Part, read_parts, squash
from articles.transfer.plain_text_references import citation_warnings, take_references

MAX_INPUT_CHARS = 500_000  # "absurdly large": a long article is under 100,000
MAX_TITLE_CHARS = 200  # Article.title's max_length
SHORT_ANSWER_CHARS = 300  # one sentence, or two short ones
# A line or two before the title (a site name, a date) is skipped, never more.
TITLE_SEARCH_LINES = 3

_SITE_SUFFIX = re.compile(r"(?P<title>.+?\?)\s+[|–—-]\s+[^?]{1,80}")
_SPECIAL = re.compile(
    r"(?:(?P<takeaways>key takeaways?|takeaways)"
    r"|(?P<faq>frequently asked questions|faqs?|faq's)"
    r"|(?P<conclusion>(?:in )?conclusions?))"
    r"(?:(?:\s*:|\s+[|–—-])\s*(?P<rest>.*))?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
# Line breaks of other systems and word processors (besides "\r\n" and "\r").
_OTHER_LINE_BREAK = re.compile(r"[\x85\u2028\u2029]")
_ANSWER = re.compile(r"\b(?:answer is|short answer|in short)\b", re.IGNORECASE)
_YES_NO = re.compile(r"(?:yes|no)[,.!]", re.IGNORECASE)
_LABEL = re.compile(r"(?P<label>[^:*_`\[\]]{1,60}):\s+(?P<rest>\S.*)")
_QUESTION_PREFIX = re.compile(r"(?:q|question)\s*[:.)]\s+", re.IGNORECASE)
_ANSWER_PREFIX = re.compile(r"(?:a|answer)\s*[:.)]\s+", re.IGNORECASE)


class ArticleImportError(ValueError):
    """The text cannot be imported; the message says why, for the person importing."""


@dataclass
class ParsedArticle:
    title: str
    short_answer: str
    # True when taken from the text rather than a short-answer line: confirm it.
    short_answer_is_proposed: bool
    body: str  # Markdown; Conclusion last; no Key Takeaways or FAQ sections
    sections: list[str]  # body headings in order, "Conclusion" last when present
    key_takeaways: list[str]
    faqs: list[tuple[str, str]]  # (question, Markdown answer)
    # Reference.as_content() dicts; None when the text has no references section.
    references: list[dict] | None
    tables: list[list[list[str]]]  # rows of cells, header row first
    numbered_lists: int  # in the body
    bullet_lists: int  # in the body
    warnings: list[str]  # notes for the editor, in reading order


def decode_text(data: bytes, *, name: str = "the file") -> str:
    """UTF-8 bytes to text with LF line breaks; anything else is refused, not guessed."""
    if not data:
        raise ArticleImportError(f"Cannot import {name}: it is empty.")
    too_large = f"Cannot import {name}: it is over {MAX_INPUT_CHARS:,} characters."
    if len(data) > 4 * MAX_INPUT_CHARS:  # no UTF-8 character is over 4 bytes
        raise ArticleImportError(too_large)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            f"Cannot import {name}: it is not UTF-8 text (bad byte at offset "
            f"{error.start:,}). Save it as plain text in UTF-8 and try again."
        ) from None
    if "\x00" in text:  # UTF-16 text and binary files often decode "successfully"
        raise ArticleImportError(
            f"Cannot import {name}: it looks like UTF-16 or a binary file, "
            "not UTF-8 plain text."
        )
    text = _lf_line_breaks(text)
    if len(text) > MAX_INPUT_CHARS:
        raise ArticleImportError(too_large)
    if not text.strip():
        raise ArticleImportError(f"Cannot import {name}: it contains no text.")
    return text


def _lf_line_breaks(text: str) -> str:
    """Every kind of line break as "\\n", as stored text has them."""
    return _OTHER_LINE_BREAK.sub("\n", normalise_newlines(text))


def parse_article(text: str) -> ParsedArticle:
    """Recognise title, short answer, sections, lists, tables, takeaways and FAQs."""
    if len(text) > MAX_INPUT_CHARS:
        raise ArticleImportError(
            f"The text is too long to import: {len(text):,} characters, "
            f"the limit is {MAX_INPUT_CHARS:,}."
        )
    warnings: list[str] = []
    # Exports are full of odd line breaks and control characters.
    text = strip_control_characters(_lf_line_breaks(text).lstrip("\ufeff"), " ")
    lines = [line.rstrip() for line in text.split("\n")]
    title, index, rest, title_line = _find_title(lines, warnings)
    source_warnings: list[str] = []  # the references come last, in reading order
    after_title, section = take_references(
        ([rest] if rest else []) + lines[index + 1 :],
        source_warnings,
        ends_section=lambda line: _special(Part("text", squash(line))) is not None,
    )
    parts = read_parts(after_title, warnings)
    short_answer, proposed = "", True
    if title_line and parts and _is_short_answer(parts[0]):
        short_answer, proposed = parts.pop(0).text, False
    body, takeaways, faqs = _split_sections(parts, warnings)
    if proposed:
        paragraphs = [p.text for p in body if p.kind == "text"]
        short_answer = _propose_short_answer(paragraphs)
        warnings.insert(
            0,
            "Short answer proposed from the text; please confirm it."
            if short_answer
            else "No short answer found; please write one.",
        )
    kinds = [kind for kind, _ in groupby(body, key=lambda p: p.kind)]
    markdown = _markdown(body)
    cited = [
        n for text in [markdown, *(a for _, a in faqs)] for n in citations_in(text)
    ]
    warnings += source_warnings + citation_warnings(cited, section)
    return ParsedArticle(
        title=title,
        short_answer=short_answer,
        short_answer_is_proposed=proposed,
        body=markdown,
        sections=[p.text for p in body if p.kind == "heading"],
        key_takeaways=takeaways,
        faqs=faqs,
        references=section.references if section else None,
        tables=[p.rows for p in parts if p.kind == "table"],
        numbered_lists=kinds.count("numbered"),
        bullet_lists=kinds.count("bullet"),
        warnings=warnings,
    )


def _sentences(text: str) -> list[str]:
    """Split after . ! ? followed by a capital, so "e.g. the" stays one sentence."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end() : match.end() + 1]
        if following and (following.isupper() or following in "0123456789\"“‘'("):
            sentences.append(text[start : match.end()].strip())
            start = match.end()
    return sentences + ([text[start:].strip()] if text[start:].strip() else [])


def _find_title(lines: list[str], warnings: list[str]) -> tuple[str, int, str, bool]:
    """The title question: the first line, or the first paragraph's first sentence.

    Returns the title, its line index, the rest of that line and whether the title
    was a line of its own (only then may the next line be the short answer).
    """
    if not any(line.strip() for line in lines):
        raise ArticleImportError("No title found: the text is empty.")
    skipped: list[str] = []
    for index, line in enumerate(lines):
        flat = squash(line)
        if not flat:
            continue
        title, rest = _title_line(flat), ""
        first = _sentences(flat)[0]
        if not title and first.endswith("?") and len(first) <= MAX_TITLE_CHARS:
            title, rest = first, flat[len(first) :].strip()
        if title and not title[0].islower():
            if skipped:
                warnings.append(
                    f"Left out the text before the title: {_quote(skipped)}"
                )
            return title, index, rest, not rest
        skipped.append(flat)
        if len(skipped) >= TITLE_SEARCH_LINES or len(flat) > 80:
            break
    raise ArticleImportError(
        "No title found: the article should start with its title, a question "
        "such as “Can I take ibuprofen with food?”."
    )


def _title_line(line: str) -> str | None:
    """A whole line that asks the question, less a " | Site name" suffix."""
    if len(line) > MAX_TITLE_CHARS + 80:
        return None
    match = _SITE_SUFFIX.fullmatch(line)
    title = match["title"] if match else line
    if len(title) > MAX_TITLE_CHARS:
        return None
    return title if all(s.endswith("?") for s in _sentences(title)) else None


def _special(part: Part) -> str | None:
    """ "takeaways", "faq" or "conclusion" for those section headings, else None."""
    match = _SPECIAL.fullmatch(part.text) if part.kind == "text" else None
    if not match or len(part.text) > 150 or (match["rest"] or "").endswith("."):
        return None
    return next(name for name in ("takeaways", "faq", "conclusion") if match[name])


def _heading_like(part: Part) -> bool:
    """A short line without closing punctuation, or a one-sentence question."""
    text = part.text
    if part.kind != "text" or part.plain or text[0].islower():
        return False
    if text.endswith("?"):
        return len(text) <= 120 and len(_sentences(text)) == 1
    return len(text) <= 80 and len(text.split()) <= 12 and text[-1] not in ".:;,!"


def _is_heading(parts: list[Part], k: int) -> bool:
    """A heading-like line is a heading only when content, not another such line,
    follows it: a run of short lines is a list of phrases, a last line a sign-off.
    """
    if not _heading_like(parts[k]) or k + 1 == len(parts):
        return False
    return not (_heading_like(parts[k + 1]) or _special(parts[k + 1]))


def _is_question(part: Part) -> bool:
    """An FAQ question; a longer text ending in "?" is an answer asking back."""
    text = part.text
    return text.endswith("?") and len(text) <= 200 and len(_sentences(text)) <= 2


def _quote(texts: list[str], limit: int = 5) -> str:
    more = f" and {len(texts) - limit} more" if len(texts) > limit else ""
    return ", ".join(f"“{text}”" for text in texts[:limit]) + more


def _is_short_answer(part: Part) -> bool:
    text = part.text
    return (
        part.kind == "text"
        and len(text) <= SHORT_ANSWER_CHARS
        and text[-1] in ".!"
        and len(_sentences(text)) <= 2
        and not _special(part)
    )


def _split_sections(
    parts: list[Part], warnings: list[str]
) -> tuple[list[Part], list[str], list[tuple[str, str]]]:
    """Body, takeaways and FAQs; the site shows takeaways and FAQs on their own, and
    the Conclusion ends the body wherever the file puts it.
    """
    body: list[Part] = []
    conclusion: list[Part] = []
    takeaways: list[str] = []
    faqs: list[tuple[str, list[Part]]] = []
    kept: list[str] = []  # heading-like lines that are not headings
    mode, body_before_conclusion = "body", 0
    for k, part in enumerate(parts):
        if special := _special(part):
            mode = special
            if mode == "conclusion" and not conclusion:
                conclusion.append(Part("heading", "Conclusion"))
                body_before_conclusion = len(body)
            continue
        heading = _is_heading(parts, k)
        if mode == "faq":
            if _is_question(part):
                faqs.append((_QUESTION_PREFIX.sub("", part.text, count=1), []))
                continue
            if not heading:
                if faqs:
                    faqs[-1][1].append(part)
                else:
                    warnings.append(f"Left out text before the first FAQ: {part.text}")
                continue
        elif mode == "takeaways":
            if part.kind != "table" and not heading:
                if part.text.endswith(":"):
                    warnings.append(f"Left out a line in Key Takeaways: {part.text}")
                else:
                    takeaways.append(part.text)
                continue
        if mode != "conclusion" or heading:
            mode = "body"
        target = conclusion if mode == "conclusion" else body
        if not heading and _heading_like(part):
            kept.append(part.text)
        target.append(Part("heading", part.text) if heading else part)
    if kept:
        warnings.append(
            f"Kept as paragraphs, since no text follows them: {_quote(kept)}"
        )
    if conclusion and len(body) > body_before_conclusion:
        moved = body[body_before_conclusion].text
        warnings.append(f"Moved the Conclusion to the end, after “{moved}”.")
    return body + conclusion, takeaways, _faq_answers(faqs, warnings)


def _faq_answers(
    faqs: list[tuple[str, list[Part]]], warnings: list[str]
) -> list[tuple[str, str]]:
    """Questions with their Markdown answers; a question without one is left out."""
    answered = []
    for question, parts in faqs:
        if not parts:
            warnings.append(f"Left out the FAQ “{question}”: it has no answer.")
            continue
        if parts[0].kind == "text":
            parts[0].text = _ANSWER_PREFIX.sub("", parts[0].text, count=1)
        answered.append((question, _markdown(parts)))
    return answered


def _propose_short_answer(paragraphs: list[str]) -> str:
    """The sentence that answers the question ("The answer is yes", "No, ..."), else
    the first statement; a very short one takes the next sentence along.
    """
    best: tuple[int, list[str], int] | None = None
    for sentences in map(_sentences, paragraphs):
        for s, sentence in enumerate(sentences):
            score = (
                2 if _ANSWER.search(sentence) else int(bool(_YES_NO.match(sentence)))
            )
            if score and (best is None or score > best[0]):
                best = (score, sentences, s)
    if best is None:
        statements = [s for p in paragraphs[:1] for s in _sentences(p)]
        first = next((i for i, s in enumerate(statements) if s[-1] != "?"), None)
        if first is None:
            return ""
        best = (0, statements, first)
    _, sentences, s = best
    answer = sentences[s]
    if len(answer) < 60 and s + 1 < len(sentences):
        longer = f"{answer} {sentences[s + 1]}"
        answer = longer if len(longer) <= SHORT_ANSWER_CHARS else answer
    return answer


def _markdown(parts: list[Part]) -> str:
    """Markdown for Python-Markdown with tables and sane_lists: a blank line between
    blocks, so lists and tables are never read as part of a paragraph.
    """
    blocks = []
    for kind, group in groupby(parts, key=lambda p: p.kind):
        items = list(group)
        if kind == "bullet":
            blocks.append("\n".join(f"- {_escape(p.text)}" for p in items))
        elif kind == "numbered":
            start = items[0].number
            lines = (f"{start + n}. {_labelled(p.text)}" for n, p in enumerate(items))
            blocks.append("\n".join(lines))
        elif kind == "table":
            blocks += [_table_markdown(p.rows) for p in items]
        elif kind == "heading":
            blocks += ["## " + re.sub(r"#(?=#*$)", r"\\#", p.text) for p in items]
        else:
            blocks += [_escape(p.text) for p in items]
    return "\n\n".join(blocks)


def _escape(text: str) -> str:
    """Plain text that Markdown would read as a heading, quote, list or rule."""
    if match := re.match(r"\d+(?=[.)](?:\s|$))", text):
        return f"{text[: match.end()]}\\{text[match.end() :]}"
    return "\\" + text if text.startswith(tuple("#>+*_-")) else text


def _labelled(text: str) -> str:
    """ "Label: text" items get a bold label, as the site's articles have."""
    match = _LABEL.fullmatch(text)
    if match and len(match["label"].split()) <= 6:
        return f"**{match['label'].strip()}:** {match['rest']}"
    return _escape(text)


def _table_markdown(rows: list[list[str]]) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    separator = "|" + "---|" * len(rows[0])
    return "\n".join([row(rows[0]), separator, *map(row, rows[1:])])
