"""Partners' API keys (administrators only: the roles grant no permission on
them). A new key's secret is shown once, on the page after saving it."""

import datetime

from django.contrib import admin
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.models import PartnerKey

USAGE_DAYS = 30


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = [
        "partner",
        "prefix",
        "requests_per_minute",
        "requests_last_30_days",
        "last_used_at",
        "revoked_at",
    ]
    search_fields = ["partner", "prefix"]
    readonly_fields = [
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "usage_by_day",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "requests_per_minute"]
        return ["partner", "requests_per_minute", "revoked_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description=f"Requests, last {USAGE_DAYS} days")
    def requests_last_30_days(self, key) -> int:
        since = timezone.localdate() - datetime.timedelta(days=USAGE_DAYS - 1)
        used = key.usage.filter(day__gte=since).aggregate(total=Sum("requests"))
        return used["total"] or 0

    @admin.display(description="Requests by day")
    def usage_by_day(self, key) -> str:
        rows = key.usage.all()[:USAGE_DAYS]
        return ", ".join(f"{row.day:%d %b}: {row.requests}" for row in rows) or "None"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request.new_partner_secret = obj.new_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "admin/articles/partnerkey/created.html",
            {
                **self.admin_site.each_context(request),
                "title": "Partner API key created",
                "key": obj,
                "secret": request.new_partner_secret,
            },
        )
