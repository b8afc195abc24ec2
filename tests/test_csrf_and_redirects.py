"""CSRF on every state change, no open redirects, and drafts hidden from visitors.

The endpoints come from tests/test_permission_matrix.py (every admin URL,
workflow button, action and tool the project has), so a new one is covered here
as soon as the matrix lists it.
"""

import pathlib
import re
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

import tests.test_permission_matrix as matrix
from articles.models import Article, Topic

world = matrix.world  # the same module-scoped data as the matrix

POST_KEYS = [key for key in matrix.ALL_KEYS if key.startswith("POST ")]

# One client for the module (building one loads all middleware); it refuses
# any POST without a valid CSRF token, as a browser's server would.
_CSRF_CLIENT = Client(enforce_csrf_checks=True)


def csrf_client(user=None) -> Client:
    """Signed in as `user`, holding a CSRF cookie as a browser would."""
    _CSRF_CLIENT.cookies = SimpleCookie()
    if user is not None:
        _CSRF_CLIENT.force_login(user)
    # A page with a form sets the cookie (the index has the logout form).
    _CSRF_CLIENT.get(reverse("admin:index" if user else "admin:login"))
    assert settings.CSRF_COOKIE_NAME in _CSRF_CLIENT.cookies
    return _CSRF_CLIENT


def form_or_nothing(world, key, data) -> dict:
    """The form the superuser would post, where they may post it; the CSRF
    check comes before any form handling, so elsewhere any data will do."""
    if not callable(data):
        return data or {}
    if matrix.MATRIX[key]["superuser"] != "done":
        return {"anything": "x"}
    return data(matrix.client_for(world, "superuser"))


def body_of(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return content.decode(errors="replace")


def without_token(data) -> dict:
    return {k: v for k, v in (data or {}).items() if k != "csrfmiddlewaretoken"}


# ---------------------------------------------------------------------------
# (a) CSRF


@pytest.mark.parametrize("key", POST_KEYS)
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(world, db, key):
    superuser = world.users["superuser"]
    call = matrix.make_call(world, key)
    data = form_or_nothing(world, key, call.data)
    client = csrf_client(superuser)
    before = matrix.snapshot()
    response = client.post(call.path, without_token(data))
    assert response.status_code == 403
    assert b"CSRF" in response.content
    matrix.assert_same(before, matrix.snapshot(), key)
    # Still signed in: a forged logout did not happen either.
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "key",
    [
        "POST articles.topic/add",
        "POST articles.article/workflow:submit",
        "POST articles.article/restore",
        "POST tools/markdown-preview",
        "POST admin/logout",
    ],
)
def test_the_same_post_with_the_csrf_token_is_accepted(world, db, key):
    """The refusals above are the CSRF check's, not a permission's."""
    call = matrix.make_call(world, key)
    data = form_or_nothing(world, key, call.data)
    client = csrf_client(world.users["superuser"])
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        call.path, {**without_token(data), "csrfmiddlewaretoken": token}
    )
    assert response.status_code in (200, 302)


