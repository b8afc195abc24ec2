"""Who may call the partner API, how often, and whether anything changed
since they last asked: the gate every /api/v1/ request passes before its
endpoint runs.

1. A partner key in the X-API-Key header (models/partners.py). Without one,
   only when DJANGO_API_ANONYMOUS is on, and then API_ANONYMOUS_PER_MINUTE
   requests a minute per address. A wrong or revoked key is refused even
   then: a partner should learn its key stopped working.
2. The key's requests per minute, counted in Django's cache (shared by every
   app server when the cache is Redis; per process with the default memory
   cache), then 429 with Retry-After. Each accepted request is counted in
   the key's usage for the day.
3. The public-content validators (web/page_cache.py): the same counter the
   pages use, so a partner's If-None-Match gets 304 until something visitors
   can see changes.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.utils.http import http_date
from ninja.security import APIKeyHeader

from articles.models import PartnerKey
from articles.web import page_cache
from cms.security import client_ip

KEY_HEADER = "X-API-Key"
logger = logging.getLogger("articles.api")
WINDOW_SECONDS = 60


class TooManyRequests(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class NotModified(Exception):
    """The partner already has this answer (raised by the gate; answered 304)."""


class Anonymous:
    """request.auth of a caller without a key, when anonymous access is on."""

    pk = None

    def __str__(self) -> str:
        return "anonymous"


class PartnerGate(APIKeyHeader):
    param_name = KEY_HEADER

    def __call__(self, request):
        key = self._get_key(request)
        if key is None and settings.API_ANONYMOUS:
            partner = Anonymous()
            limit = settings.API_ANONYMOUS_PER_MINUTE
            counter = f"anonymous:{client_ip(request)}"
        else:
            partner = self.authenticate(request, key)
            if partner is None:
                return None  # 401
            limit, counter = partner.requests_per_minute, f"key:{partner.key_hash[:20]}"
        _count_against_limit(counter, limit)
        if partner.pk is not None:
            partner.count_request()
        _, etag, last_modified = page_cache.public_validators()
        request.api_validators = (etag, last_modified)
        if page_cache.not_modified(request, etag, last_modified) is not None:
            raise NotModified
        return partner

    def authenticate(self, request, key):
        return PartnerKey.objects.authenticate(key)


def _count_against_limit(counter: str, limit: int) -> None:
    """A fixed one-minute window: add() then incr(), both atomic in Redis and
    in the memory cache, so concurrent requests cannot both take the last one.
    With the cache down the limit is not applied (and the log says so), as
    the public pages go on without the page cache."""
    window = int(time.time()) // WINDOW_SECONDS
    key = f"api-rate:{counter}:{window}"
    try:
        cache.add(key, 0, WINDOW_SECONDS + 5)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS + 5)
            used = 1
    except Exception:
        logger.exception("Cache unavailable: API rate limits not applied.")
        return
    if used > limit:
        raise TooManyRequests(WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS)


def with_validators(response, request):
    """ETag, Last-Modified and Cache-Control on an API answer: partners
    revalidate every time (cheap 304s), and no shared cache keeps an answer
    that needed a key."""
    validators = getattr(request, "api_validators", None)
    if validators is not None and response.status_code in (200, 304):
        etag, last_modified = validators
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, no-cache"
    return response


def not_modified_response(request) -> HttpResponseNotModified:
    return with_validators(HttpResponseNotModified(), request)
