"""The full-text index of live versions (PostgreSQL), written when a version
is created (by publishing.refresh) and read by the search page (web/search.py).

Each version's words go once into ArticleVersion.search_vector (GIN index from
migration 0003), and its title, FAQ questions and short answer also into
rank_vector (GIN index from migration 0010). On SQLite nothing is indexed: the
search page falls back to LIKE.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connections, router
from django.db.models import Q, Value

from articles.models import ArticleVersion
from articles.text.control_characters import strip_control_characters
from articles.text.markdown_words import plain_text

CONFIG = "english"


def _weighted_texts(version: ArticleVersion) -> dict[str, str]:
    """The words of a version by weight: A title and FAQ questions, B short
    answer, C body and FAQ answers. All as plain_text(): PostgreSQL's parser
    takes "<style" or "<script" in any text for a tag and skips the words
    after it, so a title that mentions one could not be found by its words."""
    faqs = version.faqs or []
    texts = {
        "A": plain_text(" ".join([version.title, *(f["question"] for f in faqs)])),
        "B": plain_text(version.short_answer),
        "C": " ".join(
            plain_text(t) for t in [version.body, *(f["answer"] for f in faqs)]
        ),
    }
    return {
        weight: strip_control_characters(text, " ") for weight, text in texts.items()
    }


def index_version(version: ArticleVersion) -> None:
    """Fill the PostgreSQL full-text index of a new version; no-op elsewhere.

    Versions are immutable, but the index is derived from their words, so it is
    written with one UPDATE of that row (not save()). Calling it again is
    harmless: it writes the same vector.
    """
    alias = router.db_for_write(ArticleVersion, instance=version)
    if connections[alias].vendor != "postgresql":
        return
    vectors = [
        SearchVector(Value(text), config=CONFIG, weight=weight)
        for weight, text in _weighted_texts(version).items()
    ]
    ArticleVersion.objects.using(alias).filter(pk=version.pk).update(
        search_vector=vectors[0] + vectors[1] + vectors[2],
        rank_vector=vectors[0] + vectors[1],
    )


def index_missing_versions() -> int:
    """Index every version that has no search or rank vector yet (e.g. those
    published before search existed): for a data migration or a command.
    Returns how many versions it indexed (0 on SQLite)."""
    versions = ArticleVersion.objects.filter(
        Q(search_vector__isnull=True) | Q(rank_vector__isnull=True)
    )
    if connections[versions.db].vendor != "postgresql":
        return 0
    count = 0
    for version in versions.iterator():
        index_version(version)
        count += 1
    return count
