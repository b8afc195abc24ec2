"""Editors' and reviewers' admin.

Articles are edited with a live-preview Markdown editor and ordered inlines.
Review state is read-only here: every button and action calls articles.review.workflow,
which holds the rules; this module only turns their refusals into messages.
"""

import datetime

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles.models import (
    FAQ,
    Article,
    ArticleVersion,
    DraftRevision,
    KeyTakeaway,
    Person,
    Reference,
    RelatedPick,
    SitePage,
    Tag,
    Topic,
)
from articles.publishing import refresh
from articles.publishing import stored_pages as pages
from articles.review import bylines, four_eyes, plain_language, workflow
from articles.review.diff import diff_content
from articles.text.rendering import render_markdown
from articles.transfer import into_drafts as importing
from articles.transfer.plain_text import (
    MAX_INPUT_CHARS,
    ArticleImportError,
    decode_text,
    parse_article,
)

REVIEW_DUE_SOON_DAYS = 30


class OrderedPartFormSet(BaseInlineFormSet):
    """Inline rows with a position: new rows are numbered after the existing ones,
    two rows may not share a number, and rows can swap places in one save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = [obj.position for obj in self.get_queryset()]
        start = max(taken, default=0) + 1
        self.initial_extra = [{"position": start + i} for i in range(self.extra)]

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            position = form.cleaned_data.get("position")
            if position is None:
                continue
            if position in seen:
                raise ValidationError(
                    f"Two rows have position {position}. Give each row its own number."
                )
            seen.add(position)

    def validate_unique(self):
        # Positions are checked across the submitted rows in clean(); the rows'
        # own database check would refuse a swap of two existing positions.
        pass

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            # Park the rows that move on unused numbers first, so a swap never
            # meets the unique (article, position) constraint half-way.
            # Rows about to be deleted are parked too: a moved row may take the
            # position of one that is deleted in the same save.
            parked_base = 1_000_000
            for form in self.initial_forms:
                if "position" in form.changed_data or self._should_delete_form(form):
                    self.model.objects.filter(pk=form.instance.pk).update(
                        position=parked_base + form.instance.pk
                    )
            return super().save(commit=True)


class KeyTakeawayInline(admin.TabularInline):
    model = KeyTakeaway
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "text"]


class FAQInline(admin.StackedInline):
    model = FAQ
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "question", "answer"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class ReferenceInline(admin.TabularInline):
    model = Reference
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "citation", "url"]
    # A reference typed without a scheme ("www.nhs.uk/...") is a secure web address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class RelatedPickInline(admin.TabularInline):
    model = RelatedPick
    fk_name = "article"
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "target"]
    autocomplete_fields = ["target"]
    verbose_name = "related question picked by an editor"
    verbose_name_plural = (
        "related questions picked by editors (shown first, while they are public)"
    )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class CollectsPublicChanges:
    """Whatever one admin request changes that visitors see is applied once,
    when the request's work is done (publishing/refresh.py): one bulk action
    over twenty articles moves the public-content counter and purges once."""

    def changeform_view(self, *args, **kwargs):
        with refresh.collecting():
            return super().changeform_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        with refresh.collecting():
            return super().changelist_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with refresh.collecting():
            return super().delete_view(*args, **kwargs)

    def collecting_view(self, view):
        """An extra admin view (a workflow button) that changes public content."""

        def collecting(*args, **kwargs):
            with refresh.collecting():
                return view(*args, **kwargs)

        return self.admin_site.admin_view(collecting)


class ShownToVisitorsAdmin(CollectsPublicChanges, admin.ModelAdmin):
    """Admin for rows visitors see outside any article version (topics,
    profiles, site pages): saving or deleting one changes public pages, which
    it tells publishing.refresh (public_change) in the same transaction."""

    def public_change(self, obj):
        refresh.site_changed()

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self.public_change(obj)

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            refresh.site_changed()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            refresh.site_changed()


class PublicDetailsAdmin(ShownToVisitorsAdmin):
    """Saves log every changed public detail through articles.review.bylines; the
    change page shows that log."""

    public_fields: list[str] = []

    @admin.display(description="History of public details (who, when, old, new)")
    def change_history(self, obj):
        changes = bylines.changes_of(obj)[:100] if obj and obj.pk else []
        if not changes:
            return "No changes logged yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    timezone.localtime(c.changed_at).strftime("%-d %b %Y %H:%M"),
                    c.changed_by.get_username(),
                    c.field,
                    c.old_value or "—",
                    c.new_value or "—",
                )
                for c in changes
            ),
        )
        return format_html(
            '<table class="workflow-table"><thead><tr><th scope="col">When</th>'
            '<th scope="col">Who</th><th scope="col">Field</th>'
            '<th scope="col">Old</th><th scope="col">New</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        before = (
            bylines.snapshot(type(obj).objects.get(pk=obj.pk), self.public_fields)
            if change
            else {}
        )
        super().save_model(request, obj, form, change)
        bylines.record_changes(obj, user=request.user, before=before)


@admin.register(Topic)
class TopicAdmin(PublicDetailsAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    public_fields = bylines.TOPIC_PUBLIC_FIELDS
    fields = [*bylines.TOPIC_PUBLIC_FIELDS, "change_history"]

    def get_readonly_fields(self, request, obj=None):
        allowed = bylines.topic_fields_for(request.user, obj)
        locked = [name for name in self.public_fields if name not in allowed]
        return [*locked, "change_history"]

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in bylines.topic_fields_for(request.user, obj):
            return {"slug": ["name"]}
        return {}

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or bool(bylines.topic_fields_for(request.user, obj))

    def public_change(self, obj):
        # Topic names are in breadcrumbs and JSON-LD of stored article pages.
        refresh.topic_changed(obj)


@admin.register(Person)
class PersonAdmin(PublicDetailsAdmin):
    list_display = ["name", "credentials", "user", "credentials_checked"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]
    public_fields = bylines.PERSON_PUBLIC_FIELDS
    actions = ["verify_credentials_selected"]

    fields = [
        *bylines.PERSON_PUBLIC_FIELDS,
        "user",
        "credentials_verification",
        "change_history",
    ]

    @admin.display(boolean=True, description="Credentials verified")
    def credentials_checked(self, obj):
        return obj.credentials_verified

    @admin.display(description="Credentials verification")
    def credentials_verification(self, obj):
        if obj is None or not obj.credentials_verified:
            return (
                "Not verified. An administrator verifies the credentials and "
                "registration (list action); any change to them clears it."
            )
        return (
            f"Verified by {obj.credentials_verified_by} on "
            f"{timezone.localtime(obj.credentials_verified_at):%-d %B %Y %H:%M}"
        )

    def get_readonly_fields(self, request, obj=None):
        # The account link decides whose approval prints this byline; only an
        # administrator may change who a reviewer is.
        if request.user.is_superuser:
            return ["credentials_verification", "change_history"]
        return ["user", "credentials_verification", "change_history"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "credentials_verified_by")
        )

    def has_view_permission(self, request, obj=None):
        own = obj is not None and obj.user_id == request.user.pk
        return own or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return bylines.may_change_person(request.user, obj)

    def has_verify_permission(self, request):
        return request.user.is_superuser

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if person is not None and not bylines.may_change_person(request.user, person):
            extra_context["read_only_reason"] = bylines.person_refusal(
                request.user, person
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Mark credentials as verified", permissions=["verify"])
    def verify_credentials_selected(self, request, queryset):
        for person in queryset:
            try:
                bylines.verify_credentials(person, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            refresh.person_changed(person)
            self.message_user(
                request,
                f"Recorded that you verified the credentials of {person.byline}.",
                messages.SUCCESS,
            )

    def public_change(self, obj):
        # Article pages link to profiles and describe the person in JSON-LD
        # (the byline's name and credentials are part of each version).
        refresh.person_changed(obj)


@admin.register(SitePage)
class SitePageAdmin(ShownToVisitorsAdmin):
    """Pages about the site (editorial policy, how we review): administrators only,
    since they are the publisher's commitments (the editorial roles have no
    permission on them)."""

    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


def plain_language_report(article: Article):
    """Advisory plain-language findings for the saved working copy, part by part."""
    return plain_language.check_parts(
        [
            ("Short answer", article.short_answer),
            ("Body", article.body),
            *(
                (f"FAQ {number} answer", faq.answer)
                for number, faq in enumerate(article.faqs.all(), 1)
            ),
        ]
    )


class ArticleAdminForm(forms.ModelForm):
    """Refuses a save based on an older copy of the article (optimistic locking)."""

    edit_lock = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # What editors write; everything else belongs to articles.review.workflow.
        fields = [
            "title",
            "slug",
            "topic",
            "short_answer",
            "body",
            "author",
            "review_interval_months",
            "change_summary",
            "is_correction",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_lock"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Lock the row until this request's transaction ends, so two saves of
        # the same article are checked one after the other.
        stored = (
            Article.objects.select_for_update()
            .values_list("lock_version", flat=True)
            .get(pk=self.instance.pk)
        )
        if cleaned.get("edit_lock") != stored:
            raise ValidationError(
                "Someone else saved this article after you opened it, so your "
                "changes were NOT saved. They are still in the form below: copy "
                "what you need, reload the page to see the other changes, and "
                "apply yours again.",
                code="stale",
            )
        return cleaned


class ImportTextForm(forms.Form):
    """Plain text to import: pasted, or uploaded as a .txt file."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        required=False,
        max_length=MAX_INPUT_CHARS,
        help_text="Paste the article as plain text, title first.",
    )
    upload = forms.FileField(
        required=False, label="Or upload a .txt file", help_text="UTF-8 plain text."
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        help_text="Leave empty to file it under “Imported (to sort)”.",
    )
    author = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        help_text="Leave empty for the “Editorial team” byline.",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            if upload.size > MAX_INPUT_CHARS * 4:
                raise ValidationError("The file is too large to import.")
            try:
                cleaned["text"] = decode_text(upload.read(), name=upload.name)
            except ArticleImportError as error:
                raise ValidationError(str(error)) from None
        if not cleaned.get("text", "").strip() and not self.errors:
            raise ValidationError("Paste the article's text or choose a .txt file.")
        if cleaned.get("text"):
            try:
                cleaned["parsed"] = parse_article(cleaned["text"])
            except ArticleImportError as error:
                raise ValidationError(str(error)) from None
        return cleaned


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Waiting for my review"),
            ("in_review", "In review (everyone's)"),
            ("approved", "Approved, not yet published"),
            ("overdue", "Overdue for periodic review"),
            ("due_soon", f"Periodic review due within {REVIEW_DUE_SOON_DAYS} days"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "mine":
            # The four-eyes rule is Python (review/four_eyes.py); review
            # queues are short, so checking each article in review is cheap.
            in_review = queryset.filter(status=Article.Status.IN_REVIEW)
            allowed = [
                article.pk
                for article in in_review
                if not four_eyes.approval_conflict(article, request.user)
            ]
            return in_review.filter(pk__in=allowed)
        if self.value() == "in_review":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        if self.value() == "approved":
            return queryset.filter(status=Article.Status.APPROVED)
        if self.value() == "overdue":
            return queryset.filter(live_version__next_review_due__lt=today)
        if self.value() == "due_soon":
            soon = today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS)
            return queryset.filter(
                live_version__next_review_due__gte=today,
                live_version__next_review_due__lte=soon,
            )
        return queryset


