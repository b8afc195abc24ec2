"""Article pages rendered ahead of the visit.

An article page's <head> tags (canonical address, Open Graph, JSON-LD) and its
main block (breadcrumbs, question, short answer, bylines, body, takeaways,
FAQs, references, related questions) change only when a version is published
or re-reviewed, when the article's related links are recomputed, or when its
topic or an author's profile is edited. publishing/refresh.py then calls
store() in the writer's transaction, which renders both once and stores them
as an ArticlePage row; a visit reads that one row and
fills it into base.html. Only writers store pages: a visit never writes, so it
can never put back a page rendered from data a writer changed meanwhile.

Absolute addresses in the stored head start with ORIGIN_MARKER, replaced per
visit by the request's own origin (a host ALLOWED_HOSTS accepted), so one
stored page serves every host name the site answers to.

A stored block is used only while its version is still the live one and it was
rendered by the current code (renderer_key()), so a deploy with changed
templates, or data loaded without pages, can never show an outdated block: the
view renders such a page live (correct, just slower) until `manage.py
render_pages` stores it again.
"""

import hashlib
import sys
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import (
    LONG_VERSION_FIELDS,
    Article,
    ArticlePage,
    ArticleVersion,
    RelatedLink,
    public_article_q,
)
from articles.publishing import structured_data
from articles.publishing.structured_data import article_head_context

CONTENT_TEMPLATE = "articles/_article_content.html"
HEAD_TEMPLATE = "articles/_head_meta.html"
# Every template a stored page is rendered from: their text is in the renderer key.
CONTENT_TEMPLATES = (CONTENT_TEMPLATE, "articles/_faqs.html", HEAD_TEMPLATE)
ORIGIN_MARKER = "https://origin.invalid"
PEOPLE_ALSO_ASK = 4

_renderer_key = None


def renderer_key() -> str:
    """A fingerprint of what renders a stored page (its templates, this module
    and the JSON-LD module); pages from other code are outdated. Computed once
    per process, unless DEBUG (files change while the development server runs)."""
    global _renderer_key
    if _renderer_key is None or settings.DEBUG:
        digest = hashlib.sha256()
        for name in CONTENT_TEMPLATES:
            digest.update(get_template(name).template.source.encode("utf-8"))
        for module in (sys.modules[__name__], structured_data):
            digest.update(Path(module.__file__).read_bytes())
        _renderer_key = digest.hexdigest()
    return _renderer_key


def related_context(version) -> dict:
    """The block's links, from the rows articles.publishing.related stored: related
    questions, "Read the full answer" links for FAQs, and "People also ask"
    (the first FAQ of each related article)."""
    links = list(
        RelatedLink.objects.filter(
            public_article_q("target__"), article_id=version.article_id
        )
        .select_related("target__live_version")
        # Only the targets' live titles, URLs and FAQ questions are shown: skip
        # the long texts of both the target's working copy and its live version.
        .defer(
            "target__body",
            "target__body_html",
            *(f"target__live_version__{name}" for name in LONG_VERSION_FIELDS),
        )
        .order_by("position")
    )
    related = [link.target.live_version for link in links if link.kind != "faq"]
    full_answers = {
        link.faq_number: link.target.live_version
        for link in links
        if link.kind == "faq"
    }
    faqs = [
        {**faq, "full_answer": full_answers.get(number)}
        for number, faq in enumerate(version.faq_items(), start=1)
    ]
    also_ask = [
        {
            "question": other.faqs[0]["question"],
            "url": f"{other.get_absolute_url()}#faq-1",
        }
        for other in related
        if other.faqs
    ][:PEOPLE_ALSO_ASK]
    return {"related": related, "faqs": faqs, "also_ask": also_ask}


