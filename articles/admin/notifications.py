"""Email in the admin: each account's choices, and the outbox for administrators.

Anyone with a staff account chooses which emails they get ("My email
notifications": their own row only). Administrators see every message, its
attempts and its last error, and can send failed ones again."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path

from articles.models import Notification, NotificationSettings
from articles.notifications import outbox


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    fields = ["address", *NotificationSettings.KINDS]
    readonly_fields = ["address"]

    def _own(self, request, obj=None) -> bool:
        user = request.user
        return (
            user.is_active and user.is_staff and (obj is None or obj.user_id == user.pk)
        )

    has_module_permission = has_view_permission = has_change_permission = _own

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        """Any row, so that _own() sees whose it is and refuses others' (403)."""
        return (
            NotificationSettings.objects.filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )

    @admin.display(description="Emails go to")
    def address(self, obj):
        return obj.user.email or (
            "Your account has no email address, so nothing is sent: ask an "
            "administrator to add one."
        )

    def get_urls(self):
        mine = self.admin_site.admin_view(self.mine_view)
        return [path("", mine, name="notification_settings")] + super().get_urls()

    def mine_view(self, request):
        """The list of settings is one row: the signed-in user's own."""
        own, _ = NotificationSettings.objects.get_or_create(user=request.user)
        return redirect("admin:articles_notificationsettings_change", own.pk)

    def response_change(self, request, obj):
        self.message_user(request, "Your email choices are saved.", messages.SUCCESS)
        return redirect("admin:articles_notificationsettings_change", obj.pk)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the workflow and the worker."""

    list_display = [
        "created_at",
        "kind",
        "to_address",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    actions = ["send_again"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Last error")
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request, queryset):
        count = outbox.send_again(queryset)
        self.message_user(
            request,
            f"{count} failed email(s) handed to the worker again."
            if count
            else "None of the selected emails had failed; nothing was sent.",
            messages.SUCCESS if count else messages.WARNING,
        )
