"""What nginx's page cache asks of the app (articles/web/edge_cache.py): the
public-content tag, and the purge hook that makes nginx fetch it again.
tests/stack/ runs both through a real nginx."""

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import OperationalError

from articles.review import workflow
from articles.web import page_cache
from articles.web.edge_cache import TAG_HEADER, refresh_nginx


def tag_of(client) -> str:
    response = client.get("/_cache/state")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response[TAG_HEADER]


def test_the_tag_is_the_one_in_every_public_pages_etag(client, article):
    page = client.get(article.live_version.get_absolute_url())
    assert page["ETag"] == f'"{tag_of(client)}"'


def test_the_tag_moves_on_when_an_article_is_withdrawn(
    client, article, editor, django_capture_on_commit_callbacks
):
    before = tag_of(client)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, user=editor, comment="Out of date")
    assert tag_of(client) != before


def test_with_the_database_down_the_tag_is_missing_but_the_answer_is_200(
    client, db, monkeypatch, caplog
):
    def refuse():
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(page_cache, "public_validators", refuse)
    with caplog.at_level(logging.WARNING, logger="articles.web.edge_cache"):
        response = client.get("/_cache/state")
    # nginx would turn any other status into a 500; no tag means "do not cache".
    assert response.status_code == 200
    assert TAG_HEADER not in response
    assert "No public-content tag for nginx" in caplog.text


class RefreshListener:
    """Stands in for nginx's refresh listener: records each request's path and Host."""

    def __init__(self):
        self.requests = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                listener.requests.append((self.path, self.headers["Host"]))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/_cache/state"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def listeners():
    with RefreshListener() as first, RefreshListener() as second:
        yield first, second


def test_the_hook_asks_every_nginx_for_the_tag_with_the_sites_host(settings, listeners):
    settings.SITE_URL = "https://health.example"
    settings.NGINX_REFRESH_URLS = [listener.url for listener in listeners]
    refresh_nginx()
    for listener in listeners:
        assert listener.requests == [("/_cache/state", "health.example")]


def test_an_nginx_that_does_not_answer_is_logged_and_the_others_still_asked(
    settings, listeners, caplog
):
    first, second = listeners
    first.httpd.server_close()  # nothing listens there any more
    settings.NGINX_REFRESH_URLS = [first.url, second.url]
    settings.NGINX_REFRESH_TIMEOUT = 0.5
    with caplog.at_level(logging.WARNING, logger="articles.web.edge_cache"):
        refresh_nginx()  # never raises: the change has committed
    assert f"Could not refresh nginx's page tag at {first.url}" in caplog.text
    assert len(second.requests) == 1


def test_the_hook_is_called_once_per_change_through_the_refresh(
    settings, listeners, article, editor, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PURGE_HOOK = "articles.web.edge_cache.refresh_nginx"
    settings.NGINX_REFRESH_URLS = [listeners[0].url]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article, user=editor, comment="Out of date")
    assert len(listeners[0].requests) == 1
