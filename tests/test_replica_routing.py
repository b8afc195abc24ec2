"""Which pages may read the replica (articles/web/replica.py), one test per rule.

The "replica" here is a second connection to the test database, so every
query it runs is seen apart from the primary's; lag and failure are made by
changing what that connection answers. tests/stack/ runs the same rules
against a real streaming replica.
"""

import logging

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleVersion, PublicState
from articles.web import replica
from articles.web.replica import REPLICA, ReplicaRouter

from .factories import make_editor, make_published

# The replica connection sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def replica_db(settings):
    """A "replica" alias: the test database through a connection of its own."""
    settings_dict = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    connections.settings[REPLICA] = settings_dict  # `REPLICA in connections`
    # Named "default" inside: Django's test case lets a test reach only its
    # own databases, and this is the test database, through a second connection.
    backend = load_backend(settings_dict["ENGINE"])
    connections[REPLICA] = backend.DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    settings.DATABASE_ROUTERS = ["articles.web.replica.ReplicaRouter"]
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def live(replica_db):
    return make_published(title="How is a sore throat treated?")


def tables_read(queries) -> str:
    return " ".join(query["sql"] for query in queries).lower()


def visit(client, url, alias=REPLICA):
    with CaptureQueriesContext(connections[alias]) as queries:
        response = client.get(url)
    return response, tables_read(queries.captured_queries)


def test_list_pages_and_search_read_the_replica_for_visitors(client, live):
    pages = [
        "/",
        live.topic.get_absolute_url(),
        live.author.get_absolute_url(),
        "/search/?q=sore+throat",
    ]
    for url in pages:
        response, replica_read = visit(client, url)
        assert response.status_code == 200, url
        assert "How is a sore throat treated?" in response.content.decode(), url
        assert "articles_articleversion" in replica_read, url
        assert "articles_publicstate" in replica_read, url  # caught up?


def test_the_article_page_never_reads_the_replica(client, live):
    response, replica_read = visit(client, live.live_version.get_absolute_url())
    assert response.status_code == 200
    assert replica_read == ""


def test_staff_never_read_the_replica(client, live):
    client.force_login(make_editor())
    for url in ["/", live.topic.get_absolute_url(), "/search/?q=sore"]:
        response, replica_read = visit(client, url)
        assert response.status_code == 200, url
        assert replica_read == "", url


def test_a_replica_behind_the_primary_sends_list_pages_to_the_primary(
    client, live, monkeypatch
):
    real_state = replica.current_state

    def lagging(using="default"):
        state = real_state(using)
        return (state[0] - 1, state[1]) if using == REPLICA else state

    monkeypatch.setattr(replica, "current_state", lagging)
    response, primary_read = visit(client, "/", alias="default")
    assert "How is a sore throat treated?" in response.content.decode()
    assert "articles_articleversion" in primary_read


def test_a_replica_that_is_down_sends_list_pages_to_the_primary(
    client, live, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", refuse)
    with caplog.at_level(logging.WARNING, logger="articles.web.replica"):
        response = client.get("/search/?q=sore+throat")
    assert response.status_code == 200
    assert "How is a sore throat treated?" in response.content.decode()
    assert "Replica unavailable" in caplog.text


def test_a_replica_that_fails_half_way_through_a_page_is_read_again_from_the_primary(
    client, live, monkeypatch, caplog
):
    checked = []

    def fail_after_the_check(execute, sql, params, many, context):
        if "articles_publicstate" not in sql:
            raise OperationalError("server closed the connection unexpectedly")
        checked.append(sql)
        return execute(sql, params, many, context)

    with connections[REPLICA].execute_wrapper(fail_after_the_check):
        with caplog.at_level(logging.WARNING, logger="articles.web.replica"):
            response = client.get(live.topic.get_absolute_url())
    assert checked  # the currency check ran on the replica, then the page failed
    assert response.status_code == 200
    assert "How is a sore throat treated?" in response.content.decode()
    assert "Replica failed during" in caplog.text


def test_the_router_sends_only_list_page_reads_to_the_replica_and_never_the_counter():
    router = ReplicaRouter()
    assert router.db_for_read(ArticleVersion) is None  # outside a list page
    token = replica._reading_replica.set(True)
    try:
        assert router.db_for_read(ArticleVersion) == REPLICA
        assert router.db_for_read(PublicState) is None
        assert router.db_for_write(ArticleVersion) == "default"
    finally:
        replica._reading_replica.reset(token)
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate(REPLICA, "articles")
