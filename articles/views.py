"""Public pages (home, topic, article) and the editor's Markdown preview.

Every public view starts from Article.objects.public(), the one rule for what a
visitor may see.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from articles.models import Article, Topic
from articles.rendering import MAX_MARKDOWN_LENGTH, render_markdown

RECENT_ARTICLES_ON_HOME = 12


def home(request):
    """Topics that have public articles, and the most recently updated questions."""
    public = Article.objects.public()
    topics = Topic.objects.filter(articles__in=public).distinct()
    recent = public.select_related("topic").order_by("-updated_at")[
        :RECENT_ARTICLES_ON_HOME
    ]
    return render(
        request, "articles/home.html", {"topics": topics, "recent_articles": recent}
    )


class TopicDetailView(DetailView):
    """A topic and its public questions; a topic with none is not a page yet."""

    model = Topic

    def get_queryset(self):
        return Topic.objects.filter(articles__in=Article.objects.public()).distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.public().filter(topic=self.object).order_by("title")
        )
        return context


class ArticleDetailView(DetailView):
    """One public article with its bylines, takeaways, FAQs and references."""

    model = Article

    def get_queryset(self):
        return (
            Article.objects.public()
            .with_bylines()
            .prefetch_related(
                Prefetch("faqs"), Prefetch("key_takeaways"), Prefetch("references")
            )
        )


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
    return HttpResponse(render_markdown(content))
