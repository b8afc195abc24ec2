"""XML sitemaps: the home page, topics and articles a visitor can see now.

Articles are listed from their live ArticleVersion, so a draft, an approved but
unpublished text or a withdrawn article is never announced, and a new slug is
listed only once the version that carries it is published. Served as an index
(/sitemap.xml) of section files (/sitemap-<section>.xml, paged with ?p=).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import ArticleVersion, Topic

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
        return (
            Topic.objects.filter(versions__live_for__isnull=False)
            .distinct()
            .order_by("pk")
        )


class ArticleSitemap(Sitemap):
    """One URL per live article; lastmod is when its live version was published,
    because a periodic re-review (new review date) is news to a reader too."""

    limit = URLS_PER_FILE

    def items(self):
        return ArticleVersion.objects.live().only("slug", "published_at").order_by("pk")

    def lastmod(self, version):
        return version.published_at

    def get_latest_lastmod(self):
        """For the index: one aggregate query instead of loading every version."""
        return self.items().aggregate(latest=Max("published_at"))["latest"]


SITEMAPS = {
    "pages": StaticSitemap,
    "topics": TopicSitemap,
    "articles": ArticleSitemap,
}
