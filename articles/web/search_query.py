"""What a visitor typed into the search box: cleaned, split into the words
that must and must not occur, and the messages that say why nothing was
searched. The search itself is web/search.py."""

import re
from dataclasses import dataclass, field

from articles.text.control_characters import strip_control_characters

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10  # SQLite: more words only narrow an all-words search further

EMPTY_MESSAGE = "Type a health question or a few words, for example “blood pressure”."
TOO_LONG_MESSAGE = (
    f"Your search is longer than {MAX_QUERY_LENGTH} characters. Try the few words "
    "that matter most, for example “blood pressure in pregnancy”."
)
NO_WORDS_MESSAGE = "Search with words, for example “blood pressure” or “sleep”."
COMMON_WORDS_MESSAGE = (
    "“{query}” has only very common words. Add a more specific word, for "
    "example “sleep” or “blood pressure”."
)
NO_RESULTS_MESSAGE = (
    "No answers match “{query}”. Try fewer or different words, or check the spelling."
)

# PostgreSQL's English stop words (tsearch_data/english.stop): the full-text
# search ignores them, so the SQLite fallback ignores them too.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he
    him his himself she her hers herself it its itself they them their theirs
    themselves what which who whom this that these those am is are was were be
    been being have has had having do does did doing a an the and but if or
    because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under
    again further then once here there when where why how all any both each few
    more most other some such no nor not only own same so than too very s t can
    will just don should now""".split()
)

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# A query token: an optional "-" (exclude), then a "quoted phrase" or a word.
_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


def has_words(query: str) -> bool:
    return bool(_WORD.search(query))


def clean_query(raw: str) -> str:
    """The query without control characters (NUL breaks PostgreSQL) or lone
    surrogates, and with whitespace collapsed."""
    return " ".join(strip_control_characters(raw or "", " ").split())


@dataclass
class Terms:
    """The words of a query: those that must occur and those that must not."""

    wanted: list[str] = field(default_factory=list)
    unwanted: list[str] = field(default_factory=list)


def parse_terms(query: str) -> Terms:
    """Lower-case words without stop words or duplicates, at most MAX_TERMS."""
    terms = Terms()
    for minus, phrase, word in _TOKEN.findall(query):
        into = terms.unwanted if minus else terms.wanted
        for term in _WORD.findall((phrase or word).lower()):
            if term not in STOP_WORDS and term not in into:
                into.append(term)
    terms.wanted = terms.wanted[:MAX_TERMS]
    terms.unwanted = terms.unwanted[:MAX_TERMS]
    return terms
