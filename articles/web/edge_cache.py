"""What nginx's page cache in front of the app servers needs from us.

Stock nginx cannot purge, so it keys every cached page by the public-content
tag instead (deploy/nginx/health.conf): before answering from its cache it
asks `public_state` for the tag, through a subrequest whose answer it keeps
for one second. A change to public content moves the tag on, so once nginx
knows the new tag no old page can be found.

`refresh_nginx` is the purge hook (DJANGO_PUBLIC_PURGE_HOOK): publishing's
refresh calls it once per change, after commit, and it asks each nginx to
fetch the tag again at once (its refresh listener bypasses the cache for
that one request and stores the answer), so a withdrawal is not served even
for the rest of that second. If an nginx cannot be reached, its copy of the
tag still expires within a second.
"""

import logging
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse

from articles.web import page_cache

logger = logging.getLogger("articles.web.edge_cache")

TAG_HEADER = "X-Public-Tag"


def public_state(request):
    """The tag every public page's ETag and cache key are made from. It says
    no more than any page's ETag, so it needs no protection; nginx hides it
    from visitors (the location is internal).

    With the database down it still answers 200, with no tag: nginx turns
    any other status into a 500 for the visitor, and without a tag it
    neither keeps nor serves a cached page, so the visitor gets the app's
    friendly 503."""
    response = HttpResponse(b"", content_type="text/plain")
    try:
        response[TAG_HEADER] = page_cache.public_validators()[0]
    except DatabaseError as error:
        logger.warning("No public-content tag for nginx: %s", error)
    response["Cache-Control"] = "no-store"
    return response


def refresh_nginx() -> None:
    """Ask every nginx in DJANGO_NGINX_REFRESH_URLS to fetch the tag again.

    Runs after the change committed, so it never raises: an nginx that does
    not answer is logged, and forgets the old tag within a second anyway."""
    host = urlsplit(settings.SITE_URL).hostname
    for url in settings.NGINX_REFRESH_URLS:
        try:
            with urlopen(
                Request(url, headers={"Host": host}),
                timeout=settings.NGINX_REFRESH_TIMEOUT,
            ) as answer:
                answer.read()
        except OSError as error:
            logger.warning("Could not refresh nginx's page tag at %s: %s", url, error)
