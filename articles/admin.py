"""Editors' admin: articles with a live-preview Markdown editor and ordered inlines.

Publication state is read-only here; the actions call articles.workflow, which
holds every rule about it.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles import workflow
from articles.models import FAQ, Article, KeyTakeaway, Person, Reference, Topic
from articles.rendering import MAX_MARKDOWN_LENGTH


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
        seen = {}
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
            seen[position] = form

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
            moving = [
                form.instance
                for form in self.initial_forms
                if "position" in form.changed_data
                and not self._should_delete_form(form)
            ]
            model = self.model
            parked_base = 1_000_000
            for obj in moving:
                model.objects.filter(pk=obj.pk).update(position=parked_base + obj.pk)
            return super().save(commit=True)


class OrderedPartInline(admin.TabularInline):
    formset = OrderedPartFormSet
    extra = 1
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class KeyTakeawayInline(OrderedPartInline):
    model = KeyTakeaway
    fields = ["position", "text"]


class FAQInline(admin.StackedInline):
    model = FAQ
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "question", "answer"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class ReferenceInline(OrderedPartInline):
    model = Reference
    fields = ["position", "citation", "url"]
    # A reference typed without a scheme ("www.nhs.uk/...") is a secure web address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "user"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "status", "is_public", "updated_at"]
    list_filter = ["status", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "short_answer", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    autocomplete_fields = ["topic", "author", "medical_reviewer"]
    inlines = [KeyTakeawayInline, FAQInline, ReferenceInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "short_answer"]}),
        ("Body", {"fields": ["body"]}),
        ("Bylines", {"fields": ["author", "medical_reviewer"]}),
        (
            "Publication",
            {"fields": ["status", "published_at", "created_at", "updated_at"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    @admin.display(boolean=True, description="Public")
    def is_public(self, obj):
        return obj.is_public()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["body"].max_length = MAX_MARKDOWN_LENGTH
        return form

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._run_transition(request, queryset, workflow.publish, "Published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._run_transition(request, queryset, workflow.unpublish, "Unpublished")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def _run_transition(self, request, queryset, transition, done_label):
        for article in queryset:
            try:
                transition(article, user=request.user)
            except (workflow.TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, str(error) or "Not allowed.", messages.ERROR)
            else:
                self.message_user(
                    request, f"{done_label} “{article}”.", messages.SUCCESS
                )
