"""Related questions, computed when something is published or withdrawn
(publishing/refresh.py decides which articles to recompute; this module only
computes links and stores the rows).

An article's links are: the questions an editor picked (in order), then
computed ones ranked by shared topic, shared tags and how many words their
questions, short answers and FAQ questions share; up to MAX_LINKS in all. An
FAQ whose question another article answers in depth links to that article.
Links are stored as RelatedLink rows, so a page reads them in one query, and
they only ever point to public articles: withdrawing an article deletes every
link to it in the same transaction.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from articles.models import Article, RelatedLink

MAX_LINKS = 6
# Candidates scored for one article: the most recently updated of its topic,
# of the articles sharing a tag and of all others, at most this many of each,
# so publishing stays cheap however large the site is.
CANDIDATE_LIMIT = 300

STOP_WORDS = frozenset(
    """a about after again all also am an and any are as at be because been before
    being but by can could did do does doing during each few for from had has have
    having how i if in into is it its just me more most my no nor not of off on once
    only or other our out over own same should so some such than that the their them
    then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your""".split()
)


def words(text: str) -> set[str]:
    """The meaningful words of a text, lower-cased, without common short words."""
    return {
        word
        for word in re.findall(r"[^\W\d_]{3,}", text.lower())
        if word not in STOP_WORDS
    }


def similarity(a: set[str], b: set[str]) -> float:
    """Share of words two texts have in common (Jaccard), 0 to 1."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _profile_words(title: str, short_answer: str, faqs: list[dict]) -> set[str]:
    questions = " ".join(faq["question"] for faq in faqs)
    return words(f"{title} {short_answer} {questions}")


def _profile(version) -> set[str]:
    return _profile_words(version.title, version.short_answer, version.faqs)


@dataclass(frozen=True)
class _Candidate:
    """What scoring needs of a public article: plain values, because building
    hundreds of model instances per article was most of a publish's time."""

    pk: int
    topic_id: int
    tag_ids: frozenset[int]
    profile: frozenset[str]
    title_words: frozenset[str]
    published_at: datetime.datetime


def _candidates(article: Article, tag_ids: set[int]) -> list[_Candidate]:
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
            "live_version__short_answer",
            "live_version__faqs",
            "live_version__published_at",
        )[:CANDIDATE_LIMIT]:
            rows.setdefault(row[0], row)
    tags = {pk: set() for pk in rows}
    for article_id, tag_id in Article.tags.through.objects.filter(
        article_id__in=list(rows)
    ).values_list("article_id", "tag_id"):
        tags[article_id].add(tag_id)
    return [
        _Candidate(
            pk=pk,
            topic_id=topic_id,
            tag_ids=frozenset(tags[pk]),
            profile=frozenset(_profile_words(title, short_answer, faqs)),
            title_words=frozenset(words(title)),
            published_at=published_at,
        )
        for pk, topic_id, title, short_answer, faqs, published_at in rows.values()
    ]


def compute_links(article: Article) -> None:
    """Replace one article's stored links with fresh ones from public articles.
    Call inside the transaction that made the change (refresh does)."""
    RelatedLink.objects.filter(article=article).delete()
    version = article.live_version
    if version is None:
        return
    links = []
    picked = [
        pick.target
        for pick in article.related_picks.select_related("target")
        if pick.target.is_public()
    ][:MAX_LINKS]
    for position, target in enumerate(picked, start=1):
        links.append(
            RelatedLink(
                article=article, target=target, kind="picked", position=position
            )
        )

    tag_ids = set(article.tags.values_list("pk", flat=True))
    candidates = _candidates(article, tag_ids)
    profile = _profile(version)
    scored = []
    for other in candidates:
        score = (
            2.0 * (other.topic_id == article.topic_id)
            + 1.5 * len(tag_ids & other.tag_ids)
            + 6.0 * similarity(profile, other.profile)
        )
        scored.append((-score, -other.published_at.timestamp(), other))
    scored.sort(key=lambda item: item[:2])
    picked_ids = {target.pk for target in picked}
    computed = [other for _, _, other in scored if other.pk not in picked_ids]
    for position, target in enumerate(
        computed[: MAX_LINKS - len(picked)], start=len(picked) + 1
    ):
        links.append(
            RelatedLink(
                article=article,
                target_id=target.pk,
                kind="computed",
                position=position,
            )
        )

    asks = {}
    for other in candidates:
        asks.setdefault(other.title_words, other)
    for number, faq in enumerate(version.faqs, start=1):
        answered_by = asks.get(frozenset(words(faq["question"])))
        if answered_by is not None:
            links.append(
                RelatedLink(
                    article=article,
                    target_id=answered_by.pk,
                    kind="faq",
                    position=number,
                    faq_number=number,
                )
            )
    RelatedLink.objects.bulk_create(links)


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
