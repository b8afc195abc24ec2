"""The partner API, version 1 (/api/v1/; docs/api.md): read-only JSON of the
live versions only, for partners who syndicate our approved answers.

Built on django-ninja: its OpenAPI description (/api/v1/openapi.json) comes
from these signatures and schemas. Its interactive docs page is off: it loads
Swagger UI from a CDN, which our Content-Security-Policy forbids, and the
description plus docs/api.md serve partners better. Every endpoint is a GET
behind access.PartnerGate.
"""

import datetime
import re

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponsePermanentRedirect
from django.urls import URLPattern, reverse
from django.utils.http import urlencode
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from articles.api import access, schemas
from articles.models import ArticleVersion, Person, PublicState, ReviewEvent, Topic
from articles.publishing.structured_data import site_origin
from articles.web.search import search_page

PAGE_SIZE = 50
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
CHANGES_PAGE_SIZE = 200


class ExactTimesEncoder(NinjaJSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds), so a
    change's `at` given back as `since` does not return that change again."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


class ExactTimesRenderer(JSONRenderer):
    encoder_class = ExactTimesEncoder


api = NinjaAPI(
    title="Health Answers partner API",
    version="1",
    description=(
        "Medically reviewed health answers, exactly as approved and published. "
        "Send your key in the X-API-Key header. Answers carry ETag and "
        "Last-Modified; send them back for a 304 when nothing changed. Poll "
        "/changes to learn what to fetch again and what to remove."
    ),
    urls_namespace="api-v1",
    docs_url=None,
    auth=access.PartnerGate(),
    renderer=ExactTimesRenderer(),
)


@api.exception_handler(AuthenticationError)
def _no_key(request, exc):
    response = api.create_response(
        request,
        {"detail": f"Send a valid partner API key in the {access.KEY_HEADER} header."},
        status=401,
    )
    response["WWW-Authenticate"] = f'ApiKey header="{access.KEY_HEADER}"'
    return response


@api.exception_handler(access.NotModified)
def _not_modified(request, exc):
    return access.not_modified_response(request)


