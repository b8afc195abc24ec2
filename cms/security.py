"""Login throttling hooks for django-axes (see the settings' "Login throttling")."""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes's database handler, but a successful login clears only the failed
    attempts of that same username from that same address: never the
    failures counted from the address against other accounts, nor those
    against this account from other addresses."""

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(
            username=user.get_username(), ip_address=request.axes_ip_address
        ).delete()


def client_ip(request) -> str | None:
    """The address a login attempt came from.

    Behind DJANGO_PROXY_COUNT trusted proxies the nearest one appended the
    client's address to X-Forwarded-For, so that entry is counted from the
    right; anything further left was written by the client and is ignored.
    Without a proxy, or with a header too short to trust, it is REMOTE_ADDR.
    """
    if settings.BEHIND_PROXY:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, credentials, *args, **kwargs):
    """The page a throttled login gets: 429, and how long to wait in minutes."""
    return render(
        request,
        "locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "emergency_number": settings.SITE_EMERGENCY_NUMBER,
        },
        status=429,
    )
