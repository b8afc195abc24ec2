"""Values every template needs: the site's name, footer disclaimer and
emergency number (all from settings, so no query per page)."""

from django.conf import settings


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_disclaimer": settings.SITE_DISCLAIMER,
        "emergency_number": settings.SITE_EMERGENCY_NUMBER,
    }
