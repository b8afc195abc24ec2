"""Admin for rows visitors see outside any article version (topics, people,
site pages, tags): each save tells publishing.refresh what changed, and
every admin request applies its changes once."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles.admin.public_changes import CollectsPublicChanges
from articles.models import (
    Person,
    SitePage,
    SynonymGroup,
    Tag,
    Topic,
)
from articles.publishing import refresh
from articles.review import bylines


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """Synonyms shape every article's related questions: each change queues
    one recomputation of them all for the task worker."""

    list_display = ["phrases"]
    search_fields = ["phrases"]

    def _recompute(self, request):
        refresh.synonyms_changed.enqueue()
        messages.info(
            request,
            "Related questions are being recomputed with the new synonyms; "
            "public pages show them within a few minutes.",
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recompute(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recompute(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._recompute(request)


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
