"""Settings are read at import time, so each case imports them in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import cms.settings with exactly these DJANGO_*/DATABASE_URL variables."""
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "SITE_NAME"}
    }
    code = (
        "import cms.settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.SITE_NAME, s.SESSION_COOKIE_SECURE, sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_and_secret_key_required_by_default():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_allowed_hosts_required_when_debug_is_off():
    result = load_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_are_secure_and_use_sqlite_by_default():
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="health.example, www.health.example",
    )
    assert result.returncode == 0, result.stderr
    debug, hosts, engine, site_name, secure_cookie = result.stdout.strip().split("|")
    assert debug == "False"
    assert hosts == "['health.example', 'www.health.example']"
    assert engine == "django.db.backends.sqlite3"
    assert site_name == "Health Answers"
    assert secure_cookie == "True"


def test_database_url_selects_postgresql_and_site_name_is_read():
    result = load_settings(
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://u:p@db.internal:5432/health",
        SITE_NAME="Clinic Answers",
    )
    assert result.returncode == 0, result.stderr
    debug, _, engine, site_name, secure_cookie = result.stdout.strip().split("|")
    assert (debug, engine, site_name, secure_cookie) == (
        "True",
        "django.db.backends.postgresql",
        "Clinic Answers",
        "False",
    )


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_unrecognised_debug_value_is_a_clear_error(value):
    result = load_settings(DJANGO_DEBUG=value)
    assert result.returncode != 0
    assert f"DJANGO_DEBUG must be true or false, not '{value}'" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=clean_env
        | {
            "DJANGO_SECRET_KEY": "k" * 30 + "-Zq8#mX!vR2@pL5$wN7^" + "t" * 20,
            "DJANGO_ALLOWED_HOSTS": "health.example",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "limit"), [({}, 2000), ({"DJANGO_CACHE_MAX_ENTRIES": "50"}, 50)]
)
def test_the_per_process_page_cache_is_bounded(env, limit):
    """Each worker keeps at most DJANGO_CACHE_MAX_ENTRIES pages (2,000 by
    default, about 50 MB), however many pages visitors ask for."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cms.settings'; "
        "django.setup(); from django.core.cache import cache; "
        f"[cache.set(f'page-{{n}}', 'x') for n in range({limit} + 500)]; "
        "print(len(cache._cache))"
    )
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean_env | {"DJANGO_DEBUG": "true"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert 0 < int(result.stdout) <= limit


def test_a_replica_needs_a_postgresql_primary():
    result = load_settings(
        DJANGO_DEBUG="true", DATABASE_REPLICA_URL="postgres://cms@10.0.0.6/cms"
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL to name a PostgreSQL" in (
        result.stderr
    )
    primary = "postgres://cms@10.0.0.5/cms"
    result = load_settings(
        DJANGO_DEBUG="true",
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL="postgres://cms@10.0.0.6/cms",
    )
    assert result.returncode == 0, result.stderr
