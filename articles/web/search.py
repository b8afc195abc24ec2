"""Search of the public articles: /search/?q=words&page=N.

Only live versions are searched (text a medical reviewer approved and an editor
published), never the working copy, so drafts and unpublished edits cannot leak.

PostgreSQL: each version's words are indexed once, when it is created
(publishing/search_index.py). A search is
`search_vector @@ websearch_to_tsquery(...)`, ranked with ts_rank over the small
rank_vector and highlighted with ts_headline for the rows of the page only.

A common word matches half the site, and ranking or counting every match grows
with the site. So at most MAX_MATCHES matches are counted and ranked (on both
databases): on PostgreSQL the first MAX_MATCHES whose title, FAQ questions or
short answer match (found through rank_vector's index) and the first
MAX_MATCHES of all matches. Beyond that the page says "More than 500 answers"
and offers the best of those (50 pages; readers seldom go past the first few).

SQLite: a fallback with the same interface for development and small sites:
every word must occur somewhere in the article (LIKE), ranked by where it
occurs. Quotes and "or" are ignored (a quoted phrase means "all these words");
a word after "-" must not occur.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import ArticleVersion
from articles.publishing.search_index import CONFIG
from articles.text.control_characters import strip_control_characters
from articles.text.markdown_words import plain_text
from articles.web.search_query import (
    COMMON_WORDS_MESSAGE,
    EMPTY_MESSAGE,
    MAX_QUERY_LENGTH,
    NO_RESULTS_MESSAGE,
    NO_WORDS_MESSAGE,
    TOO_LONG_MESSAGE,
    Terms,
    clean_query,
    has_words,
    parse_terms,
)

RESULTS_PER_PAGE = 10
MAX_MATCHES = 500  # ranked and counted at most (50 pages); see the docstring
SNIPPET_LENGTH = 200  # SQLite snippet, in characters
# Highlight markers: control characters, which search queries never contain
# (clean_query drops them) and which escape() leaves alone, so highlighting can
# be done on plain text and turned into <mark> after escaping.
START, STOP = "\x02", "\x03"

_HIGHLIGHT = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


# Results ---------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    version: ArticleVersion
    title: str
    url: str
    snippet: SafeString  # escaped text, matched words in <mark>
    rank: float


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for a gap ("…") between page numbers
    href: str = ""
    current: bool = False


class CountedPaginator(Paginator):
    """A paginator given the count it would otherwise ask the database for."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count


@dataclass
class SearchResults:
    query: str = ""
    message: str = ""  # why there are no results, or "" when there are some
    page_obj: Page | None = None  # a page of SearchResult items
    total: int = 0  # at most MAX_MATCHES
    # More answers match than were ranked: only the best are offered, and the
    # page says "More than {total} answers".
    capped: bool = False

    def href(self, page_number: int) -> str:
        return (
            reverse("articles:search")
            + "?"
            + urlencode({"q": self.query, "page": page_number})
        )

    @property
    def page_links(self) -> list[PageLink]:
        """Numbered links to nearby pages, with gaps ("1 2 3 4 … 9")."""
        if self.page_obj is None or not self.page_obj.has_other_pages():
            return []
        numbers = self.page_obj.paginator.get_elided_page_range(
            self.page_obj.number, on_each_side=2, on_ends=1
        )
        return [
            PageLink(n, self.href(n), n == self.page_obj.number)
            if isinstance(n, int)
            else PageLink(None)
            for n in numbers
        ]

    @property
    def previous_href(self) -> str:
        if self.page_obj is None or not self.page_obj.has_previous():
            return ""
        return self.href(self.page_obj.previous_page_number())

    @property
    def next_href(self) -> str:
        if self.page_obj is None or not self.page_obj.has_next():
            return ""
        return self.href(self.page_obj.next_page_number())


