"""Settings for the health Q&A site, read from environment variables.

Every value a deployment changes comes from the environment (see README.md,
"Configuration"). Debug is off unless DJANGO_DEBUG says otherwise, and with debug
off a missing secret key or host list stops the process with a clear message
instead of starting with an unsafe default.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str) -> list[str]:
    """Read a comma-separated environment variable into a list without blanks."""
    return [
        item.strip() for item in os.environ.get(name, "").split(",") if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value, "
            "or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, "
            "comma-separated (for example: example.org,www.example.org)."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "").strip() or "Health Answers"
# The footer's disclaimer and emergency line, and the number emergency care
# cards print ("Call 999 now if:"). A deployment setting, like the time zone:
# the number is part of each card's published HTML, which a reviewer approved,
# so a change applies to versions published after it.
SITE_DISCLAIMER = os.environ.get("SITE_DISCLAIMER", "").strip() or (
    "The information on this site is for general education. It is not a "
    "substitute for advice from a doctor, midwife, nurse or pharmacist who knows "
    "your situation."
)
SITE_EMERGENCY_NUMBER = os.environ.get("SITE_EMERGENCY_NUMBER", "").strip() or "999"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "markdownx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Visitors' 304s and cached public pages are answered here, before the
    # middleware below, which they do not need (articles/web/page_cache.py).
    "articles.web.page_cache.VisitorPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Refuses an oversized report before the CSRF check reads its body.
    "articles.web.reports.ReportBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.reliability.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a lockout into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.web.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database;
# postgres://user:password@host:port/name uses psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker write to one file: every transaction
    # takes the write lock when it starts (never half-way, which SQLite can only
    # refuse), and waits up to 20 s for it; readers do not block writers (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
# A PostgreSQL streaming replica that public list pages and search may read
# once it has caught up (articles/web/replica.py decides; docs/stack.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs DATABASE_URL to name a PostgreSQL "
            "primary: a replica of the embedded SQLite file is not possible."
        )
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A replica that is down costs a list page at most this, then the primary.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["articles.web.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Library images (articles/images/): files named by their content hash, served
# by articles/web/media.py from the default storage.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"
# Where a login goes when its ?next= is missing or refused as off-site: the
# admin (Django's default, /accounts/profile/, does not exist here).
LOGIN_REDIRECT_URL = "admin:index"

# Production-safe defaults: the cookies and HSTS only apply over HTTPS, which
# DJANGO_SECURE=false turns off for a deployment behind plain HTTP (not advised).
SECURE = env_bool("DJANGO_SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
# Joining the browsers' HSTS preload list is hard to undo, so it is the
# publisher's explicit choice; the deploy check's reminder about it is silenced.
SECURE_HSTS_PRELOAD = SECURE and env_bool("DJANGO_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Load balancers probe /healthz over plain HTTP inside the network.
# nginx's refresh listener asks for the public-content tag over plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^_cache/state$"]

# Content-Security-Policy (django-csp) on every response. No page of ours and
# no admin page has inline script or style: scripts and stylesheets come from
# our own static files, and published HTML (sanitised) cannot load anything.
# The JSON-LD blocks are data (type="application/ld+json"), which browsers
# never execute, so they need no exception. Changing this is a security
# decision: tests/test_security_headers.py states the policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): its backend counts failed admin logins in
# the database (so every worker and machine shares the count) and refuses
# further tries from the same address, or for the same username, once
# AXES_FAILURE_LIMIT have failed within AXES_COOLOFF_TIME. Locking by
# username too stops a credential-stuffing botnet that rotates addresses, at
# the price that an attacker can keep one account locked for the cool-off;
# `manage.py axes_reset_username NAME` lifts a lock. axes exposes no URLs; its
# records appear in the admin for superusers only.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# axes's own reset on success deletes every record matching the address OR
# the username, so logging into an account of one's own from the attacker's
# address wiped the failures counted there against every other account. The
# handler below clears only the records of that username from that address.
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "cms.security.LoginThrottleHandler"
# Lockouts are logged as warnings; every login attempt is in the admin
# ("Access attempts", "Access logs"), not also in the process log.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "cms.security.locked_out"
# Behind a reverse proxy every request comes from the proxy's address, so the
# client's address is read from X-Forwarded-For: the entry the nearest trusted
# proxy appended, never one the client could have written itself.
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))

# Readers' "Report a problem with this page" (articles/web/reports.py). At
# most REPORT_RATE_LIMIT reports from one address per REPORT_RATE_WINDOW,
# counted in the database (so every worker and machine shares the count) by a
# keyed hash of the address, never the address itself. A request body over
# REPORT_MAX_BODY_BYTES is refused before it is read: the longest report a
# reader can type (2,000 + 200 characters, each up to 12 bytes once a browser
# has percent-encoded its UTF-8) fits in 32 KB.
REPORT_RATE_LIMIT = int(os.environ.get("DJANGO_REPORT_RATE_LIMIT", "5"))
REPORT_RATE_WINDOW = timedelta(
    minutes=int(os.environ.get("DJANGO_REPORT_RATE_WINDOW_MINUTES", "60"))
)
REPORT_MAX_BODY_BYTES = 32_768

# The partner API (/api/v1/, docs/api.md). Callers without a key are refused
# unless DJANGO_API_ANONYMOUS is on; they then get API_ANONYMOUS_PER_MINUTE
# requests a minute per address. Each key has its own limit (admin).
API_ANONYMOUS = env_bool("DJANGO_API_ANONYMOUS")
API_ANONYMOUS_PER_MINUTE = int(os.environ.get("DJANGO_API_ANONYMOUS_PER_MINUTE", "30"))

# Markdown editor (django-markdownx). Its own URL module is not mounted: its
# preview view has no permission check and its upload view accepts files from
# anyone. The admin preview goes to articles.web.views.markdown_preview instead,
# which needs change permission and renders through the same sanitiser as the
# public pages. Image upload is switched off (no URL answers it).
MARKDOWNX_URLS_PATH = "/admin-tools/markdown-preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin-tools/upload-disabled/"
# The page's own rendering, plus a notice where an image (not supported yet)
# would silently be left out; articles.web.views.markdown_preview calls it.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.text.images.render_preview"
MARKDOWNX_SERVER_CALL_LATENCY = 600
# A fixed-height editor beside its preview, instead of one that grows with the text.
MARKDOWNX_EDITOR_RESIZABLE = False

# Caching (articles/web/page_cache.py). The page cache is per process unless
# DJANGO_CACHE_BACKEND/DJANGO_CACHE_LOCATION name a shared one, e.g.
# django.core.cache.backends.redis.RedisCache and redis://127.0.0.1:6379/1.
# Keys carry the public-content generation, so either way is correct.
# The per-process cache holds at most DJANGO_CACHE_MAX_ENTRIES pages in each
# worker: an article page is about 25 KB, so 2,000 pages are about 50 MB and
# a worker stays under 150 MB however many articles visitors ask for.
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "public-pages"),
        "TIMEOUT": 600,
        "OPTIONS": {
            "MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", "2000"))
        }
        if "locmem" in os.environ.get("DJANGO_CACHE_BACKEND", "locmem")
        else {},
    }
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis that is stopped or stuck costs each page at most this long, then
    # the page is rendered without the cache (page_cache._cache_call).
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
    }
# Part of every public page's ETag and cache key: set it to the deploy's
# commit (or any new value per deploy) so new templates are not answered with
# 304s or cached pages from the old ones.
RELEASE = os.environ.get("DJANGO_RELEASE", "").strip()
if RELEASE and not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", RELEASE):
    raise ImproperlyConfigured(
        "DJANGO_RELEASE may hold only letters, digits, '.', '_' and '-' "
        f"(at most 64), not {RELEASE!r}."
    )
RELEASE_TAG = f"-{RELEASE}" if RELEASE else ""
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
BROWSER_CACHE_SECONDS = int(os.environ.get("DJANGO_BROWSER_CACHE_SECONDS", "60"))
SHARED_CACHE_SECONDS = int(os.environ.get("DJANGO_SHARED_CACHE_SECONDS", "300"))
# Dotted path of a function called after a change to public content commits,
# e.g. to purge a CDN or nginx cache (see README, "Caching").
PUBLIC_PURGE_HOOK = os.environ.get("DJANGO_PUBLIC_PURGE_HOOK", "")
# For the hook articles.web.edge_cache.refresh_nginx: each nginx's refresh
# address (deploy/nginx/health.conf), comma-separated, e.g.
# http://10.0.0.5:8081/_cache/state, and how long to wait for each.
NGINX_REFRESH_URLS = env_list("DJANGO_NGINX_REFRESH_URLS")
for _url in NGINX_REFRESH_URLS:
    if not re.fullmatch(r"https?://[A-Za-z0-9.:\[\]-]+/_cache/state", _url):
        raise ImproperlyConfigured(
            "DJANGO_NGINX_REFRESH_URLS holds addresses such as "
            f"http://10.0.0.5:8081/_cache/state, not {_url!r}."
        )
NGINX_REFRESH_TIMEOUT = float(os.environ.get("DJANGO_NGINX_REFRESH_TIMEOUT", "1"))

# Background work (articles/background/): jobs are rows in our database, run
# by `manage.py worker` (django-tasks with its database backend).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The address emails link to (admin pages, the public page): scheme and host,
# no path, e.g. https://health.example.org.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/") or (
    "http://127.0.0.1:8000"
)
if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", SITE_URL):
    raise ImproperlyConfigured(
        "DJANGO_SITE_URL must be a scheme and host such as "
        f"https://health.example.org, not {SITE_URL!r}."
    )

# Link checks (articles/background/link_checks.py): every hour the worker
# checks up to LINK_CHECK_BATCH reference addresses of live versions, each
# again after LINK_CHECK_EVERY_DAYS (one that failed after
# LINK_CHECK_RETRY_HOURS), waiting LINK_CHECK_TIMEOUT seconds at most for an
# answer and LINK_CHECK_HOST_SECONDS between two requests to one host. It
# never connects to a private or loopback address unless
# DJANGO_LINK_CHECK_PRIVATE_ADDRESSES is on (the tests' local servers). The
# test suite turns the checks off (tests/conftest.py) except where it serves
# the pages itself.
LINK_CHECKS_ENABLED = env_bool("DJANGO_LINK_CHECKS", default=True)
LINK_CHECK_PRIVATE_ADDRESSES = env_bool("DJANGO_LINK_CHECK_PRIVATE_ADDRESSES")


def link_check_number(name: str, default: str, kind=int):
    """A positive number from the environment, or a clear error."""
    raw = os.environ.get(name, "").strip() or default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if not 0 < value < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a positive number, not {raw!r}.")
    return value


LINK_CHECK_BATCH = link_check_number("DJANGO_LINK_CHECK_BATCH", "100")
LINK_CHECK_EVERY_DAYS = link_check_number("DJANGO_LINK_CHECK_EVERY_DAYS", "7")
LINK_CHECK_RETRY_HOURS = link_check_number("DJANGO_LINK_CHECK_RETRY_HOURS", "24")
LINK_CHECK_TIMEOUT = link_check_number("DJANGO_LINK_CHECK_TIMEOUT", "10", float)
LINK_CHECK_HOST_SECONDS = link_check_number(
    "DJANGO_LINK_CHECK_HOST_SECONDS", "2", float
)

# Email (notifications and the daily review digest, articles/notifications/):
# printed to the console by default. A failed send is tried again after each
# of DJANGO_EMAIL_RETRY_SECONDS, then shown to administrators as failed.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
if os.environ.get("DJANGO_EMAIL_FILE_PATH"):  # for Django's file backend
    EMAIL_FILE_PATH = os.environ["DJANGO_EMAIL_FILE_PATH"]
EMAIL_TIMEOUT = 20
try:
    EMAIL_RETRY_SECONDS = [
        int(seconds)
        for seconds in env_list("DJANGO_EMAIL_RETRY_SECONDS") or ["60", "600", "3600"]
    ]
except ValueError:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_RETRY_SECONDS must be whole seconds separated by commas, "
        f"not {os.environ['DJANGO_EMAIL_RETRY_SECONDS']!r}."
    ) from None
# The daily digest of overdue and due-soon reviews goes out at this hour (TIME_ZONE).
DIGEST_HOUR = os.environ.get("DJANGO_DIGEST_HOUR", "7").strip()
if DIGEST_HOUR not in {str(hour) for hour in range(24)}:
    raise ImproperlyConfigured(
        f"DJANGO_DIGEST_HOUR must be an hour from 0 to 23, not {DIGEST_HOUR!r}."
    )
DIGEST_HOUR = int(DIGEST_HOUR)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
}
