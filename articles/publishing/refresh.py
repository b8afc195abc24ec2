"""The one owner of what follows a change to what visitors see.

Writers (the workflow, the admin for topics, people and site pages, the backup
loader) only say what changed: `published`, `withdrawn`, `rereviewed`,
`links_changed`, `topic_changed`, `person_changed`, `site_changed`,
`synonyms_changed`, `everything_changed`. This module decides what to rebuild and in which order:

1. the search index and relevance profile of new versions;
2. related links: withdrawn articles lose every link to and from them, and
   new articles get fresh ones, each article once; their neighbours (the
   articles that should now link to a new article, or lost a link to a
   withdrawn one) get theirs from the task worker (`relink_neighbours`);
3. the stored page of every article whose page shows something that changed,
   including every page that linked to a withdrawn article (no page links to
   it once the withdrawal commits) or links to a republished one (its new
   question shows everywhere from the commit on);
4. the public-content counter, moved on once (page cache keys, ETags and
   Last-Modified derive from it). It moves first: its row lock makes
   concurrent changes (a request and the worker) run one after the other, so
   the worker can never store a link to an article withdrawn meanwhile;
5. the purge hook (`DJANGO_PUBLIC_PURGE_HOOK`), called once, after commit.

Changes recorded inside `collecting()` (an admin request, a command, a bulk
action) are applied once when it ends, inside its transaction; a change
recorded outside one is applied at once. Nothing else bumps the counter or
calls the purge hook.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from articles.models import Article, ArticleVersion, PublicState, RelatedPick
from articles.publishing import related, search_index, stored_pages


@dataclass
class Changes:
    """What one transaction changed that visitors see."""

    new_versions: set[int] = field(default_factory=set)
    published: set[int] = field(default_factory=set)
    withdrawn: set[int] = field(default_factory=set)
    rereviewed: set[int] = field(default_factory=set)
    links: set[int] = field(default_factory=set)
    neighbours: set[int] = field(default_factory=set)
    topics: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    site: bool = False
    synonyms: bool = False
    everything: bool = False


_scope = threading.local()


@contextmanager
def collecting():
    """Collect the public changes made inside, and apply them once at the end,
    in the same transaction. Nested scopes join the outermost one."""
    if getattr(_scope, "changes", None) is not None:
        yield _scope.changes
        return
    with transaction.atomic():
        _scope.changes = Changes()
        try:
            yield _scope.changes
            changes = _scope.changes
        finally:
            _scope.changes = None
        if changes != Changes():
            _apply(changes)


def _record(update) -> None:
    with collecting() as changes:
        update(changes)


def published(article: Article, version: ArticleVersion) -> None:
    _record(lambda c: (c.published.add(article.pk), c.new_versions.add(version.pk)))


def withdrawn(article: Article) -> None:
    _record(lambda c: c.withdrawn.add(article.pk))


def rereviewed(article: Article, version: ArticleVersion) -> None:
    _record(lambda c: (c.rereviewed.add(article.pk), c.new_versions.add(version.pk)))


def links_changed(article: Article) -> None:
    """An editor changed a public article's related picks or tags."""
    _record(lambda c: c.links.add(article.pk))


@task()
def relink_neighbours(article_ids: list[int]) -> int:
    """The worker's half of a publication or withdrawal: fresh related links
    and stored pages for the articles around it."""
    _record(lambda c: c.neighbours.update(article_ids))
    return len(article_ids)


def topic_changed(topic) -> None:
    _record(lambda c: c.topics.add(topic.pk))


def person_changed(person) -> None:
    _record(lambda c: c.people.add(person.pk))


def site_changed() -> None:
    """Something every page or list shows changed (a site page, a deletion)."""
    _record(lambda c: setattr(c, "site", True))


@task()
def synonyms_changed() -> None:
    """Editors changed the synonym groups: every live version's relevance
    profile, every article's links and every stored page again. A task, as
    the admin cannot wait for a whole site."""
    _record(lambda c: setattr(c, "synonyms", True))


def everything_changed() -> None:
    """A backup was loaded: rebuild every index, link and stored page."""
    _record(lambda c: setattr(c, "everything", True))


def _apply(changes: Changes) -> None:
    _public_content_changed()  # first: its UPDATE takes take_turn()'s row lock
    if changes.everything or changes.synonyms:
        search_index.index_missing_versions()
        related.store_all_profiles()
        related.compute_all_links()
        stored_pages.store_all()
    else:
        versions = list(ArticleVersion.objects.filter(pk__in=changes.new_versions))
        for version in versions:
            search_index.index_version(version)
        related.store_profiles(versions)
        for article_id in _relink(changes):
            stored_pages.store(article_id)


def _relink(changes: Changes) -> set[int]:
    """Recompute related links now for the changed articles, and give their
    neighbours to the worker; returns every article whose page to store."""
    to_store = changes.published | changes.withdrawn | changes.rereviewed
    later = set()
    for article_id in changes.withdrawn:
        lost_a_link = related.remove_links(article_id)
        to_store |= lost_a_link
        later |= lost_a_link
    own = changes.published | changes.links | changes.neighbours
    for article in (
        Article.objects.public().select_related("live_version").filter(pk__in=own)
    ):
        related.compute_links(article)
    if changes.published:
        # Pages that already link to a republished article show its new
        # question from the commit on; which pages should link to it is
        # the worker's to decide.
        to_store |= related.linking_to(changes.published)
        later |= related.neighbour_ids(changes.published)
        later |= set(
            RelatedPick.objects.filter(target_id__in=changes.published).values_list(
                "article_id", flat=True
            )
        )
    later -= own
    if later:
        # A job row in this transaction: the worker sees it once this commits.
        relink_neighbours.enqueue(sorted(later))
    to_store |= own
    if changes.topics or changes.people:
        to_store |= set(
            Article.objects.public()
            .filter(
                Q(live_version__topic__in=changes.topics)
                | Q(live_version__author__in=changes.people)
                | Q(live_version__reviewer__in=changes.people)
            )
            .values_list("pk", flat=True)
        )
    return to_store


def take_turn() -> None:
    """Wait for, and hold until commit, the public-content counter's row lock:
    public changes (a transition, the worker's refresh) then run one at a time
    and lock the rows they share in one order, counter first."""
    list(PublicState.objects.select_for_update().filter(pk=1))


def _now_us() -> int:
    return int(timezone.now().timestamp() * 1_000_000)


def _public_content_changed() -> None:
    """Move the public-content counter on, and purge once the change commits.

    The change time moves on by at least a second each time, so that
    Last-Modified (whole seconds) differs after every change even when two
    come within a second or an app server's clock is behind: a cache that
    revalidates with If-Modified-Since alone never keeps a withdrawn page."""
    updated = PublicState.objects.filter(pk=1).update(
        generation=F("generation") + 1,
        changed_us=Greatest(F("changed_us") + 1_000_000, _now_us()),
    )
    if not updated:
        PublicState.objects.create(pk=1, generation=1, changed_us=_now_us())
    hook = getattr(settings, "PUBLIC_PURGE_HOOK", "")
    if hook:
        transaction.on_commit(import_string(hook))