@api.exception_handler(access.TooManyRequests)
def _too_many(request, exc):
    response = api.create_response(
        request,
        {"detail": f"Too many requests: try again in {exc.retry_after} s."},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _with_validators(run):
    def wrapper(request, *args, **kwargs):
        return access.with_validators(run(request, *args, **kwargs), request)

    return wrapper


api.add_decorator(_with_validators, mode="view")


def urls():
    """api.urls without django-ninja's csrf_exempt: as everywhere on the site,
    a POST without a CSRF token is refused (403) before anything else runs.
    The API only reads and takes its key from a header, so partners never
    meet this."""
    patterns, app_name, namespace = api.urls
    checked = [
        URLPattern(p.pattern, _not_exempt(p.callback), p.default_args, p.name)
        for p in patterns
    ]
    return checked, app_name, namespace


def _not_exempt(view):
    """`view` without its csrf_exempt mark (a plain wrapper: functools.wraps
    would copy the mark)."""

    def checked(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return checked


def _api_url(request, name: str, **kwargs) -> str:
    return site_origin(request) + reverse(f"api-v1:{name}", kwargs=kwargs)


def _page_links(request, name: str, page, **params) -> dict:
    def link(number):
        return _api_url(request, name) + "?" + urlencode(params | {"page": number})

    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }


def _one_page(request, items, number: int):
    paginator = Paginator(items, PAGE_SIZE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise HttpError(
            404, f"There is no page {number}: the last is {paginator.num_pages}."
        )
    return paginator.page(number)


@api.get("/articles", response=schemas.ArticlePage, url_name="articles")
def list_articles(request, page: Query[int] = 1, topic: Query[str] = ""):
    """Every live article, most recently updated first, a page at a time."""
    if page < 1:
        raise HttpError(400, "page must be 1 or more.")
    versions = (
        ArticleVersion.objects.live()
        .listing()
        .select_related("topic")
        .order_by("-content_updated_at", "pk")
    )
    if topic:
        if not SLUG.fullmatch(topic):
            raise HttpError(400, "topic must be a topic's slug, e.g. sleep.")
        versions = versions.filter(topic__slug=topic)
    one = _one_page(request, versions, page)
    origin = site_origin(request)
    params = {"topic": topic} if topic else {}
    return _page_links(request, "articles", one, **params) | {
        "results": [
            schemas.summary_out(v, origin, _api_url(request, "article", slug=v.slug))
            for v in one.object_list
        ]
    }


@api.get(
    "/articles/{slug}",
    response={
        200: schemas.ArticleOut,
        301: None,
        404: schemas.Problem,
        410: schemas.Problem,
    },
    url_name="article",
)
def article_detail(request, slug: str):
    """One live article: the approved text, its sources, bylines and history.
    An address a live article used to have answers 301 to its current one;
    a withdrawn article's 410 (remove it), as on the site."""
    if not SLUG.fullmatch(slug):
        raise HttpError(404, "No live article has this slug.")
    version = (
        ArticleVersion.objects.live()
        .select_related("topic", "author", "reviewer")
        .filter(slug=slug)
        .first()
    )
    if version is not None:
        return schemas.article_out(
            version, site_origin(request), _api_url(request, "article", slug=slug)
        )
    earlier = (
        ArticleVersion.objects.filter(slug=slug)
        .select_related("article__live_version")
        .order_by("-published_at")
        .first()
    )
    if earlier is None:
        raise HttpError(404, f"No live article has the slug {slug!r}.")
    current = earlier.article.live_version
    if current is None:
        raise HttpError(410, f"The article {slug!r} was withdrawn: remove it.")
    return HttpResponsePermanentRedirect(
        _api_url(request, "article", slug=current.slug)
    )


@api.get("/topics", response=list[schemas.TopicOut], url_name="topics")
def list_topics(request):
    """Topics with at least one live article."""
    origin = site_origin(request)
    return [
        schemas.topic_out(topic, origin)
        for topic in Topic.objects.with_public_articles().order_by("name")
    ]


@api.get("/people", response=list[schemas.PersonOut], url_name="people")
def list_people(request):
    """Authors and medical reviewers of live articles."""
    live = ArticleVersion.objects.live()
    people = Person.objects.filter(
        Exists(live.filter(Q(author=OuterRef("pk")) | Q(reviewer=OuterRef("pk"))))
    ).order_by("name", "pk")
    origin = site_origin(request)
    return [schemas.person_out(person, origin) for person in people]


@api.get("/search", response=schemas.SearchOut, url_name="search")
def search(request, q: Query[str] = "", page: Query[int] = 1):
    """Live articles matching q, best first (the site's own search)."""
    if page < 1:
        raise HttpError(400, "page must be 1 or more.")
    found = search_page(q, str(page))
    if found.page_obj is not None and found.page_obj.number != page:
        last = found.page_obj.paginator.num_pages
        raise HttpError(404, f"There is no page {page}: the last is {last}.")
    results = []
    links = {"count": 0, "page": 1, "pages": 1, "next": None, "previous": None}
    if found.page_obj is not None:
        links = _page_links(request, "search", found.page_obj, q=found.query)
        results = [
            {
                "slug": result.version.slug,
                "title": result.title,
                "url": site_origin(request) + result.url,
                "api_url": _api_url(request, "article", slug=result.version.slug),
                "snippet_html": str(result.snippet),
            }
            for result in found.page_obj.object_list
        ]
    return links | {"query": found.query, "message": found.message, "results": results}


CHANGE_ACTIONS = {
    ReviewEvent.Action.PUBLISH: "published",
    ReviewEvent.Action.RECONFIRM: "reviewed",
    ReviewEvent.Action.UNPUBLISH: "withdrawn",
}


def _epoch() -> str:
    return PublicState.objects.values_list("history_epoch", flat=True).first() or "0"


def _after(cursor: str) -> int:
    """The change id a cursor ("<epoch>.<id>", from `cursor` or `next`)
    points after; 410 if it names another review log (a restored backup)."""
    epoch, _, number = cursor.rpartition(".")
    if not epoch or not number.isdigit() or len(cursor) > 40:
        raise HttpError(400, "after must be a cursor from this feed, e.g. 0.1234.")
    if epoch != _epoch():
        raise HttpError(
            410,
            "This cursor is from before the site's history was restored from a "
            "backup: fetch /articles again, then follow /changes?since= from now.",
        )
    return int(number)


@api.get(
    "/changes",
    response={200: schemas.ChangeFeed, 400: schemas.Problem, 410: schemas.Problem},
    url_name="changes",
)
def changes(
    request,
    since: Query[datetime.datetime | None] = None,
    after: Query[str] = "",
):
    """What visitors can see that changed, oldest first: after the time
    `since` (ISO 8601), or after the change whose `cursor` is `after` (as in
    the `next` link). A withdrawn article is listed as "withdrawn": remove it
    from your site."""
    if since is not None and since.tzinfo is None:
        raise HttpError(400, "since needs a time zone, e.g. 2026-12-01T00:00:00Z.")
    try:
        since_utc = since and since.astimezone(datetime.UTC)
    except OverflowError:
        raise HttpError(400, "since is out of range.") from None
    events = ReviewEvent.objects.filter(
        action__in=list(CHANGE_ACTIONS), version__isnull=False
    ).select_related("article__live_version", "version")
    if after:
        events = events.filter(pk__gt=_after(after))
    if since_utc is not None:
        events = events.filter(at__gt=since_utc)
    rows = list(events.order_by("pk")[: CHANGES_PAGE_SIZE + 1])
    more = len(rows) > CHANGES_PAGE_SIZE
    rows = rows[:CHANGES_PAGE_SIZE]
    epoch = _epoch()
    results = [_change(request, event, epoch) for event in rows]
    next_link = None
    if more:
        query = urlencode({"after": results[-1]["cursor"]})
        next_link = _api_url(request, "changes") + "?" + query
    return {"since": since, "results": results, "next": next_link}


def _change(request, event: ReviewEvent, epoch: str) -> dict:
    """One change, naming the article by the slug of the version it concerns
    (a withdrawal's is that of the version that was live)."""
    action = CHANGE_ACTIONS[event.action]
    # Where to fetch it now: its current address while it is live.
    live = event.article.live_version
    fetch = live is not None and action != "withdrawn"
    return {
        "id": event.pk,
        "cursor": f"{epoch}.{event.pk}",
        "action": action,
        "article_id": event.article_id,
        "slug": event.version.slug,
        "at": event.at,
        "api_url": _api_url(request, "article", slug=live.slug) if fetch else None,
    }
