"""What the link checker found, in the admin: a read-only list of every
checked address, the dashboard's "Sources need attention", the article
list's filter of the same name and the bad links on an article's page.

A link needs attention when it is gone, moved permanently or has stopped
answering (SourceCheck.NEEDS_ATTENTION) and its article is live. Editors see
every such article; a medical reviewer sees those whose live version they
reviewed, and those whose reviewer has no account, so that none is forgotten
(as in the daily digest, articles/background/digest.py).
"""

from django.contrib import admin
from django.db.models import Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from articles.admin.desk import Row, Section
from articles.models import Article, SourceCheck
from articles.review import notices

LIMIT = 10
FILTER_PARAMETER = "sources"
FILTER_VALUE = "attention"


def needing_attention():
    """Link checks of live articles that an editor or reviewer must look at."""
    return SourceCheck.objects.filter(
        state__in=SourceCheck.NEEDS_ATTENTION, article__live_version__isnull=False
    )


def reviewer_only(user) -> bool:
    """A medical reviewer who does not also edit and publish: their own queue."""
    return user.has_perm("articles.review_article") and not user.has_perm(
        "articles.publish_article"
    )


def what_is_wrong(check: SourceCheck) -> str:
    """One bad link in a few words, e.g. "Reference 2: gone (404)"."""
    if check.state == SourceCheck.State.MOVED:
        problem = f"moved to {check.moved_to}" if check.moved_to else "moved"
    elif check.state == SourceCheck.State.DEAD:
        problem = f"gone ({check.http_status})" if check.http_status else "gone"
    else:
        problem = f"not answering ({check.detail})"
    return f"Reference {check.reference_number}: {problem}"


def sources_need_attention(user) -> Section | None:
    """The dashboard section of live articles with bad links, longest bad first."""
    if not user.has_perm("articles.view_sourcecheck"):
        return None
    own = reviewer_only(user)
    bad = needing_attention()
    if own:
        bad = bad.filter(
            Q(article__live_version__reviewer__user=user)
            | ~Q(article__live_version__reviewer__user__in=notices.medical_reviewers())
        )
    articles = (
        Article.objects.filter(pk__in=bad.values("article_id"))
        .only("pk", "title")
        .annotate(
            since=Min(
                "source_checks__failing_since",
                filter=Q(source_checks__state__in=SourceCheck.NEEDS_ATTENTION),
            )
        )
        .order_by("since", "pk")
    )
    count = articles.count()
    shown = (
        articles[:LIMIT].prefetch_related(
            Prefetch("source_checks", queryset=bad, to_attr="bad_sources")
        )
        if count
        else []
    )
    return Section(
        slug="sources-need-attention",
        title="Sources need attention",
        headings=("What is wrong", "Since"),
        rows=[
            Row(
                title=article.title,
                url=reverse("admin:articles_article_change", args=[article.pk]),
                detail="; ".join(what_is_wrong(c) for c in article.bad_sources),
                when=article.since,
                when_text=_day(article.since),
            )
            for article in shown
        ],
        count=count,
        empty="Every checked source link of the articles you reviewed works."
        if own
        else "Every checked source link of the live articles works.",
        see_all_url=reverse("admin:articles_article_changelist")
        + f"?{FILTER_PARAMETER}={FILTER_VALUE}",
        see_all_text="All articles whose sources need attention"
        + (" (everyone's)" if own else ""),
    )


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y}" if moment else ""


def article_bad_sources(article: Article, user) -> list[SourceCheck]:
    """The article's links that need attention, for its change page."""
    if not user.has_perm("articles.view_sourcecheck") or not article.is_public():
        return []
    return list(
        article.source_checks.filter(state__in=SourceCheck.NEEDS_ATTENTION).order_by(
            "reference_number", "url"
        )
    )


class SourcesNeedAttentionFilter(admin.SimpleListFilter):
    """The article list's "Sources need attention" (the dashboard's, for everyone)."""

    title = "sources"
    parameter_name = FILTER_PARAMETER

    def lookups(self, request, model_admin):
        return [(FILTER_VALUE, "Sources need attention")]

    def queryset(self, request, queryset):
        if self.value() == FILTER_VALUE:
            return queryset.filter(pk__in=needing_attention().values("article_id"))
        return queryset


@admin.register(SourceCheck)
class SourceCheckAdmin(admin.ModelAdmin):
    """Read-only: the link checker writes these rows (background/link_checks.py)."""

    list_display = [
        "url",
        "article",
        "reference_number",
        "state",
        "http_status",
        "checked_at",
        "failing_since",
    ]
    list_filter = ["state"]
    list_select_related = ["article"]
    search_fields = ["url", "article__title"]
    fields = [
        "article",
        "reference_number",
        "url",
        "state",
        "http_status",
        "moved_to",
        "detail",
        "failures",
        "checked_at",
        "failing_since",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
