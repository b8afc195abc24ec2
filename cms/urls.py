from django.contrib import admin
from django.urls import include, path

from articles import views as article_views

admin.site.site_header = "Health Answers editorial"
admin.site.site_title = "Health Answers editorial"
admin.site.index_title = "Content"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Replaces markdownx.urls, which is deliberately not mounted (see settings).
    path(
        "admin-tools/markdown-preview/",
        article_views.markdown_preview,
        name="markdown_preview",
    ),
    path("", include("articles.urls")),
]
