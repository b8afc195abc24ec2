"""Related questions, computed when something is published or withdrawn
(publishing/refresh.py decides which articles to recompute; this module only
computes links and stores the rows).

An article's links are the questions an editor picked (in order), then
computed ones, up to MAX_LINKS in all. A computed link must clear a relevance
floor: the two approved texts are alike (articles.text.relevance: TF-IDF
cosine of stemmed words and editors' synonyms) and the articles share a topic
or a tag, or the texts are very alike. Fewer links, or none, rather than a
question about something else. An FAQ whose question another article asks
links to that article ("Read the full answer"). Links are stored as
RelatedLink rows, so a page reads them in one query, and they only ever point
to public articles: withdrawing an article deletes every link to it in the
same transaction.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from articles.models import Article, ArticleVersion, RelatedLink, SynonymGroup
from articles.text import relevance

MAX_LINKS = 6
# Candidates scored for one article: the most recently updated of its topic,
# of the articles sharing a tag and of all others, at most this many of each,
# so publishing stays cheap however large the site is.
CANDIDATE_LIMIT = 300
# The relevance floor (cosine similarity, 0 to 1), set by the hand-marked
# pairs of tests/data/related_pairs.txt (tests/test_relevance.py).
SIMILAR = 0.15  # enough when the articles share a topic or a tag
VERY_SIMILAR = 0.35  # enough on its own


def words(text: str) -> set[str]:
    """The meaningful words of a text, lower-cased, without common short words:
    an FAQ links to the article whose question has exactly its words."""
    return {
        word
        for word in re.findall(r"[^\W\d_]{3,}", text.lower())
        if word not in relevance.STOP_WORDS
    }


def synonym_phrases() -> dict:
    return relevance.parse_synonyms(
        list(SynonymGroup.objects.values_list("phrases", flat=True))
    )


def profile_of(version, phrases: dict) -> dict:
    return relevance.profile(
        title=version.title,
        short_answer=version.short_answer,
        faq_questions=[faq["question"] for faq in version.faqs or []],
        body=version.body,
        phrases=phrases,
    )


def store_profiles(versions, phrases: dict | None = None) -> int:
    """Write the relevance terms of these versions (derived from their
    immutable text, so one UPDATE each, like the search index)."""
    phrases = synonym_phrases() if phrases is None else phrases
    count = 0
    for version in versions:
        version.relevance_terms = profile_of(version, phrases)
        ArticleVersion.objects.filter(pk=version.pk).update(
            relevance_terms=version.relevance_terms
        )
        count += 1
    return count


def store_all_profiles() -> int:
    """Every live version's terms again (after the synonyms changed)."""
    return store_profiles(ArticleVersion.objects.live().iterator())


@dataclass(frozen=True)
class Candidate:
    """What choosing links needs of a public article: plain values, because
    building hundreds of model instances per article was most of a publish's
    time."""

    pk: int
    topic_id: int
    tag_ids: frozenset[int]
    terms: dict
    title_words: frozenset[str]
    published_at: datetime.datetime


@dataclass(frozen=True)
class Link:
    kind: str
    target_id: int
    position: int
    faq_number: int | None = None


def _candidates(article: Article, tag_ids: set[int]) -> list[Candidate]:
    """Same topic first, then shared tags, then the rest, newest first each.

    Newest means the live version's content_updated_at, whose index lets each
    query stop after CANDIDATE_LIMIT rows; sorting a large tag's thousands of
    articles made every publish slower as the site grew. The topic gets its
    own query so that a few big tags cannot crowd it out.
    """
    public = Article.objects.public().exclude(pk=article.pk)
    shares_a_tag = Exists(
        Article.tags.through.objects.filter(
            article_id=OuterRef("pk"), tag_id__in=tag_ids
        )
    )
    rows = {}
    for group in [
        public.filter(topic_id=article.topic_id),
        public.filter(shares_a_tag),
        public,
    ]:
        newest = group.order_by("-live_version__content_updated_at", "-pk")
        for row in newest.values_list(
            "pk",
            "topic_id",
            "live_version__title",
            "live_version__relevance_terms",
            "live_version__published_at",
            "live_version_id",
        )[:CANDIDATE_LIMIT]:
            rows.setdefault(row[0], row)
    tags = {pk: set() for pk in rows}
    for article_id, tag_id in Article.tags.through.objects.filter(
        article_id__in=list(rows)
    ).values_list("article_id", "tag_id"):
        tags[article_id].add(tag_id)
    # Versions published before profiles existed get theirs now, once.
    missing = list(
        ArticleVersion.objects.filter(
            pk__in=[r[5] for r in rows.values() if r[3] is None]
        )
    )
    store_profiles(missing)
    profiles = {version.pk: version.relevance_terms for version in missing}
    return [
        Candidate(
            pk=pk,
            topic_id=topic_id,
            tag_ids=frozenset(tags[pk]),
            terms=terms if terms is not None else profiles[version_id],
            title_words=frozenset(words(title)),
            published_at=published_at,
        )
        for pk, topic_id, title, terms, published_at, version_id in rows.values()
    ]


