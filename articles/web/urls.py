from django.urls import path

from articles.web import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("questions/<slug:slug>/", views.article_detail, name="detail"),
    path("search/", views.search, name="search"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("about/<slug:slug>/", views.site_page, name="site_page"),
]