def test_admin_login_without_csrf_token_is_refused_and_signs_nobody_in(editor):
    client = csrf_client()
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": matrix.PASSWORD},
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_admin_login_with_csrf_token_signs_in(editor):
    client = csrf_client()
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("admin:login"),
        {
            "username": editor.username,
            "password": matrix.PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


PUBLIC_PATHS = {
    "articles:home": "/",
    "articles:search": "/search/?q=water",
    "sitemap": "/sitemap.xml",
    "feed": "/feed/",
    "robots": "/robots.txt",
    "healthz": "/healthz",
    "public_state": "/_cache/state",
    "api-v1:articles": "/api/v1/articles",
    "api-v1:article": "/api/v1/articles/any-slug",
    "api-v1:topics": "/api/v1/topics",
    "api-v1:people": "/api/v1/people",
    "api-v1:search": "/api/v1/search",
    "api-v1:changes": "/api/v1/changes",
    "api-v1:openapi-json": "/api/v1/openapi.json",
    "api-v1:api-root": "/api/v1/",
    "library_file": "/media/images/00/" + "0" * 64 + ".png",
}


def every_project_path(world) -> list[str]:
    """A real address for every URL pattern of the project."""
    published = world.published
    live = published.live_version
    paths = {
        matrix.make_call(world, key).path.split("?")[0]
        for key in matrix.ALL_KEYS
        if not key.startswith("CALL ")
    }
    paths |= set(PUBLIC_PATHS.values())
    paths |= {
        published.get_absolute_url(),
        reverse("articles:topic", args=[live.topic.slug]),
        reverse("articles:person", args=[live.author.slug]),
        world.objects["articles.sitepage"].get_absolute_url(),
        reverse("sitemap-section", args=["articles"]),
        reverse("articles:report_problem", args=[live.slug]),
        reverse("articles:report_thanks", args=[live.slug]),
    }
    return sorted(paths)


def test_every_url_pattern_of_the_project_is_posted_to_below(world, db):
    reached = set()
    for path in every_project_path(world):
        try:
            reached.add(resolve(path.split("?")[0]).route)
        except Exception:  # a path of a URL name that is not mounted
            continue
    routes = {route for route, _ in matrix.url_routes(get_resolver().url_patterns)}
    assert routes - reached == set()


def test_every_url_refuses_a_post_without_csrf_token(world, db):
    """Even pages that never change anything: CsrfViewMiddleware runs first."""
    client = csrf_client(world.users["superuser"])
    before = matrix.snapshot()
    accepted = {}
    for path in every_project_path(world):
        response = client.post(path, {"content": "x", "transition": "submit"})
        if response.status_code != 403:
            accepted[path] = response.status_code
    assert accepted == {}
    matrix.assert_same(before, matrix.snapshot(), "POSTs without a token")


def test_no_project_view_is_csrf_exempt():
    exempt = [
        route
        for route, pattern in _patterns(get_resolver().url_patterns)
        if getattr(pattern.callback, "csrf_exempt", False)
    ]
    assert exempt == []


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _patterns(pattern.url_patterns, route)
        else:
            yield route, pattern


# ---------------------------------------------------------------------------
# (b) Open redirects

EVIL_NEXT = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "https:///evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver@evil.example/",
    "https://testserver.evil.example/",
    "//testserver@evil.example",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "\n//evil.example",
    "https://evil.example\\@testserver/",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "//evil%2Eexample",
    "//\u3002evil.example",
    "ftp://evil.example/",
]


