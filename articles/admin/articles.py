"""The article admin: the change form, the workflow buttons, the review page,
versions, draft history and the plain-text import."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles.admin.article_forms import (
    WORKFLOW_READONLY_FIELDS,
    ArticleAdminForm,
    FAQInline,
    ImportTextForm,
    KeyTakeawayInline,
    RelatedPickInline,
    ReviewQueueFilter,
    plain_language_report,
)
from articles.admin.change_form_context import (
    CONFIRMED_ON_THEIR_OWN_PAGE,
    change_form_context,
    reviewer_choices,
)
from articles.admin.public_changes import CollectsPublicChanges
from articles.admin.reference_forms import ReferenceInline
from articles.admin.review_pages import ReviewPages
from articles.admin.schedule_pages import SchedulePages
from articles.admin.source_checks import SourcesNeedAttentionFilter
from articles.models import (
    Article,
    DraftRevision,
    ScheduledChange,
)
from articles.publishing import refresh
from articles.review import schedules, workflow
from articles.text.citations import citations_of
from articles.text.images import render_preview
from articles.transfer import into_drafts as importing


@admin.register(Article)
class ArticleAdmin(CollectsPublicChanges, ReviewPages, SchedulePages, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = [
        "title",
        "topic",
        "status",
        "is_public",
        "next_review",
        "updated_at",
    ]
    list_filter = [ReviewQueueFilter, SourcesNeedAttentionFilter, "status", "topic"]
    list_select_related = ["topic", "live_version"]
    # Counting every article on each load is slow on large sites; the filtered
    # count is still shown.
    show_full_result_count = False
    search_fields = ["title", "short_answer", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = WORKFLOW_READONLY_FIELDS
    autocomplete_fields = ["topic", "author", "tags"]
    inlines = [KeyTakeawayInline, FAQInline, ReferenceInline, RelatedPickInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "short_answer", "edit_lock"]}),
        ("Body", {"fields": ["body"]}),
        ("Byline and review cycle", {"fields": ["author", "review_interval_months"]}),
        (
            "Public note about this update (approved with the text)",
            {"fields": ["change_summary", "is_correction"]},
        ),
        ("Finding related questions", {"fields": ["tags"]}),
        (
            "Review and publication (changed only by the workflow buttons)",
            {"fields": WORKFLOW_READONLY_FIELDS},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin.css", "articles/admin-preview.css"]}
        js = ["articles/part_comments.js"]

    @admin.display(boolean=True, description="Public")
    def is_public(self, obj):
        return obj.is_public()

    def _in_review_queue(self, request) -> bool:
        return request.GET.get(ReviewQueueFilter.parameter_name) in (
            "mine",
            "in_review",
        )

    def get_list_display(self, request):
        # The review queues are short: there the plain-language findings are
        # worth computing for each row (advice for the reviewer, not a gate).
        if self._in_review_queue(request):
            return [*self.list_display, "plain_language"]
        return self.list_display

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._in_review_queue(request):
            queryset = queryset.prefetch_related("faqs")  # plain_language column
        return queryset

    @admin.display(description="Plain language (advice)")
    def plain_language(self, obj):
        reports = plain_language_report(obj)
        issues = sum(report.issue_count for _, report in reports)
        body = dict(reports).get("Body")
        grade = (
            f"; body reading grade {body.reading_grade:.0f}"
            if body and body.reading_grade is not None
            else ""
        )
        return f"{issues} finding{'' if issues == 1 else 's'}{grade}"

    @admin.display(
        description="Next review due", ordering="live_version__next_review_due"
    )
    def next_review(self, obj):
        return obj.live_version.next_review_due if obj.live_version else "—"

    @admin.display(description="Live version")
    def live_version_link(self, obj):
        if obj.live_version is None:
            return "None: not on the public site"
        return format_html(
            '<a href="{}">Version {}</a>, published {}',
            reverse(
                "admin:articles_article_version", args=[obj.pk, obj.live_version.number]
            ),
            obj.live_version.number,
            timezone.localtime(obj.live_version.published_at).strftime(
                "%-d %B %Y %H:%M"
            ),
        )

    def _create_formsets(self, request, obj, change):
        # The references' formset checks the citations of the body and of the
        # FAQ answers being saved with it (reference_forms.ReferenceFormSet).
        formsets, inlines = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.siblings = formsets
        return formsets, inlines

    # Saving writes only the editable fields (Article.save), then tells the
    # workflow who edited: draft history, approval voiding, lock version.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        approved_by = form.instance.approved_by if change else None
        waiting = list(schedules.waiting(form.instance)) if change else []
        article = workflow.record_edit(form.instance, user=request.user)
        for advice in citations_of(article.content()).advice:
            self.message_user(request, advice, messages.WARNING)
        for scheduled in ScheduledChange.objects.filter(
            pk__in=[c.pk for c in waiting], state=ScheduledChange.State.CANCELLED
        ):
            self.message_user(
                request,
                f"{scheduled} is cancelled: {scheduled.outcome}",
                messages.WARNING,
            )
        if approved_by is not None and article.approved_by is None:
            self.message_user(
                request,
                f"The text changed, so the approval by {approved_by.get_full_name() or approved_by.get_username()} "
                "no longer applies. Submit it for review again when it is ready.",
                messages.WARNING,
            )
        if article.is_public():
            # Picks and tags are not reviewed text: they apply at once.
            refresh.links_changed(article)

    # Workflow buttons, review page, versions and draft history.

    def get_urls(self):
        view = self.admin_site.admin_view
        return (
            [
                path(
                    "import/",
                    self.collecting_view(self.import_view),
                    name="articles_article_import",
                ),
                path(
                    "<int:article_id>/workflow/",
                    self.collecting_view(self.workflow_view),
                    name="articles_article_workflow",
                ),
                path(
                    "<int:article_id>/review/",
                    view(self.review_view),
                    name="articles_article_review",
                ),
                path(
                    "<int:article_id>/comments/",
                    view(self.comments_view),
                    name="articles_article_comments",
                ),
                path(
                    "<int:article_id>/compare/",
                    view(self.compare_view),
                    name="articles_article_compare",
                ),
                path(
                    "<int:article_id>/withdraw/",
                    self.collecting_view(self.withdraw_view),
                    name="articles_article_withdraw",
                ),
                path(
                    "<int:article_id>/reconfirm/",
                    self.collecting_view(self.reconfirm_view),
                    name="articles_article_reconfirm",
                ),
                path(
                    "<int:article_id>/versions/<int:number>/",
                    view(self.version_view),
                    name="articles_article_version",
                ),
                path(
                    "<int:article_id>/revisions/<int:number>/restore/",
                    self.collecting_view(self.restore_view),
                    name="articles_article_restore",
                ),
            ]
            + self.schedule_urls()
            + super().get_urls()
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context |= change_form_context(article, request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def _get_article(self, request, article_id, permission="view_article"):
        if not request.user.has_perm(f"articles.{permission}"):
            raise PermissionDenied
        return get_object_or_404(Article, pk=article_id)

    def workflow_view(self, request, article_id):
        """Run one workflow transition from a button; refusals become messages."""
        if request.method != "POST":
            return redirect("admin:articles_article_change", article_id)
        article = self._get_article(request, article_id)
        name = request.POST.get("transition", "")
        if name not in workflow.TRANSITIONS:
            self.message_user(request, "Unknown action.", messages.ERROR)
            return redirect("admin:articles_article_change", article.pk)
        if name in CONFIRMED_ON_THEIR_OWN_PAGE:
            return redirect(CONFIRMED_ON_THEIR_OWN_PAGE[name], article.pk)
        label, transition, _, _ = workflow.TRANSITIONS[name]
        kwargs = {
            "user": request.user,
            "comment": request.POST.get("comment", "").strip(),
        }
        if name == "approve":
            kwargs["seen_content_hash"] = request.POST.get("content_hash", "")
        if name == "submit" and "change_summary" in request.POST:
            kwargs["change_summary"] = request.POST["change_summary"]
            kwargs["correction"] = request.POST.get("correction") == "on"
        if name == "submit" and request.POST.get("reviewer"):
            kwargs["reviewer"] = reviewer_choices(article).get(request.POST["reviewer"])
            if kwargs["reviewer"] is None:
                self.message_user(
                    request,
                    f"{label}: that reviewer cannot review this text; choose "
                    "another, or leave the choice to any medical reviewer.",
                    messages.ERROR,
                )
                return redirect("admin:articles_article_change", article.pk)
        try:
            transition(article, **kwargs)
        except (workflow.TransitionNotAllowed, PermissionDenied) as error:
            self.message_user(request, f"{label}: {error}", messages.ERROR)
            if name in ("approve", "request_changes"):
                return redirect("admin:articles_article_review", article.pk)
        else:
            self.message_user(
                request, f"{label}: done for “{article}”.", messages.SUCCESS
            )
        return redirect("admin:articles_article_change", article.pk)

    @method_decorator(require_POST)
    def restore_view(self, request, article_id, number):
        """Restore an earlier draft's text as a new edit (it then needs review)."""
        article = self._get_article(request, article_id, permission="change_article")
        revision = get_object_or_404(DraftRevision, article=article, number=number)
        try:
            workflow.restore_draft(article, revision, user=request.user)
        except (workflow.TransitionNotAllowed, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request, f"Restored the text of revision {number}.", messages.SUCCESS
            )
        return redirect("admin:articles_article_change", article.pk)

    def import_view(self, request):
        """Paste or upload plain text, preview what was detected, create a draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportTextForm(request.POST or None, request.FILES or None)
        parsed = None
        if request.method == "POST" and form.is_valid():
            parsed = form.cleaned_data["parsed"]
            if "create" in request.POST:
                try:
                    result = importing.save_draft(
                        parsed,
                        user=request.user,
                        topic=form.cleaned_data["topic"] or importing.default_topic(),
                        author=form.cleaned_data["author"]
                        or importing.default_author(),
                    )
                except (importing.ImportClash, ValidationError) as error:
                    message = (
                        "; ".join(error.messages)
                        if isinstance(error, ValidationError)
                        else str(error)
                    )
                    form.add_error(None, message)
                else:
                    self.message_user(
                        request,
                        f"Created the draft “{result.article}”. Check the proposed "
                        "parts, then submit it for review.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:articles_article_change", result.article.pk)
            if not form.errors:
                # Carry uploaded text into the text box, so "Create" sends it again.
                form = ImportTextForm(
                    initial={
                        key: form.cleaned_data[key]
                        for key in ("text", "topic", "author")
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import an article from text",
            "form": form,
            "parsed": parsed,
            "summary": importing.summary_lines(parsed) if parsed else [],
            "body_preview": render_preview(parsed.body) if parsed else "",
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    # Bulk actions for the article list.

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._run_transition(request, queryset, "submit")

    @admin.action(
        description="Publish selected (approved) articles", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._run_transition(request, queryset, "publish")

    @admin.action(
        description="Withdraw selected from the site…", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        return self.withdraw_selected(request, queryset)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def _run_transition(self, request, queryset, name, **kwargs):
        label, transition, _, _ = workflow.TRANSITIONS[name]
        for article in queryset:
            try:
                transition(article, user=request.user, **kwargs)
            except (workflow.TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, f"{label}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{label}: done for “{article}”.", messages.SUCCESS
                )
