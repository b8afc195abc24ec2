"""XML sitemaps: the home page, topics and articles a visitor can see now.

Articles are listed from their live ArticleVersion, so a draft, an approved but
unpublished text or a withdrawn article is never announced, and a new slug is
listed only once the version that carries it is published. Served as an index
(/sitemap.xml, Django's view) of section files (/sitemap-<section>.xml, paged
with ?p=), which section() streams: a file of 50,000 articles is written as it
is read, a line per URL, instead of built in memory through a template.
"""

from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models import Article, ArticleVersion, Topic
from articles.publishing.structured_data import site_origin
from articles.web.search import CountedPaginator

# The sitemaps protocol allows at most 50,000 URLs per file.
URLS_PER_FILE = 50_000


class StaticSitemap(Sitemap):
    limit = URLS_PER_FILE

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


class TopicSitemap(Sitemap):
    """Topics with at least one live article: others answer 404."""

    limit = URLS_PER_FILE

    def items(self):
        return Topic.objects.with_public_articles().order_by("pk")


class ArticleSitemap(Sitemap):
    """One URL per live article; lastmod is when its live version was published,
    because a periodic re-review (new review date) is news to a reader too."""

    limit = URLS_PER_FILE

    def items(self):
        return ArticleVersion.objects.live().only("slug", "published_at").order_by("pk")

    def location(self, version):
        # ArticleVersion.get_absolute_url's address, without a reverse() per URL.
        return self._prefix + version.slug + "/"

    @cached_property
    def _prefix(self):
        return reverse("articles:detail", args=["x"])[:-2]

    def lastmod(self, version):
        return version.published_at

    @property
    def paginator(self):
        """For the index, which only needs the number of files: the live
        articles counted in their own table (10 ms at 100,000 articles, not
        90 ms for counting the join to their versions)."""
        return CountedPaginator(
            self.items(), self.limit, count=Article.objects.public().count()
        )

    def get_latest_lastmod(self):
        """For the index: the newest live publication, from the top of an
        index on published_at instead of a MAX over every live version."""
        return (
            self.items()
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "topics": TopicSitemap,
    "articles": ArticleSitemap,
}


def section(request, section):
    """One section file of the sitemap, streamed (see the module docstring)."""
    if section not in SITEMAPS:
        raise Http404("No sitemap section with this name.")
    sitemap = SITEMAPS[section]()
    try:
        page = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404("The sitemap page must be a number.") from None
    if not 1 <= page <= 10_000:
        raise Http404("No such sitemap page.")
    start = (page - 1) * sitemap.limit
    items = sitemap.items()[start : start + sitemap.limit]
    is_query = hasattr(items, "iterator")
    if page > 1 and not (items.exists() if is_query else items):
        raise Http404("No such sitemap page.")
    origin = site_origin(request)
    rows = items.iterator(chunk_size=2000) if is_query else items
    return StreamingHttpResponse(
        _urlset(sitemap, origin, rows), content_type="application/xml"
    )


def _urlset(sitemap, origin, items):
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    )
    has_lastmod = hasattr(sitemap, "lastmod")
    for item in items:
        line = f"<url><loc>{escape(origin + sitemap.location(item))}</loc>"
        lastmod = sitemap.lastmod(item) if has_lastmod else None
        if lastmod is not None:
            line += f"<lastmod>{timezone.localdate(lastmod).isoformat()}</lastmod>"
        yield line + "</url>\n"
    yield "</urlset>\n"