def search_page(query: str, page: str) -> SearchResults:
    """One page of live versions matching `query`, best first, or a message
    saying why there are none. Never raises for odd input."""
    query = clean_query(query)
    if not query:
        return SearchResults(message=EMPTY_MESSAGE)
    if len(query) > MAX_QUERY_LENGTH:
        return SearchResults(query=query[:MAX_QUERY_LENGTH], message=TOO_LONG_MESSAGE)
    if not has_words(query):
        return SearchResults(query=query, message=NO_WORDS_MESSAGE)
    terms = parse_terms(query)
    if not terms.wanted and not terms.unwanted:
        return SearchResults(
            query=query, message=COMMON_WORDS_MESSAGE.format(query=query)
        )

    versions = (
        ArticleVersion.objects.live()
        .select_related("topic")
        .defer("body_html", "search_vector", "rank_vector")  # not shown
    )
    if connections[versions.db].vendor == "postgresql":
        count, ranked, to_results = _postgresql_search(versions, query)
    else:
        count, ranked, to_results = _sqlite_search(versions, terms)
    if not count:
        return SearchResults(
            query=query, message=NO_RESULTS_MESSAGE.format(query=query)
        )
    total = min(count, MAX_MATCHES)
    page_obj = CountedPaginator(ranked, RESULTS_PER_PAGE, count=total).get_page(page)
    page_obj.object_list = to_results(page_obj.object_list)
    return SearchResults(
        query=query, page_obj=page_obj, total=total, capped=count > MAX_MATCHES
    )


def _result(version: ArticleVersion, snippet: SafeString) -> SearchResult:
    return SearchResult(
        version=version,
        title=version.title,
        url=version.get_absolute_url(),
        snippet=snippet,
        rank=float(version.rank),
    )


def _highlighted_html(marked: str) -> SafeString:
    """Text with START…STOP around matched words, as escaped HTML with <mark>.

    Everything is escaped; the only tags are the <mark> pairs this function
    writes, so stray markers (unbalanced, or from content) can do no harm.
    """
    parts = _HIGHLIGHT.split(marked)
    html = []
    for index, part in enumerate(parts):
        text = escape(part.replace(START, "").replace(STOP, ""))
        if text:
            html.append(f"<mark>{text}</mark>" if index % 2 else text)
    return mark_safe("".join(html))


# PostgreSQL ------------------------------------------------------------------


def _postgresql_search(versions, query: str):
    """The number of matches (at most MAX_MATCHES + 1) and the ones worth
    ranking, ranked.

    One query reads the ids of the first MAX_MATCHES whose title, FAQ
    questions or short answer match (through rank_vector's index) and of the
    first MAX_MATCHES + 1 matches of any kind; a second ranks those with the
    small rank_vector. Ranking and counting every match with the whole text's
    vector made a common word slower the larger the site.
    """
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    live = ArticleVersion.objects.live().order_by()
    found = live.filter(search_vector=search_query)
    # rank_vector is a part of search_vector, so a query without a "-" word
    # that matches it matches the whole text too: checking that again would
    # read every candidate's large vector. With a "-" word it must be checked.
    in_headings = (found if "-" in query else live).filter(rank_vector=search_query)
    heading, anywhere = Value(True), Value(False)
    rows = list(
        in_headings.values_list("pk", heading)[:MAX_MATCHES].union(
            found.values_list("pk", anywhere)[: MAX_MATCHES + 1], all=True
        )
    )
    count = sum(1 for _, in_heading in rows if not in_heading)
    rank = SearchRank(F("rank_vector"), search_query)
    ranked = (
        versions.filter(pk__in={pk for pk, _ in rows})
        .annotate(rank=rank)
        .order_by("-rank", "title")
    )

    def to_results(page_rows) -> list[SearchResult]:
        # The page's rows are chosen in a subquery, so the costly headline is
        # made for them only: as a column of the ranked query it was also made
        # for every row an OFFSET skips (page 7 made 70).
        shown = (
            versions.filter(pk__in=page_rows.values("pk"))
            .annotate(rank=rank, headline=_headline(search_query))
            .order_by("-rank", "title")
        )
        return [to_result(version) for version in shown]

    def to_result(version):
        # The headline is raw text from the database: strip the Markdown,
        # then escape it, keeping only our own <mark> tags. Without a match in
        # the short answer or body (e.g. a title match), start from the top.
        headline = plain_text(version.headline)
        if START not in headline:
            headline = _window(_text_for_snippet(version), None)
        return _result(version, _highlighted_html(headline))

    return count, ranked, to_results


