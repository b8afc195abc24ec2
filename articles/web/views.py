"""Public pages (home, topic, article), staff previews, and the editor's Markdown preview.

Public pages read only live ArticleVersions (ArticleVersion.objects.live()):
text a medical reviewer approved and an editor published. The working copy
(Article) is shown only to staff, as a clearly marked preview.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from articles.models import Article, ArticleVersion, Person, SitePage, Topic
from articles.models.images import snapshots
from articles.publishing import stored_pages as pages
from articles.publishing.structured_data import profile_json_ld, site_origin
from articles.review import bylines
from articles.text.images import library_keys, render_preview
from articles.text.rendering import MAX_MARKDOWN_LENGTH
from articles.web import search as article_search
from articles.web.page_cache import public_page
from articles.web.replica import list_page

RECENT_ARTICLES_ON_HOME = 12
TOPIC_PAGE_SIZE = 50


@public_page
@list_page
def home(request):
    """Topics that have public articles, and the most recently updated questions."""
    topics = Topic.objects.with_public_articles()
    recent = (
        ArticleVersion.objects.live()
        .listing()
        .select_related("topic")
        .order_by("-content_updated_at")[:RECENT_ARTICLES_ON_HOME]
    )
    return render(
        request, "articles/home.html", {"topics": topics, "recent_versions": recent}
    )


@public_page
@list_page
def topic_detail(request, slug):
    """A topic and its public questions, a page at a time; a topic with none
    is not a page yet."""
    topic = get_object_or_404(Topic, slug=slug)
    versions = (
        ArticleVersion.objects.live()
        .listing()
        .filter(topic=topic)
        .order_by("title", "pk")
    )
    page = Paginator(versions, TOPIC_PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404("No public articles in this topic.")
    return render(
        request,
        "articles/topic_detail.html",
        {"topic": topic, "versions": page.object_list, "page_obj": page},
    )


@public_page
@list_page
def person_detail(request, slug):
    """An author's or medical reviewer's profile and the public articles they
    wrote or reviewed; someone with none has no public page."""
    person = get_object_or_404(
        Person.objects.select_related("credentials_verified_by"), slug=slug
    )
    live = ArticleVersion.objects.live().listing().order_by("title", "pk")
    written = list(live.filter(author=person))
    reviewed = list(live.filter(reviewer=person))
    if not written and not reviewed:
        raise Http404("No public articles by this person.")
    origin = site_origin(request)
    return render(
        request,
        "articles/person_detail.html",
        {
            "person": person,
            "verified_by": bylines.verifier_name(person),
            "written": written,
            "reviewed": reviewed,
            "json_ld": profile_json_ld(person, origin),
        },
    )


@public_page
def site_page(request, slug):
    """A page about the site (editorial policy, how we review), from the admin."""
    page = get_object_or_404(SitePage, slug=slug)
    return render(request, "articles/site_page.html", {"page": page})


def can_preview(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


@public_page
def article_detail(request, slug):
    """The live version of an article.

    Staff may preview the working copy at the same address (automatically while
    nothing is live there, or with ?preview=draft). An address an article used
    to have answers 301 straight to its current one; a withdrawn article 410.
    """
    staff = can_preview(request.user)
    wants_draft = staff and request.GET.get("preview") == "draft"
    if not wants_draft:
        page = pages.stored_page(slug)
        if page is None:
            version = (
                ArticleVersion.objects.live()
                .select_related("topic", "author", "reviewer")
                .filter(slug=slug)
                .first()
            )
            page = version and pages.render_page(version)
        if page is not None:
            return render(
                request,
                "articles/article_detail.html",
                pages.page_context(page, request),
            )
    draft = (
        Article.objects.select_related("topic", "author", "medical_reviewer")
        .filter(slug=slug)
        .first()
        if staff
        else None
    )
    if draft is not None:
        version = ArticleVersion.from_article(draft)
        response = render(
            request,
            "articles/article_detail.html",
            pages.preview_context(
                version,
                banner=f"Draft preview, not public. Status: {draft.get_status_display()}.",
                article=draft,
            ),
        )
        add_never_cache_headers(response)
        return response
    earlier = (
        ArticleVersion.objects.filter(slug=slug)
        .select_related("article__live_version")
        .order_by("-published_at")
        .first()
    )
    if earlier is None:
        raise Http404("No public article at this address.")
    current = earlier.article.live_version
    if current is not None:
        return HttpResponsePermanentRedirect(current.get_absolute_url())
    return render(
        request,
        "articles/410.html",
        {"title": earlier.title, "withdrawn_at": earlier.article.withdrawn_at},
        status=410,
    )


@public_page
@list_page
def search(request):
    """Search the live articles: /search/?q=words&page=N (see web/search.py)."""
    results = article_search.search_page(
        request.GET.get("q", ""), request.GET.get("page", "1")
    )
    return render(request, "articles/search.html", {"results": results})


@require_POST
@staff_member_required
def markdown_preview(request):
    """Render the admin editor's text exactly as the public page would."""
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied
    content = request.POST.get("content", "")
    if len(content) > MAX_MARKDOWN_LENGTH:
        return HttpResponseBadRequest(
            f"The text is longer than {MAX_MARKDOWN_LENGTH:,} characters."
        )
    return HttpResponse(render_preview(content, snapshots(library_keys(content))))
