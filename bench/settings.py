"""Settings for `make bench`: the project's own settings, plus the bare view's URL.

bench/run.py sets the environment before anything imports this module: a
throwaway DATABASE_URL, a random DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS for
127.0.0.1, DJANGO_DEBUG=false and DJANGO_SECURE=false (plain HTTP on the
loopback, so no redirect to HTTPS). Everything else is what a deployment runs.
"""

import os
from pathlib import Path

from cms.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"

# collectstatic goes to the run's temporary folder, not the project's staticfiles/.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

# A cache that never finds anything: every page is rendered from the database.
# bench/run.py measures each page with it (BENCH_PAGE_CACHE=off) and with the
# project's own CACHES.
NO_PAGE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = NO_PAGE_CACHE
