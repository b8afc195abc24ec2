"""The project's URLs plus a bare Django view, the yardstick of every figure."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns


def hello(request):
    """No template, no database: what the middleware and gunicorn alone cost."""
    return HttpResponse("Hello, world")


urlpatterns = [path("bench/hello/", hello, name="bench-hello"), *project_urlpatterns]
