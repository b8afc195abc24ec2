from pathlib import Path

import pytest
from django.conf import settings

from articles import roles
from tests.factories import ArticleFactory, UserFactory

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
    return UserFactory(username="editor", groups=[roles.EDITORS])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", groups=[roles.MEDICAL_REVIEWERS])


@pytest.fixture
def article(db):
    """A public article."""
    return ArticleFactory(published=True)


@pytest.fixture
def draft(db):
    return ArticleFactory()