def relevance_scores(me: Candidate, candidates: list[Candidate]) -> dict[int, float]:
    """Cosine similarity of `me` to each candidate, the word weights taken
    from these articles."""
    idf = relevance.inverse_frequencies([me.terms, *(c.terms for c in candidates)])
    mine = relevance.vector(me.terms, idf)
    return {
        other.pk: relevance.cosine(mine, relevance.vector(other.terms, idf))
        for other in candidates
    }


def is_related(me: Candidate, other: Candidate, score: float) -> bool:
    """The floor: alike texts about a shared topic or tag, or very alike texts."""
    shares = other.topic_id == me.topic_id or bool(me.tag_ids & other.tag_ids)
    return score >= VERY_SIMILAR or (shares and score >= SIMILAR)


def choose_links(
    me: Candidate,
    candidates: list[Candidate],
    picked_ids: list[int],
    faq_questions: list[frozenset[str]],
) -> list[Link]:
    """The links of one article: editors' picks (public ones, in order), then
    the related candidates most alike first, then FAQ links."""
    links = [
        Link("picked", target, position)
        for position, target in enumerate(picked_ids[:MAX_LINKS], start=1)
    ]
    scores = relevance_scores(me, candidates)
    ranked = sorted(
        (
            -(
                scores[other.pk]
                + 0.05 * (other.topic_id == me.topic_id)
                + 0.02 * len(me.tag_ids & other.tag_ids)
            ),
            -other.published_at.timestamp(),
            other.pk,
        )
        for other in candidates
        if other.pk not in picked_ids and is_related(me, other, scores[other.pk])
    )
    for position, (_, _, target) in enumerate(
        ranked[: max(0, MAX_LINKS - len(links))], start=len(links) + 1
    ):
        links.append(Link("computed", target, position))
    asks = {}
    for other in candidates:
        asks.setdefault(other.title_words, other)
    for number, question in enumerate(faq_questions, start=1):
        answered_by = asks.get(question)
        if answered_by is not None:
            links.append(Link("faq", answered_by.pk, number, faq_number=number))
    return links


def compute_links(article: Article) -> None:
    """Replace one article's stored links with fresh ones from public articles.
    Call inside the transaction that made the change (refresh does)."""
    RelatedLink.objects.filter(article=article).delete()
    version = article.live_version
    if version is None:
        return
    if version.relevance_terms is None:
        store_profiles([version])
    tag_ids = set(article.tags.values_list("pk", flat=True))
    me = Candidate(
        pk=article.pk,
        topic_id=article.topic_id,
        tag_ids=frozenset(tag_ids),
        terms=version.relevance_terms,
        title_words=frozenset(words(version.title)),
        published_at=version.published_at,
    )
    picked = [
        pick.target_id
        for pick in article.related_picks.select_related("target")
        if pick.target.is_public()
    ]
    links = choose_links(
        me,
        _candidates(article, tag_ids),
        picked,
        [frozenset(words(faq["question"])) for faq in version.faqs],
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=article,
            target_id=link.target_id,
            kind=link.kind,
            position=link.position,
            faq_number=link.faq_number,
        )
        for link in links
    )


def linking_to(article_ids: set[int]) -> set[int]:
    """Articles whose pages link to these articles now."""
    return set(
        RelatedLink.objects.filter(target_id__in=article_ids).values_list(
            "article_id", flat=True
        )
    )


def neighbour_ids(article_ids: set[int]) -> set[int]:
    """Articles that link to these articles, or that they link to."""
    pointed = RelatedLink.objects.filter(article_id__in=article_ids).values_list(
        "target_id", flat=True
    )
    return linking_to(article_ids) | set(pointed)


def remove_links(article_id: int) -> set[int]:
    """Delete every link to and from a withdrawn article at once; returns the
    articles that had a link to it (their links need filling again)."""
    affected = set(
        RelatedLink.objects.filter(target_id=article_id).values_list(
            "article_id", flat=True
        )
    )
    RelatedLink.objects.filter(
        Q(target_id=article_id) | Q(article_id=article_id)
    ).delete()
    return affected - {article_id}


def compute_all_links() -> int:
    """Recompute every public article's links (after loading a backup)."""
    count = 0
    for article in Article.objects.public().select_related("live_version").iterator():
        compute_links(article)
        count += 1
    return count
