"""How alike two articles' approved texts are, for related questions.

Each live version gets a profile when it is published: its stemmed words
(Snowball's English stemmer, the one PostgreSQL's "english" search also
uses), without stop words, weighted by the part they stand in: each part (question, short answer,
FAQ questions, headings, body) brings its own weight as a whole, so a long
body cannot drown the question.
Editors' synonym groups ("hypertension = high blood pressure") replace each
of their phrases with one shared concept term. Two profiles are compared
by the cosine of their TF-IDF vectors, the document frequencies taken from
the articles being compared, so words every article uses count for little.

Pure text: no models, so publishing/related.py and the benchmark's generator
compute exactly the same numbers.
"""

import functools
import math
import re
import threading
from collections import Counter

import snowballstemmer

from articles.text.markdown_words import plain_text

# Words that say nothing about what a health question is about.
STOP_WORDS = frozenset(
    """a about after again all also am an and any are as at be because been before
    being but by can could did do does doing during each few for from get gets had
    has have having how i if in into is it its just may me might more most much my
    need no nor not of off often on once only or other our out over own same see
    should so some such than that the their them then there these they this those
    through to too under until up usual usually very want was way we were what
    when where which while who whom why will with would you your""".split()
)
# Who a question is about matters less than what it is about: "children" in
# two questions (fever, screen time) does not make them related.
AUDIENCE_WORDS = frozenset(
    """adult adults adolescent adolescents baby babies child children kid kids
    infant infants man men mother mothers parent parents people person teen
    teenager teenagers toddler toddlers woman women young older""".split()
)
AUDIENCE_WEIGHT = 0.25
# How much each part of the text counts, each as a whole (tuned on the
# hand-marked pairs of tests/data/related_pairs.txt).
FIELD_WEIGHTS = {
    "title": 2.0,
    "short_answer": 2.0,
    "faq_questions": 1.0,
    "headings": 1.0,
    "body": 2.5,
}
# A profile keeps its strongest terms only: enough to describe an article,
# small enough to load hundreds of them per publication.
PROFILE_TERMS = 80
CONCEPT_PREFIX = "~"

_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps state while it works


@functools.lru_cache(maxsize=100_000)  # stemming is most of a profile's cost
def _stem(word: str) -> str:
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(word)


_WORD = re.compile(r"[^\W\d_]{2,}")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def stems(text: str) -> list[str]:
    """The text's words in order, lower-cased and stemmed, stop words left out."""
    return [
        _stem(word) for word in _WORD.findall(text.lower()) if word not in STOP_WORDS
    ]


@functools.cache
def _audience() -> frozenset[str]:
    stemmed = {_stem(word) for word in AUDIENCE_WORDS}
    return frozenset(stemmed | {CONCEPT_PREFIX + word for word in stemmed})


def parse_synonyms(groups: list[str]) -> dict[tuple[str, ...], str]:
    """Phrases (as stem tuples) to their group's concept term. A group is one
    line of phrases separated by "=" or ","; a phrase of stop words only is
    ignored."""
    phrases = {}
    for group in groups:
        variants = [
            tuple(stems(phrase)) for phrase in re.split(r"[=,\n]", group) if phrase
        ]
        variants = [variant for variant in variants if variant]
        if len(variants) < 2:
            continue
        concept = CONCEPT_PREFIX + "_".join(variants[0])
        for variant in variants:
            phrases.setdefault(variant, concept)
    return phrases


def _with_concepts(words: list[str], phrases: dict) -> list[str]:
    """The words with each synonym phrase replaced by its group's concept
    term, longest phrase first."""
    if not phrases:
        return words
    longest = max(len(phrase) for phrase in phrases)
    result, start = [], 0
    while start < len(words):
        for length in range(min(longest, len(words) - start), 0, -1):
            concept = phrases.get(tuple(words[start : start + length]))
            if concept:
                result.append(concept)
                start += length
                break
        else:
            result.append(words[start])
            start += 1
    return result


def profile(
    *,
    title: str,
    short_answer: str,
    faq_questions: list[str],
    body: str,
    phrases: dict | None = None,
) -> dict[str, float]:
    """A version's weighted terms: {stem or concept: weight}."""
    texts = {
        "title": title,
        "short_answer": short_answer,
        "faq_questions": " ".join(faq_questions),
        "headings": " ".join(_HEADING.findall(body)),
        "body": plain_text(body),
    }
    weights = Counter()
    for field, text in texts.items():
        counts = Counter(_with_concepts(stems(text), phrases or {}))
        # Each field brings its own weight, however many words it has, so a
        # long body cannot drown the question, nor a short one the body.
        damped = {term: 1 + math.log(count) for term, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in damped.values()))
        for term, value in damped.items():
            weight = FIELD_WEIGHTS[field] * value / norm
            weights[term] += weight * (AUDIENCE_WEIGHT if term in _audience() else 1)
    strongest = weights.most_common(PROFILE_TERMS)
    return {term: round(weight, 5) for term, weight in strongest}


def inverse_frequencies(profiles: list[dict]) -> dict[str, float]:
    """IDF of every term over `profiles`: a word nearly every article uses
    weighs nearly nothing, however often it appears."""
    frequencies = Counter(term for terms in profiles for term in terms)
    total = len(profiles)
    return {
        term: math.log((total + 1) / (count + 0.5))
        for term, count in frequencies.items()
    }


def vector(terms: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    """Unit-length TF-IDF vector of a profile."""
    weighted = {term: weight * idf.get(term, 1.0) for term, weight in terms.items()}
    norm = math.sqrt(sum(value * value for value in weighted.values()))
    return {term: value / norm for term, value in weighted.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Similarity of two unit vectors, 0 (nothing shared) to 1 (the same)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b[term] for term, value in a.items() if term in b)
