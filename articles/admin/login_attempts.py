"""Login throttling records (django-axes)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils import timezone

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
