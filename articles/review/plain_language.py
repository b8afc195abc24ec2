"""Advisory plain-language checks for the Markdown that editors write.

Health readers skim, often while worried, so long sentences, walls of text and
passive voice ("tests are carried out") make advice harder to follow. This module
points them out and estimates a reading grade. It only advises: it never blocks a
save and never raises on any text, however odd or large.

Pure Python with no Django imports, so it is tested without a database and the
caller decides what to check: `check_parts([("Short answer", ...), ...])`, or
`readability_report(markdown)` for one text. The word lists that the sentence
and passive checks use are in articles/review/plain_words.py.

The reading scores are the Flesch-Kincaid formulas with a small syllable counter
written here. textstat was considered and left out: its current release depends on
NLTK and downloads the CMU dictionary from the internet the first time it scores
English text, and raises when that download fails.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from articles.review.plain_words import (
    ABBREVIATIONS,
    ADVERBS,
    BE_FORMS,
    IRREGULAR_PARTICIPLES,
    NOT_PASSIVE,
)
from articles.text.control_characters import strip_control_characters

# Larger texts are refused by the forms anyway; only this much is checked.
MAX_CHARS = 200_000
LONG_SENTENCE_WORDS = 20
LONG_PARAGRAPH_SENTENCES = 3
# How many words of a long paragraph are quoted so the editor can find it.
OPENING_WORDS = 6

# A word is letters or digits, joined by apostrophes, hyphens or dots, so
# "don't", "well-known", "1.5" and "e.g" each count once.
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
# Words for the passive check: letters only, contractions kept whole.
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Block-level Markdown.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^ {0,3}(?:>\s?)+")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*\S")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")

# Inline Markdown, applied in this order.
_URL_IN_PARENS = r"\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
_INLINE = [
    (re.compile(r"`[^`\n]*`"), ""),  # code is not prose
    (re.compile(r"!\[[^\[\]\n]*\]" + _URL_IN_PARENS), ""),  # images
    (re.compile(r"\[\^[^\]\n]*\]"), ""),  # footnote markers
    (re.compile(r"\[([^\[\]\n]*)\]" + _URL_IN_PARENS), r"\1"),  # links keep text
    (re.compile(r"\[([^\[\]\n]*)\]\[[^\[\]\n]*\]"), r"\1"),  # reference links
    # Only tag-like text: "<120 and >80" in a reading stays prose.
    (re.compile(r"</?[A-Za-z][^<>\n]*>|<!--[^\n]*?-->"), ""),
    (re.compile(r"(?:https?://|www\.)\S+"), ""),  # bare URLs
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # escapes, before emphasis
    (re.compile(r"[*~]+|(?<!\w)_+|_+(?!\w)"), ""),  # emphasis markers
]

# A sentence ends at . ! ? or … (closing quotes or brackets may follow) and space.
_SENTENCE_END = re.compile(r"([.!?…]+)[\"'”’)\]]*\s+")
_LAST_TOKEN = re.compile(r"(\S+)$")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class LongSentence:
    text: str
    words: int


@dataclass(frozen=True)
class LongParagraph:
    opening: str  # the first few words, so the editor can find it
    sentences: int


@dataclass(frozen=True)
class PassiveSentence:
    text: str
    phrases: tuple[str, ...]  # as written, e.g. ("was performed",)


@dataclass(frozen=True)
class PlainLanguageReport:
    long_sentences: tuple[LongSentence, ...] = ()
    long_paragraphs: tuple[LongParagraph, ...] = ()
    passive_sentences: tuple[PassiveSentence, ...] = ()
    reading_grade: float | None = None  # Flesch-Kincaid grade level
    reading_ease: float | None = None  # Flesch reading ease, higher is easier
    sentence_count: int = 0
    word_count: int = 0
    truncated: bool = False  # only the first MAX_CHARS characters were checked

    @property
    def is_empty(self) -> bool:
        """True when there was no prose to check (empty text, or markup only)."""
        return self.word_count == 0

    @property
    def issue_count(self) -> int:
        return (
            len(self.long_sentences)
            + len(self.long_paragraphs)
            + len(self.passive_sentences)
        )

    def summary(self) -> str:
        """One line for the editor, such as
        "1 long sentence, 2 passive sentences; reading grade 9.2 (reading ease 61)."
        """
        if self.is_empty:
            return "No text to check."
        counts = [
            _plural(len(self.long_sentences), "long sentence"),
            _plural(len(self.long_paragraphs), "long paragraph"),
            _plural(len(self.passive_sentences), "passive sentence"),
        ]
        issues = ", ".join(c for c in counts if c) or "No plain-language issues"
        text = f"{issues}; reading grade {self.reading_grade:.1f}"
        text += f" (reading ease {self.reading_ease:.0f})."
        if self.truncated:
            text += f" Only the first {MAX_CHARS:,} characters were checked."
        return text


def readability_report(markdown_text: str) -> PlainLanguageReport:
    """Check one Markdown text; advisory, so any input gives a report."""
    text = markdown_text or ""
    truncated = len(text) > MAX_CHARS
    paragraphs = prose_paragraphs(text[:MAX_CHARS])
    sentences = [sentence for paragraph in paragraphs for sentence in paragraph]
    sentence_words = [_WORD.findall(sentence) for sentence in sentences]
    long_sentences = tuple(
        LongSentence(sentence, len(found))
        for sentence, found in zip(sentences, sentence_words, strict=True)
        if len(found) > LONG_SENTENCE_WORDS
    )
    long_paragraphs = tuple(
        LongParagraph(_opening(paragraph[0]), len(paragraph))
        for paragraph in paragraphs
        if len(paragraph) > LONG_PARAGRAPH_SENTENCES
    )
    passive_sentences = []
    for sentence in sentences:
        phrases = passive_phrases(sentence)
        if phrases:
            passive_sentences.append(PassiveSentence(sentence, phrases))
    word_count = sum(len(found) for found in sentence_words)
    grade = ease = None
    if word_count:
        syllables = sum(
            count_syllables(word) for found in sentence_words for word in found
        )
        words_per_sentence = word_count / len(sentences)
        syllables_per_word = syllables / word_count
        grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
        ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
        # Very short or very long words push the formulas past their scales; a
        # grade of -2 or an ease of 120 says no more than "very easy".
        grade, ease = max(0.0, grade), min(100.0, max(0.0, ease))
        grade, ease = round(grade, 1), round(ease, 1)
    return PlainLanguageReport(
        long_sentences=long_sentences,
        long_paragraphs=long_paragraphs,
        passive_sentences=tuple(passive_sentences),
        reading_grade=grade,
        reading_ease=ease,
        sentence_count=len(sentences),
        word_count=word_count,
        truncated=truncated,
    )


def check_parts(
    parts: Iterable[tuple[str, str]],
) -> list[tuple[str, PlainLanguageReport]]:
    """Check each (label, Markdown) pair, such as ("FAQ 1 answer", text), in order."""
    return [(label, readability_report(text)) for label, text in parts]


def prose_paragraphs(markdown_text: str) -> list[list[str]]:
    """The prose of a Markdown text: paragraphs, each a list of sentences.

    Headings, table rows, code, images and link URLs are dropped; link text is
    kept. Each list item is a paragraph of its own, since readers take it as one.
    """
    paragraphs = []
    for block in _prose_blocks(_clean(markdown_text)):
        sentences = split_sentences(block)
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping "e.g.", "Dr." and "1.5 mg" inside one.

    A sentence ends at . ! ? or … followed by a space, unless the word before it
    is a known abbreviation, or the next word starts with a lower-case letter
    (probably an abbreviation not listed here). Single letters are not taken as
    initials, because "vitamin D." and "hepatitis B." end sentences.
    Pieces without any word (a lone emoji) are not sentences.
    """
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _continues(text, match):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if _WORD.search(sentence)]


