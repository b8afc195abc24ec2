"""HTTP caching and the page cache for anonymous visitors, correct across processes.

What visitors can see changes only when something is published, withdrawn or
re-reviewed, when related links are recomputed, or when a topic, person or site
page is edited. publishing/refresh.py then bumps one counter row in the
database, once per transaction. Public pages:

- answer a conditional GET (If-None-Match / If-Modified-Since) with 304 after
  one small query, before rendering anything;
- keep rendered pages in Django's cache (per process by default; Redis or
  memcached through settings) under keys that contain the counter, so once a
  withdrawal commits no process or machine can find the old page again;
- do both in VisitorPageMiddleware, before the session, CSRF, auth, messages
  and CSP middleware, which a visitor's 304 or cached page does not need;
- send Cache-Control with a short max-age for browsers and a longer s-maxage
  for shared caches; a CDN in front is told to purge through PUBLIC_PURGE_HOOK.

Logged-in staff bypass all of this and get private, uncached responses, since
they may see previews.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from articles.models import PublicState
from articles.publishing.structured_data import site_origin

CACHEABLE_STATUS = {200, 301, 410}
# The query parameters public pages read (search words, page number): other
# parameters change nothing, so their answers are not kept, or anyone could
# push real pages out of the cache with ?x=1, ?x=2, ...
PAGE_PARAMETERS = {"q", "page"}

logger = logging.getLogger("articles.web.page_cache")


def current_state(using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """(generation, changed_us), read on every public request from the
    primary: a fixed SQL statement, since building an ORM query took longer
    than running it. web/replica.py asks a replica the same question."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT generation, changed_us FROM {PublicState._meta.db_table} "
            "WHERE id = 1"
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, 0)


def public_validators() -> tuple[str, str, int]:
    """(tag, ETag, Last-Modified) of everything visitors can see right now.
    The change time makes the tag unique even if a restored database counts
    from an earlier number while a shared cache still holds pages; the
    release (DJANGO_RELEASE) makes a deploy of new templates a change too."""
    generation, changed_us = current_state()
    tag = f"{generation}-{changed_us}{settings.RELEASE_TAG}"
    return tag, f'"{tag}"', changed_us // 1_000_000  # HTTP dates: whole seconds


def _cache_key(request, tag: str) -> str:
    # Pages carry absolute addresses (canonical, JSON-LD), so the scheme and
    # host are part of the key.
    address = site_origin(request) + request.get_full_path()
    path = hashlib.sha256(address.encode("utf-8")).hexdigest()
    return f"page:{tag}:{request.method == 'HEAD'}:{path}"


def _may_be_signed_in(request) -> bool:
    """Only a session can sign someone in here, so a request without the
    session cookie is a visitor's, and the session need not be loaded."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        and request.user.is_authenticated
    )


def not_modified(request, etag: str, last_modified: int):
    """A 304 response if the request's validators match, else None.

    A browser or CDN revalidating sends back exactly the ETag it was given,
    so that is compared first; anything else (lists, weak tags, dates only)
    goes through Django's full RFC 9110 rules.
    """
    meta = request.META
    if meta.get("HTTP_IF_NONE_MATCH") == etag:
        return HttpResponseNotModified()
    if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        # Only a 304: anything else (a 412 for If-Match) is the view's to give.
        if response is not None and response.status_code == 304:
            return response
    return None


def public_page(view):
    """Serve a public page: private and uncached for signed-in staff; for
    visitors with validators and Cache-Control (VisitorPageMiddleware answers
    their 304s and keeps their pages; without it, the 304s are answered here)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _may_be_signed_in(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        validators = getattr(request, "public_validators", None)
        if validators is None:  # not through the middleware (a stale cookie)
            _, etag, last_modified = public_validators()
            unchanged = not_modified(request, etag, last_modified)
            if unchanged is not None:
                return _with_headers(unchanged, etag, last_modified)
        else:
            etag, last_modified = validators
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return _with_headers(response, etag, last_modified)

    wrapper.serves_visitors = True  # VisitorPageMiddleware answers for it
    return wrapper


class VisitorPageMiddleware:
    """A visitor's request for a public page: the 304 and the page cache,
    before the session, CSRF, authentication, messages and CSP middleware.

    A visitor (a GET or HEAD without the session cookie, for a URL whose view
    is a public_page) needs none of them for a 304 or for a page already
    rendered; the cache keeps the complete response, the headers the
    middleware below added (CSP, X-Frame-Options, Vary) included, under a key
    holding the public-content tag, so once a change commits no process finds
    the old page. A response that sets a cookie or is not public is never
    kept; a database that does not answer sends the request the normal way
    (which answers 503). Placed after SecurityMiddleware (HTTPS redirect,
    HSTS) and WhiteNoise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._for_visitor(request):
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check
        try:
            tag, etag, last_modified = public_validators()
        except DatabaseError:
            return self.get_response(request)
        unchanged = not_modified(request, etag, last_modified)
        if unchanged is not None:
            return _with_headers(unchanged, etag, last_modified)
        key = _cache_key(request, tag)
        response = _cache_call(cache.get, key)
        if response is None:
            request.public_validators = (etag, last_modified)
            response = self.get_response(request)
            if _keepable(response) and set(request.GET) <= PAGE_PARAMETERS:
                _cache_call(cache.set, key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _for_visitor(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return getattr(match.func, "serves_visitors", False)


def _cache_call(method, *args):
    """A page-cache read or write that never fails the page: with Redis or
    memcached down, visitors get freshly rendered pages, and the log says why."""
    try:
        return method(*args)
    except Exception:
        logger.exception("Page cache unavailable; serving without it.")
        return None


def _keepable(response) -> bool:
    """A visitor's finished page that can be given to the next visitor. A
    streamed response (a sitemap file) is written as it is read, so there is
    nothing to keep; the validators still apply."""
    return (
        response.status_code in CACHEABLE_STATUS
        and not response.streaming
        and not response.cookies
        and response.get("Cache-Control", "").startswith("public")
    )


def _with_headers(response, etag: str, last_modified: int):
    """Validators and Cache-Control of a visitor's response. Public views set
    no Cache-Control of their own, so the header is written, not merged.
    Vary: Cookie on every one, the 304 included (it renders nothing that
    would add it): a signed-in editor gets another answer at the same URL."""
    if "Vary" in response:
        patch_vary_headers(response, ("Cookie",))
    else:
        response["Vary"] = "Cookie"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = (
        f"public, max-age={settings.BROWSER_CACHE_SECONDS}, "
        f"s-maxage={settings.SHARED_CACHE_SECONDS}"
    )
    return response
