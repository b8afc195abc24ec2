"""Reads from a PostgreSQL streaming replica where replica lag cannot matter.

With DATABASE_REPLICA_URL set, settings add a "replica" database and this
router. The rules, one place:

- Only public list pages (home, topic, person, search) read the replica, and
  only for visitors (GET or HEAD without the session cookie): list_page below.
- Only once the replica has replayed the latest change: its public-content
  counter row must equal the primary's. Every change bumps that row in its
  own transaction and a replica replays in commit order, so an equal row
  means the replica holds every change the page's tag names; a replica behind
  (or down) sends the page to the primary. A lagging replica can therefore
  never list a withdrawn article under the tag that withdrew it.
- The counter itself, the article page, the stored article page join,
  everything staff do and every write read the primary: the router answers
  "replica" only inside list_page, and never for PublicState.
- A replica that fails half-way through a page: the page is read again from
  the primary.
"""

import contextvars
import functools
import logging

from django.conf import settings
from django.db import DatabaseError, connections

from articles.models import PublicState
from articles.web.page_cache import current_state

REPLICA = "replica"

logger = logging.getLogger("articles.web.replica")

_reading_replica = contextvars.ContextVar("reading_replica", default=False)


class ReplicaRouter:
    """Reads go to the replica only inside list_page; the rest is the primary's."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and model is not PublicState:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema


def replica_configured() -> bool:
    return REPLICA in connections


def replica_is_current() -> bool:
    """Has the replica replayed the latest change the primary committed?"""
    try:
        replica_state = current_state(using=REPLICA)
    except DatabaseError as error:
        logger.warning("Replica unavailable, reading the primary: %s", error)
        connections[REPLICA].close()
        return False
    return replica_state == current_state()


def list_page(view):
    """A public list page that may read the replica (the rules above).
    Goes under @public_page, so a 304 or a cached page never gets here."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_read_replica(request) or not replica_is_current():
            return view(request, *args, **kwargs)
        token = _reading_replica.set(True)
        try:
            return _rendered(view(request, *args, **kwargs))
        except DatabaseError as error:
            logger.warning("Replica failed during %s: %s", request.path, error)
            connections[REPLICA].close()
        finally:
            _reading_replica.reset(token)
        return view(request, *args, **kwargs)

    return wrapper


def _may_read_replica(request) -> bool:
    return (
        replica_configured()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _rendered(response):
    """Render a template response now, while the replica is the one to read,
    so a lazily evaluated queryset cannot reach it after the checks."""
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response