def passive_phrases(sentence: str) -> tuple[str, ...]:
    """The easy-to-spot passive phrases in a sentence, as written.

    The rule: a form of "to be" (am, is, are, was, were, be, been, being, or
    isn't, aren't, wasn't, weren't), then at most one adverb ("not", "often",
    any "-ly" word), then a past participle: a word ending in "-ed" or one of
    IRREGULAR_PARTICIPLES (in plain_words). "-ed" words in NOT_PASSIVE ("is tired", "are worried",
    "is based on") describe a state and are not flagged. Contractions with 's
    are skipped, since "it's" may mean "it has" and "'s" may be a possessive.
    """
    tokens = list(_LETTER_WORD.finditer(sentence))
    words = [token.group().lower().replace("’", "'") for token in tokens]
    phrases = []
    for index, word in enumerate(words):
        if word not in BE_FORMS and not word.endswith(("'re", "'m")):
            continue
        after = index + 1
        if after < len(words) and _is_adverb(words[after]):
            after += 1
        if after < len(words) and _is_participle(words[after]):
            phrases.append(sentence[tokens[index].start() : tokens[after].end()])
    return tuple(phrases)


def count_syllables(word: str) -> int:
    """Estimate an English word's syllables from its vowel groups.

    Good enough for a reading-grade estimate, which is itself an estimate. A word
    without Latin vowels (a number, another script) counts as one syllable.
    """
    plain = unicodedata.normalize("NFKD", word.lower())
    plain = plain.encode("ascii", "ignore").decode()
    count = len(_VOWEL_GROUP.findall(plain))
    # A silent final e ("make") or -ed ("walked"), or -es after most consonants
    # ("takes" but not "causes"), adds no syllable.
    if count > 1 and plain.endswith("e") and not plain.endswith(("le", "ee", "ye")):
        count -= 1
    elif count > 1 and plain.endswith("ed") and not plain.endswith(("ted", "ded")):
        count -= 1
    elif (
        count > 1
        and plain.endswith("es")
        and not plain.endswith(("ses", "ces", "zes", "ges", "xes", "shes", "ches"))
    ):
        count -= 1
    return max(1, count)


