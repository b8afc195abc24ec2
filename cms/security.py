"""Login throttling hooks for django-axes (see the settings' "Login throttling")."""

from django.conf import settings
from django.shortcuts import render


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
