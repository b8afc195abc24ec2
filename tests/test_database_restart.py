"""A real PostgreSQL restart (PostgreSQL leg of `make test` only: it needs the
restartable throwaway cluster of .ci/with-postgres, WITH_POSTGRES_CTL).

While the server is down a page answers the friendly 503 and /healthz says
so; once it is back the same process serves pages again, without a restart of
the app: CONN_HEALTH_CHECKS finds the dead connection and opens a new one.
bench/load.py --restart-db does the same under load, through gunicorn.
"""

import io
import json
import os
import subprocess

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from tests.factories import make_published

CONTROL = os.environ.get("WITH_POSTGRES_CTL", "")

pytestmark = [
    pytest.mark.skipif(
        not CONTROL, reason="needs .ci/with-postgres's restartable PostgreSQL"
    ),
    # The groups and site pages of the data migrations come back after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def control(action):
    subprocess.run([CONTROL, action], check=True, timeout=60)


def get(path):
    """A request through Django's WSGI handler, as gunicorn makes it. (The test
    client switches off the per-request connection housekeeping, which is
    exactly what this test is about.)"""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
    }
    answer = {}

    def start_response(status, headers):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    body = b"".join(WSGIHandler()(environ, start_response)).decode()
    return answer["status"], answer["headers"], body


def test_pages_fail_cleanly_while_postgresql_is_down_and_recover_by_themselves(
    editor, reviewer
):
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent, as deployed
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    article = make_published(editor=editor, reviewer=reviewer)
    url = article.get_absolute_url()
    assert get(url)[0] == 200
    assert connection.connection is not None  # kept open for the next request

    control("stop")
    try:
        for _ in range(2):  # the broken connection, then no server at all
            status, headers, body = get(url)
            assert status == 503
            assert "temporarily unavailable" in body
            assert headers["Retry-After"] == "30"
        status, _, body = get("/healthz")
        assert (status, json.loads(body)["status"]) == (503, "unavailable")
    finally:
        control("start")

    status, _, body = get(url)
    assert status == 200
    assert article.live_version.title in body
    status, _, body = get("/healthz")
    assert (status, json.loads(body)["status"]) == (200, "ok")


def test_a_restart_between_two_requests_costs_no_visitor_an_error(editor, reviewer):
    """The connection kept from the last request died in the restart; the
    health check at the start of the next request notices and reconnects,
    so not even the first visitor after the restart gets a 503."""
    article = make_published(editor=editor, reviewer=reviewer)
    assert get(article.get_absolute_url())[0] == 200
    control("stop")
    control("start")
    status, _, body = get(article.get_absolute_url())
    assert status == 200
    assert article.live_version.title in body