def _clean(text: str) -> str:
    """Unify line endings and drop control characters, such as NUL bytes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_control_characters(text.replace("\t", "    "))


def _prose_blocks(text: str) -> list[str]:
    """Group Markdown lines into prose blocks with inline markup removed."""
    lines = text.split("\n")
    table_rows = _table_rows(lines)
    blocks: list[str] = []
    current: list[str] = []
    fence = ""
    in_list = False

    def flush() -> None:
        if current:
            blocks.append(_strip_inline(" ".join(current)))
            current.clear()

    for index, raw_line in enumerate(lines):
        if fence:
            if raw_line.strip().startswith(fence):
                fence = ""
            continue
        line = _QUOTE.sub("", raw_line)
        stripped = line.strip()
        fence_match = _FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)
        elif not stripped:
            flush()
        elif current and _SETEXT_UNDERLINE.match(line):
            current.pop()  # the line above is a heading, even when this is ---
            flush()
        elif index in table_rows or _HEADING.match(line) or _is_rule(stripped):
            flush()
            in_list = False
        elif _LINK_DEFINITION.match(line):
            continue
        elif not current and not in_list and line.startswith("    "):
            continue  # an indented code block
        elif item := _LIST_ITEM.match(line):
            flush()
            current.append(item.group(1))
            in_list = True
        else:
            if not current and not line.startswith(" "):
                in_list = False
            current.append(stripped)
    flush()
    return blocks


def _table_rows(lines: list[str]) -> set[int]:
    """Line numbers of table rows: around a |---|---| separator, or starting with |."""
    rows = set()
    in_table = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if "|" in stripped and "-" in stripped and set(stripped) <= set("|:- "):
            in_table = True
            if index and "|" in lines[index - 1]:
                rows.add(index - 1)  # the header row
        elif "|" not in stripped:
            in_table = False
        if in_table or stripped.startswith("|"):
            rows.add(index)
    return rows


def _is_rule(stripped: str) -> bool:
    """A thematic break such as --- or * * *."""
    marks = stripped.replace(" ", "")
    return len(marks) >= 3 and marks[0] in "-*_" and marks == marks[0] * len(marks)


def _strip_inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(html.unescape(text).split())


def _continues(text: str, match: re.Match) -> bool:
    """Whether the sentence goes on after this full stop, ! or ?."""
    following = text[match.end() : match.end() + 3].lstrip("\"'“‘([")
    if following[:1].islower():
        return True
    if match.group(1) != ".":
        return False
    # Look back a short way only, so a huge paragraph stays fast.
    before = _LAST_TOKEN.search(text[max(0, match.start() - 40) : match.start()])
    if not before:
        return False
    return before.group(1).lstrip("\"'“‘([").lower() in ABBREVIATIONS


def _is_adverb(word: str) -> bool:
    return word in ADVERBS or (len(word) > 4 and word.endswith("ly"))


def _is_participle(word: str) -> bool:
    if word in IRREGULAR_PARTICIPLES:
        return True
    return (
        len(word) > 3
        and word.endswith("ed")
        and not word.endswith("eed")  # need, indeed, speed
        and word not in NOT_PASSIVE
    )


def _opening(sentence: str) -> str:
    words = list(_WORD.finditer(sentence))
    if len(words) <= OPENING_WORDS:
        return sentence
    return sentence[: words[OPENING_WORDS - 1].end()] + "…"


def _plural(count: int, noun: str) -> str:
    if not count:
        return ""
    return f"{count} {noun}{'' if count == 1 else 's'}"
