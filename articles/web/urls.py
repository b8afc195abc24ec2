from django.urls import path

from articles.web import reports, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("questions/<slug:slug>/", views.article_detail, name="detail"),
    # Uncached, beside the cached article page (articles/web/reports.py).
    path(
        "questions/<slug:slug>/report/",
        reports.report_problem,
        name="report_problem",
    ),
    path(
        "questions/<slug:slug>/report/thanks/",
        reports.report_thanks,
        name="report_thanks",
    ),
    path("search/", views.search, name="search"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("about/<slug:slug>/", views.site_page, name="site_page"),
]
