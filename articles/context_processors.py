"""Values every template needs, such as the site's name."""

from django.conf import settings


def site(request):
    return {"site_name": settings.SITE_NAME}
