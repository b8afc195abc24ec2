from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles.api import v1 as partner_api
from articles.web import edge_cache, media, sitemaps
from articles.web import views as article_views
from articles.web.feeds import LatestArticlesFeed
from articles.web.page_cache import public_page
from articles.web.sitemaps import SITEMAPS
from cms import reliability

admin.site.site_header = "Health Answers editorial"
admin.site.site_title = "Health Answers editorial"
admin.site.index_title = "Content"

handler500 = "cms.reliability.server_error"

urlpatterns = [
    path("healthz", reliability.healthz, name="healthz"),
    # nginx's page cache asks this for the public-content tag (edge_cache.py).
    path("_cache/state", edge_cache.public_state, name="public_state"),
    path("admin/", admin.site.urls),
    path("api/v1/", partner_api.urls()),
    path("media/<path:name>", media.library_file, name="library_file"),
    # Replaces markdownx.urls, which is deliberately not mounted (see settings).
    path(
        "admin-tools/markdown-preview/",
        article_views.markdown_preview,
        name="markdown_preview",
    ),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps.section),
        name="sitemap-section",
    ),
    path("feed/", public_page(LatestArticlesFeed()), name="feed"),
    path(
        "robots.txt",
        TemplateView.as_view(
            template_name="robots.txt", content_type="text/plain; charset=utf-8"
        ),
        name="robots",
    ),
    path("", include("articles.web.urls")),
]
