import ipaddress
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from articles.review import workflow
from tests.factories import ArticleFactory, make_editor, make_published, make_reviewer

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def describe_database() -> str:
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        return "SQLite (in-memory test database)"
    return f"{vendor} at {db.get('HOST') or 'local socket'}:{db.get('PORT') or ''}"


def pytest_report_header(config):
    return f"database: {describe_database()}"


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"Database used for this run: {describe_database()}")


def pytest_collection_modifyitems(items):
    """A transactional test that flushes without serialized_rollback lets
    post_migrate recreate the content types, and every later
    serialized_rollback test then fails at setup on duplicate rows.
    Refuse such a test before anything runs."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, "
                "serialized_rollback=True) so the flush keeps content types"
            )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many accounts; a deliberately slow hash only costs time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class NetworkAccess(RuntimeError):
    """Not an OSError, so that code handling network errors cannot swallow it."""


def _loopback_only(connect):
    def guarded(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0]).split("%")[0]
            try:
                local = ipaddress.ip_address(host).is_loopback
            except ValueError:
                local = host == "localhost"
            if not local:
                raise NetworkAccess(
                    f"A test tried to connect to {address!r}: the test suite never "
                    "touches the network (tests/conftest.py)."
                )
        return connect(sock, address)

    return guarded


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Any connection to an address off this machine fails loudly: demo and
    test content cite real sites, and the link checker must not reach them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _loopback_only(socket.socket.connect))
        patch.setattr(
            socket.socket, "connect_ex", _loopback_only(socket.socket.connect_ex)
        )
        yield


@pytest.fixture(autouse=True)
def no_link_checks(settings):
    """The clock starts no link checks; tests/test_link_checks.py turns them
    on against its own servers on 127.0.0.1."""
    settings.LINK_CHECKS_ENABLED = False


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path_factory):
    """Library image files go to a folder of the test's own, never the
    project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test's database starts afresh; so must the page cache."""
    cache.clear()


@pytest.fixture
def seed_text():
    """Read a seed article from ../shared/seeds/ by file-name prefix, or skip."""

    def read(prefix: str) -> str:
        if not SEEDS_DIR.is_dir():
            pytest.skip(f"seed articles not found at {SEEDS_DIR}")
        matches = sorted(SEEDS_DIR.glob(f"{prefix}*.txt"))
        if not matches:
            pytest.skip(f"no seed starting with {prefix!r} in {SEEDS_DIR}")
        return matches[0].read_text(encoding="utf-8")

    return read


@pytest.fixture
def editor(db):
    return make_editor(username="editor")


@pytest.fixture
def reviewer(db):
    return make_reviewer(username="reviewer")


@pytest.fixture
def article(db, editor, reviewer):
    """A public article, written by `editor` and approved by `reviewer`."""
    return make_published(editor=editor, reviewer=reviewer)


@pytest.fixture
def draft(db, editor):
    """A draft written by `editor`, never submitted."""
    draft = ArticleFactory()
    workflow.record_edit(draft, user=editor)
    draft.refresh_from_db()
    return draft