def _headline(search_query: SearchQuery) -> SearchHeadline:
    """The matched words in context, from the short answer and the body."""
    document = Concat("short_answer", Value("\n\n"), "body", output_field=TextField())
    return SearchHeadline(
        document,
        search_query,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_fragments=2,
        max_words=20,
        min_words=8,
        fragment_delimiter=" … ",
    )


# SQLite ----------------------------------------------------------------------


class _FAQText(Func):
    """The questions (or answers) of a version's FAQs as one text (SQLite JSON1)."""

    template = (
        "COALESCE((SELECT group_concat(json_extract(faq.value, '$.%(key)s'), ' ') "
        "FROM json_each(%(expressions)s) AS faq), '')"
    )
    output_field = TextField()

    def __init__(self, expression, *, key: str):
        if key not in ("question", "answer"):
            raise ValueError(f"Unknown FAQ key {key!r}.")
        super().__init__(expression, key=key)


def _sqlite_search(versions, terms: Terms):
    def heading(term):
        return Q(title__icontains=term) | Q(faq_questions__icontains=term)

    def anywhere(term):
        return (
            heading(term)
            | Q(short_answer__icontains=term)
            | Q(body__icontains=term)
            | Q(faq_answers__icontains=term)
        )

    matches = versions.alias(
        faq_questions=_FAQText("faqs", key="question"),
        faq_answers=_FAQText("faqs", key="answer"),
    )
    for term in terms.wanted:
        matches = matches.filter(anywhere(term))
    for term in terms.unwanted:
        matches = matches.exclude(anywhere(term))
    # Per word: 3 in the title or an FAQ question, 2 in the short answer, else 1.
    rank = Value(0)
    for term in terms.wanted:
        rank += Case(
            When(heading(term), then=Value(3)),
            When(short_answer__icontains=term, then=Value(2)),
            default=Value(1),
        )
    ranked = matches.annotate(rank=rank).order_by("-rank", "title")

    longest_first = sorted(terms.wanted, key=len, reverse=True)
    pattern = (
        re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)
        if longest_first
        else None
    )

    def to_results(page_rows) -> list[SearchResult]:
        return [
            _result(
                version, _highlighted_html(_window(_text_for_snippet(version), pattern))
            )
            for version in page_rows
        ]

    # Counting stops one past the cap: enough to say "more than".
    return matches.order_by()[: MAX_MATCHES + 1].count(), ranked, to_results


def _text_for_snippet(version: ArticleVersion) -> str:
    text = plain_text(f"{version.short_answer}\n\n{version.body}")
    return strip_control_characters(text, " ")


def _window(text: str, pattern: re.Pattern | None) -> str:
    """About SNIPPET_LENGTH characters of `text` around the first match, cut at
    spaces, with START/STOP around every match."""
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - SNIPPET_LENGTH // 3) if match else 0
    if start > 0:
        start = text.find(" ", start, match.start()) + 1  # 0 if no space: word start
        start = start or match.start()
    end = start + SNIPPET_LENGTH
    if end < len(text):
        space = text.rfind(" ", start + SNIPPET_LENGTH // 2, end)
        end = space if space > 0 else end
    window = text[start:end]
    if pattern:
        window = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", window)
    return ("… " if start > 0 else "") + window + (" …" if end < len(text) else "")