def history_context(version) -> dict:
    """The public change log up to this version: dates and summaries, never
    old text ("history"), and the corrections among them."""
    if version.pk is None:  # an unsaved draft preview
        return {"history": [], "corrections": [], "latest_update": None}
    history = list(
        ArticleVersion.objects.filter(
            article_id=version.article_id, number__lte=version.number
        )
        .only(
            "number",
            "kind",
            "published_at",
            "last_reviewed_on",
            "change_summary",
            "is_correction",
        )
        .order_by("-number")
    )
    # "Updated DATE: summary" under the bylines: the latest publication of
    # the text shown now, if it was an update.
    latest = next(
        (e for e in history if e.kind == ArticleVersion.Kind.PUBLICATION), None
    )
    return {
        "history": history,
        "corrections": [entry for entry in history if entry.is_correction],
        "latest_update": latest
        if latest and latest.is_update and latest.change_summary
        else None,
    }


def render_content(version, *, with_links: bool = True) -> SafeString:
    """The block for a version; a draft preview has no stored links yet."""
    context = (
        related_context(version)
        if with_links
        else {"faqs": version.faq_items(), "related": [], "also_ask": []}
    )
    return mark_safe(
        render_to_string(
            CONTENT_TEMPLATE,
            {"version": version, **context, **history_context(version)},
        )
    )


def render_head(version) -> str:
    """Canonical link, Open Graph tags and JSON-LD, addresses from ORIGIN_MARKER."""
    return render_to_string(
        HEAD_TEMPLATE,
        {
            "version": version,
            "site_name": settings.SITE_NAME,
            **article_head_context(version, ORIGIN_MARKER),
        },
    )


def _rendered(version) -> dict:
    return {
        "version_id": version.pk,
        "title": version.title,
        "description": version.short_answer,
        "head_html": render_head(version),
        "content_html": render_content(version),
        "renderer": renderer_key(),
        "rendered_at": timezone.now(),
    }


def page_context(page: ArticlePage, request) -> dict:
    """What templates/articles/article_detail.html needs of a stored page."""
    origin = structured_data.site_origin(request)
    return {
        "title": page.title,
        "description": page.description,
        "head_html": mark_safe(page.head_html.replace(ORIGIN_MARKER, origin)),
        "content_html": mark_safe(page.content_html),
    }


def preview_context(version, *, banner: str, article: Article) -> dict:
    """What article_detail.html needs to show staff a version that is not (or
    not yet) the stored live page: rendered now, without related links."""
    return {
        "title": version.title,
        "description": version.short_answer,
        "content_html": render_content(version, with_links=False),
        "banner": banner,
        "article": article,
    }


def store(article_id: int) -> None:
    """Store the block of the article's live version (or drop it once nothing
    is live). Called by publishing.refresh inside the changing transaction."""
    version = (
        ArticleVersion.objects.live()
        .filter(article_id=article_id)
        .select_related("topic", "author", "reviewer")
        .first()
    )
    if version is None:
        ArticlePage.objects.filter(article_id=article_id).delete()
        return
    ArticlePage.objects.update_or_create(
        article_id=article_id, defaults=_rendered(version)
    )


def _store_each(articles) -> int:
    count = 0
    for article_id in articles.values_list("pk", flat=True).iterator(chunk_size=500):
        store(article_id)
        count += 1
    return count


def store_all() -> int:
    """Store the block of every live article (after loading a backup)."""
    ArticlePage.objects.exclude(article__in=Article.objects.public()).delete()
    return _store_each(Article.objects.public())


def stored_page(slug: str) -> ArticlePage | None:
    """The usable stored page of the live article at this address: joined to
    the live version, so a withdrawn or replaced one is never found."""
    found = (
        ArticlePage.objects.filter(
            public_article_q("version__live_for__"),
            version__slug=slug,
            renderer=renderer_key(),
        )
        .only("title", "description", "head_html", "content_html")
        .order_by()[:1]  # at most one: a slug is live once; no sort to compile
    )
    return found[0] if found else None


def render_page(version) -> ArticlePage:
    """A live version's page rendered now, not stored: for a visit that found
    no usable stored copy (only writers store pages)."""
    return ArticlePage(article_id=version.article_id, **_rendered(version))


def render_missing() -> int:
    """Store the block of every live article that lacks a usable one (after a
    deploy with changed templates, or data loaded in bulk); returns how many."""
    usable = ArticlePage.objects.filter(
        article_id=OuterRef("pk"),
        version_id=OuterRef("live_version_id"),
        renderer=renderer_key(),
    )
    return _store_each(Article.objects.public().exclude(Exists(usable)))
