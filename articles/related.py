"""Related questions, computed when something is published or withdrawn.

An article's links are: the questions an editor picked (in order), then
computed ones ranked by shared topic, shared tags and how many words their
questions, short answers and FAQ questions share; up to MAX_LINKS in all. An
FAQ whose question another article answers in depth links to that article.
Links are stored as RelatedLink rows, so a page reads them in one query, and
they only ever point to public articles: withdrawing an article deletes every
link to it in the same transaction.
"""

import re

from django.db import transaction
from django.db.models import Q

from articles import pages
from articles.caching import public_content_changed
from articles.models import Article, RelatedLink, RelatedPick

MAX_LINKS = 6
# Candidates scored for one article: its topic and tag neighbours, plus the most
# recently updated others, so publishing stays cheap however large the site is.
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


def _profile(version) -> set[str]:
    questions = " ".join(faq["question"] for faq in version.faqs)
    return words(f"{version.title} {version.short_answer} {questions}")


def _candidates(article: Article) -> list[Article]:
    # Only what scoring needs: loading whole versions (HTML and all) for
    # hundreds of candidates made publishing slow.
    public = (
        Article.objects.public()
        .exclude(pk=article.pk)
        .select_related("live_version")
        .only(
            "pk",
            "topic_id",
            "live_version__title",
            "live_version__short_answer",
            "live_version__faqs",
            "live_version__published_at",
        )
        .prefetch_related("tags")
    )
    tag_ids = list(article.tags.values_list("pk", flat=True))
    near = public.filter(Q(topic_id=article.topic_id) | Q(tags__in=tag_ids)).distinct()
    found = {
        a.pk: a for a in near.order_by("-live_version__published_at")[:CANDIDATE_LIMIT]
    }
    for other in public.order_by("-live_version__published_at")[:CANDIDATE_LIMIT]:
        found.setdefault(other.pk, other)
    return list(found.values())


@transaction.atomic
def compute_links(article: Article) -> None:
    """Replace one article's stored links with fresh ones from public articles."""
    RelatedLink.objects.filter(article=article).delete()
    version = article.live_version
    if version is None:
        pages.refresh(article)
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

    candidates = _candidates(article)
    profile = _profile(version)
    tag_ids = set(article.tags.values_list("pk", flat=True))
    scored = []
    for other in candidates:
        shared_tags = len(tag_ids & {tag.pk for tag in other.tags.all()})
        score = (
            2.0 * (other.topic_id == article.topic_id)
            + 1.5 * shared_tags
            + 6.0 * similarity(profile, _profile(other.live_version))
        )
        scored.append((-score, -other.live_version.published_at.timestamp(), other))
    scored.sort(key=lambda item: item[:2])
    picked_ids = {target.pk for target in picked}
    computed = [other for _, _, other in scored if other.pk not in picked_ids]
    for position, target in enumerate(
        computed[: MAX_LINKS - len(picked)], start=len(picked) + 1
    ):
        links.append(
            RelatedLink(
                article=article, target=target, kind="computed", position=position
            )
        )

    asks = {}
    for other in candidates:
        asks.setdefault(frozenset(words(other.live_version.title)), other)
    for number, faq in enumerate(version.faqs, start=1):
        answered_by = asks.get(frozenset(words(faq["question"])))
        if answered_by is not None:
            links.append(
                RelatedLink(
                    article=article,
                    target=answered_by,
                    kind="faq",
                    position=number,
                    faq_number=number,
                )
            )
    RelatedLink.objects.bulk_create(links)
    pages.refresh(article)
    public_content_changed()


def _neighbour_ids(article: Article) -> set[int]:
    """Articles that link to `article`, or that it links to."""
    pointing = RelatedLink.objects.filter(target=article).values_list(
        "article_id", flat=True
    )
    pointed = RelatedLink.objects.filter(article=article).values_list(
        "target_id", flat=True
    )
    return set(pointing) | set(pointed)


@transaction.atomic
def refresh_after_publish(article: Article) -> None:
    """A newly published article gets its links, and its neighbours may now
    link to it."""
    compute_links(article)
    # Neighbours, and articles whose editors picked this one (a pick shows
    # again as soon as its target is public again).
    picked_by = set(
        RelatedPick.objects.filter(target=article).values_list("article_id", flat=True)
    )
    affected = (_neighbour_ids(article) | picked_by) - {article.pk}
    for neighbour in Article.objects.public().filter(pk__in=affected):
        compute_links(neighbour)


@transaction.atomic
def refresh_after_withdrawal(article: Article) -> None:
    """Remove every link to a withdrawn article at once, then refill the pages
    that had one."""
    affected = set(
        RelatedLink.objects.filter(target=article).values_list("article_id", flat=True)
    )
    RelatedLink.objects.filter(Q(target=article) | Q(article=article)).delete()
    for neighbour in Article.objects.public().filter(pk__in=affected):
        compute_links(neighbour)


def refresh_all() -> int:
    """Recompute every public article's links (after loading a backup)."""
    count = 0
    for article in Article.objects.public().iterator():
        compute_links(article)
        count += 1
    return count
