"""Staying up when the database is not: a friendly 503, and /healthz.

With CONN_HEALTH_CHECKS (settings) each request checks its reused database
connection first and reconnects if the server restarted, so the site recovers
by itself; while the server is down, a request that needs it gets the 503 page
below instead of a traceback, and its transaction (if any) was rolled back.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

logger = logging.getLogger("cms.reliability")

RETRY_AFTER_SECONDS = 30


def error_page(template_name: str, status: int) -> HttpResponse:
    """An error page rendered without the request: no context processor, no
    session and no query can fail a second time while it is drawn."""
    html = loader.get_template(template_name).render(
        {"emergency_number": settings.SITE_EMERGENCY_NUMBER}
    )
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: the standalone error page, with the emergency number."""
    return error_page("500.html", status=500)


class DatabaseUnavailableMiddleware:
    """Turn "cannot reach the database" into 503 Service Unavailable.

    Only connection-level errors (OperationalError, InterfaceError) count:
    a bug that raises another database error is still a 500 and reaches the
    error log as one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "Database unavailable for %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        response = error_page("503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


@never_cache
def healthz(request):
    """Database status for load balancers and monitoring: 200 or 503, JSON.

    It says only whether each database answers, never why not (the reason
    goes to the log), so it can be public. Only the primary decides the
    status: without the replica, list pages read the primary.
    """
    status = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            status[alias] = "ok"
        except DatabaseError as error:
            logger.error("Health check: database %r unavailable: %s", alias, error)
            status[alias] = "unavailable"
    healthy = status["default"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "databases": status},
        status=200 if healthy else 503,
    )
