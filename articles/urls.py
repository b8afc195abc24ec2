from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("questions/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