def assert_same_site(location: str, base="http://testserver/admin/login/"):
    """A redirect target that a browser resolves to this site.

    Browsers drop tabs and newlines from a URL, trim spaces and control
    characters at its ends, and read a backslash as a slash; the target is
    resolved the same way before its host is compared.
    """
    browser_view = re.sub(r"[\t\n\r]", "", location).strip("\x00 ")
    browser_view = browser_view.replace("\\", "/")
    resolved = urllib.parse.urlsplit(urllib.parse.urljoin(base, browser_view))
    assert (resolved.scheme, resolved.netloc) == ("http", "testserver"), location
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_admin_login_never_redirects_off_site(editor, evil):
    client = Client()
    response = client.post(
        f"{reverse('admin:login')}?{urllib.parse.urlencode({'next': evil})}",
        {"username": editor.username, "password": matrix.PASSWORD, "next": evil},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert_same_site(response["Location"])


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_admin_login_page_of_a_signed_in_editor_never_redirects_off_site(
    client, editor, evil
):
    client.force_login(editor)
    response = client.get(reverse("admin:login"), {"next": evil})
    assert response.status_code == 302
    assert_same_site(response["Location"])


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_admin_logout_never_redirects_off_site(client, editor, evil):
    client.force_login(editor)
    response = client.post(
        f"{reverse('admin:logout')}?{urllib.parse.urlencode({'next': evil})}",
        {"next": evil},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_same_site(response["Location"])
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("evil", ["//evil.example/", "https://evil.example/"])
def test_saving_in_the_admin_returns_to_the_list_not_to_a_given_address(
    client, editor, evil
):
    """The admin keeps list filters across a save (_changelist_filters); they
    are a query string, never an address."""
    topic = Topic.objects.create(name="Sleep", slug="sleep")
    client.force_login(editor)
    filters = urllib.parse.urlencode({"_changelist_filters": f"next={evil}"})
    response = client.post(
        f"{reverse('admin:articles_topic_change', args=[topic.pk])}?{filters}",
        {"name": "Sleep", "slug": "sleep", "description": ""},
    )
    assert response.status_code == 302
    assert_same_site(response["Location"])
    assert urllib.parse.urlsplit(response["Location"]).path == reverse(
        "admin:articles_topic_changelist"
    )


PROJECT_DIRS = ["articles", "cms"]
RETURN_ADDRESS_READS = re.compile(
    r"""(GET|POST|REQUEST)(\.get\(|\[)\s*["'](next|return|return_to|redirect|"""
    r"""redirect_to|url|back)["']|HTTP_REFERER|url_has_allowed_host_and_scheme"""
)


def test_no_project_view_reads_a_return_address_from_the_request():
    """Only Django's admin login and logout take ?next= (tested above); a
    project view that starts reading one needs its own open-redirect test."""
    root = pathlib.Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in PROJECT_DIRS
        for path in sorted((root / folder).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if RETURN_ADDRESS_READS.search(line)
    ]
    assert found == []


# ---------------------------------------------------------------------------
# (c) Drafts: visitors never see unpublished text


def draft_urls(world) -> list[str]:
    published, draft = world.published, world.draft
    content_type = matrix.ContentType.objects.get_for_model(Article)
    version_1 = reverse("admin:articles_article_version", args=[published.pk, 1])
    return [
        f"{published.get_absolute_url()}?preview=draft",
        f"{published.get_absolute_url()}?preview=1",
        published.get_absolute_url(),
        draft.get_absolute_url(),
        f"{draft.get_absolute_url()}?preview=draft",
        # Other words of the drafts: pages echo the query itself.
        reverse("articles:search", query={"q": "zebracorn"}),
        reverse("articles:search", query={"q": "okapi porridge"}),
        "/",
        reverse("articles:topic", args=[published.topic.slug]),
        reverse("articles:topic", args=[draft.topic.slug]),
        reverse("articles:person", args=[draft.author.slug]),
        "/feed/",
        reverse("sitemap-section", args=["articles"]),
        reverse("admin:articles_article_review", args=[published.pk]),
        reverse("admin:articles_article_review", args=[draft.pk]),
        version_1,
        reverse("admin:articles_article_change", args=[published.pk]),
        reverse("admin:articles_article_change", args=[draft.pk]),
        reverse("admin:articles_article_history", args=[draft.pk]),
        reverse("admin:view_on_site", args=[content_type.pk, draft.pk]),
        reverse("admin:articles_article_changelist") + "?q=okapi",
        reverse("admin:autocomplete")
        + "?app_label=articles&model_name=relatedpick&field_name=target&term=Is",
    ]


DRAFT_MARKERS = ["Quillfeather", "Lanternwhistle", "Draft preview"]


@pytest.mark.parametrize("actor", ["anonymous", "visitor"])
def test_visitors_never_see_a_drafts_words_anywhere(world, db, actor):
    seen = {}
    for path in draft_urls(world):
        client = matrix.client_for(world, actor)
        body = body_of(client.get(path, follow=True))
        found = [marker for marker in DRAFT_MARKERS if marker in body]
        if found:
            seen[path] = found
    assert seen == {}


@pytest.mark.parametrize("actor", ["anonymous", "visitor"])
def test_a_staff_preview_is_not_served_to_visitors_afterwards(world, db, actor):
    """A page cache must not hand the editor's draft preview to the next visitor."""
    paths = [
        f"{world.published.get_absolute_url()}?preview=draft",
        world.draft.get_absolute_url(),
    ]
    for path in paths:
        staff = matrix.client_for(world, "editor").get(path)
        assert b"Draft preview, not public" in staff.content
        body = matrix.client_for(world, actor).get(path).content.decode()
        assert not [marker for marker in DRAFT_MARKERS if marker in body], path


def test_the_draft_urls_above_do_show_the_draft_to_staff(world, db):
    """So the absence above means something: staff see the words there."""
    client = matrix.client_for(world, "editor")
    published, draft = world.published, world.draft
    for path in [
        f"{published.get_absolute_url()}?preview=draft",
        draft.get_absolute_url(),
        reverse("admin:articles_article_review", args=[published.pk]),
    ]:
        body = client.get(path).content.decode()
        assert "Quillfeather" in body or "Lanternwhistle" in body, path