# Shown on the article page but changed only by articles.review.workflow.
WORKFLOW_READONLY_FIELDS = [
    "status",
    "medical_reviewer",
    "approved_by",
    "approved_at",
    "live_version_link",
    "first_published_at",
    "withdrawn_at",
    "created_at",
    "updated_at",
]


# (label, workflow function, permission shown to) for the buttons on an article.
@admin.register(Article)
class ArticleAdmin(CollectsPublicChanges, admin.ModelAdmin):
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
    list_filter = [ReviewQueueFilter, "status", "topic"]
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
        css = {"all": ["articles/admin.css"]}

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

    # Saving writes only the editable fields (Article.save), then tells the
    # workflow who edited: draft history, approval voiding, lock version.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = workflow.record_edit(form.instance, user=request.user)
        if article.is_public():
            # Picks and tags are not reviewed text: they apply at once.
            refresh.links_changed(article)

    # Workflow buttons, review page, versions and draft history.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
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
                "<int:article_id>/versions/<int:number>/",
                view(self.version_view),
                name="articles_article_version",
            ),
            path(
                "<int:article_id>/revisions/<int:number>/restore/",
                self.collecting_view(self.restore_view),
                name="articles_article_restore",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context |= self._workflow_context(request, article)
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, article):
        user = request.user
        # The workflow says which transitions apply; approval and requests for
        # changes live on the review page.
        buttons = [
            (name, workflow.TRANSITIONS[name][0])
            for name in workflow.available_transitions(article, user)
            if name not in ("approve", "request_changes")
        ]
        return {
            "workflow_buttons": buttons,
            "asks_change_summary": any(name == "submit" for name, _ in buttons),
            "republishing": article.versions.filter(
                kind=ArticleVersion.Kind.PUBLICATION
            ).exists(),
            "plain_language": plain_language_report(article),
            "can_review": user.has_perm("articles.review_article"),
            "events": article.events.select_related("user", "version")[:50],
            "versions": article.versions.select_related("published_by", "reviewer"),
            "revisions": article.revisions.select_related("saved_by")[:30],
        }

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

    def review_view(self, request, article_id):
        """What changed since the live version, and the reviewer's decision."""
        article = self._get_article(request, article_id)
        live = article.live_version
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review: {article}",
            "article": article,
            "live": live,
            "diffs": diff_content(
                live.content() if live else None, article.approval_content()
            ),
            "content_hash": article.approval_hash(),
            "can_review": request.user.has_perm("articles.review_article"),
            "four_eyes_conflict": four_eyes.approval_conflict(article, request.user),
            "in_review": article.status == Article.Status.IN_REVIEW,
            "plain_language": plain_language_report(article),
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def version_view(self, request, article_id, number):
        """A past or present public version, exactly as visitors saw it."""
        article = self._get_article(request, article_id)
        version = get_object_or_404(
            ArticleVersion.objects.select_related("topic", "author", "reviewer"),
            article=article,
            number=number,
        )
        later = article.versions.filter(number__gt=number).order_by("number").first()
        if article.live_version_id == version.pk:
            state = "live now"
        elif later is not None:
            state = (
                f"replaced by version {later.number} on {later.published_at:%-d %B %Y}"
            )
        else:
            state = (
                f"withdrawn on {article.withdrawn_at:%-d %B %Y}"
                if article.withdrawn_at
                else "not live"
            )
        banner = (
            f"Version {version.number} of this article, published "
            f"{timezone.localtime(version.published_at):%-d %B %Y %H:%M} ({state})."
        )
        return TemplateResponse(
            request,
            "articles/article_detail.html",
            pages.preview_context(version, banner=banner, article=article),
        )

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
            "body_preview": render_markdown(parsed.body) if parsed else "",
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
        description="Withdraw selected from the site", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self._run_transition(request, queryset, "unpublish")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def _run_transition(self, request, queryset, name):
        label, transition, _, _ = workflow.TRANSITIONS[name]
        for article in queryset:
            try:
                transition(article, user=request.user)
            except (workflow.TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, f"{label}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{label}: done for “{article}”.", messages.SUCCESS
                )


# Login throttling records (django-axes registers them for superusers). Its
# "Clean up expired attempts" action reads request.axes_attempt_time, which only
# axes's login handling sets, so in axes 8.3 every use answered 500; the time
# is set here first. Deleting a record lifts that lock.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)
