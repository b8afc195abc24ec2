"""Browser tests: Playwright (sync API) driving Debian's Chromium.

Run them with `make test-browser` (the third leg of `make test`), which first
runs .ci/install-test-tools: in CI it installs Chromium, Java and the npm
checkers; outside CI a missing Chromium skips the leg loudly. The SQLite and
PostgreSQL legs leave this folder out, so these tests run once.

Each module marks its tests `pytest.mark.browser`. Playwright's own browser
download is never used (there is no internet here): the browser is the one at
CHROMIUM_PATH (default /usr/bin/chromium), started with networking features
off, and the pages come from pytest-django's live server on 127.0.0.1.
"""

import os
import shutil
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from pytest_django.live_server_helper import LiveServer

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
CHECKERS_DIR = Path(__file__).resolve().parents[2] / ".ci" / "node_modules"
AXE_JS = CHECKERS_DIR / "axe-core" / "axe.min.js"
VNU_JAR = CHECKERS_DIR / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The demo accounts created by load_demo (articles/management/commands/load_demo.py).
EDITOR = ("editor", "demo-editor-pass")
REVIEWER = ("reviewer", "demo-reviewer-pass")


def missing_tool(reason: str):
    """Fail in CI, where .ci/install-test-tools must have installed it; skip elsewhere."""
    message = f"{reason} Run .ci/install-test-tools (or `make test-browser`)."
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class RequestsInFlight:
    """The requests Django is answering in other threads (the live server's),
    counted with Django's request_started and request_finished signals.

    Closing a browser context drops its connections, but the live server
    goes on answering what it had already received (a live preview, say)
    until its view returns; until then that request may hold a lock on the
    shared in-memory SQLite database.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._threads = Counter()

    def started(self, **kwargs):
        with self._lock:
            self._threads[threading.current_thread()] += 1

    def finished(self, **kwargs):
        with self._lock:
            thread = threading.current_thread()
            self._threads[thread] -= 1
            if self._threads[thread] <= 0:
                del self._threads[thread]

    def busy(self) -> list[threading.Thread]:
        """Threads other than this one still in a request (a thread that
        died mid-request does not count)."""
        me = threading.current_thread()
        with self._lock:
            return [t for t in self._threads if t is not me and t.is_alive()]

    def wait_until_done(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.02)


IN_FLIGHT = RequestsInFlight()


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, always on 127.0.0.1 and a free port.

    Replaces pytest-django's fixture of the same name, which binds to whatever
    --liveserver or DJANGO_LIVE_TEST_SERVER_ADDRESS says ("localhost" if
    neither): these tests never listen on anything but the loopback address.
    pytest-django's autouse helper still gives each test a transactional
    database and adds the host to ALLOWED_HOSTS.
    """
    request_started.connect(
        IN_FLIGHT.started, weak=False, dispatch_uid="browser-in-flight"
    )
    request_finished.connect(
        IN_FLIGHT.finished, weak=False, dispatch_uid="browser-in-flight"
    )
    server = LiveServer("127.0.0.1")  # no port: the OS picks a free one
    yield server
    server.stop()
    request_started.disconnect(dispatch_uid="browser-in-flight")
    request_finished.disconnect(dispatch_uid="browser-in-flight")


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM_PATH, os.X_OK):
        missing_tool(f"No Chromium at {CHROMIUM_PATH}.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread,
    # which makes Django refuse database calls from the test code ("You cannot
    # call this from an async context"). The test code never awaits anything, so
    # the check is switched off while the browser is up.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@dataclass
class PageProblems:
    """What went wrong while pages loaded: console errors, uncaught script
    errors, requests that failed, and responses with an error status."""

    console_errors: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[tuple[int, str]] = field(default_factory=list)

    def clear(self) -> None:
        """Forget what was recorded so far (before the next page of a tour)."""
        for recorded in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.error_responses,
        ):
            recorded.clear()

    def watch(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        return page

    def _on_request_failed(self, request):
        # ERR_ABORTED is the page itself cancelling a request: a navigation
        # while something loads, or select2 dropping a superseded search. A
        # request to anywhere but the live server fails as ERR_BLOCKED_BY_CLIENT
        # (see new_page).
        if request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(
                f"{request.method} {request.url}: {request.failure}"
            )

    def _on_console(self, message):
        if message.type == "error":
            url = message.location.get("url", "")
            self.console_errors.append((message.text, url))

    def _on_response(self, response):
        if response.status >= 400:
            self.error_responses.append((response.status, response.url))

    def all(self, *, expected_error_urls=()) -> list[str]:
        """Every problem, as lines for an assertion message. A response with
        an error status from one of expected_error_urls (a 404 page under
        test), and the console line Chromium logs for it, are not problems."""
        expected = set(expected_error_urls)
        return (
            [
                f"console error: {text} (at {url})"
                for text, url in self.console_errors
                if url not in expected
            ]
            + [f"script error: {error}" for error in self.page_errors]
            + [f"request failed: {line}" for line in self.failed_requests]
            + [
                f"error response: {status} {url}"
                for status, url in self.error_responses
                if url not in expected
            ]
        )


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """Open a page in a fresh browser context (its own cookies: one per person).

    Asks for the database first, so its pages are closed before the database
    is emptied after the test, and then waits (up to 30 s) until the live
    server has finished every request it had received: a request still in
    flight would otherwise hold a lock on the shared in-memory SQLite
    database and fail the flush. (A loaded machine, e.g. the three legs of
    `make test` running at once, makes such a straggler likely.)

    Returns (page, problems); relative URLs in goto() go to the live server.
    Nothing leaves 127.0.0.1: any other request is aborted and recorded.
    """
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        contexts.append(context)
        context.route(
            lambda url: not url.startswith(live_server.url),
            lambda route: route.abort("blockedbyclient"),
        )
        context.set_default_timeout(10_000)
        problems = PageProblems()
        page = problems.watch(context.new_page())
        return page, problems

    yield open_page
    for context in contexts:
        context.close()
    IN_FLIGHT.wait_until_done(timeout=30)


@pytest.fixture
def _visitor(new_page):
    return new_page()


@pytest.fixture
def page(_visitor):
    """A visitor's page (no login) at the default 1280 x 720 viewport."""
    return _visitor[0]


@pytest.fixture
def page_problems(_visitor):
    """What went wrong on `page` so far (PageProblems)."""
    return _visitor[1]


@pytest.fixture
def demo(transactional_db):
    """The demo topics, bylines, published articles and accounts, in the
    database the live server reads (a transactional test database).

    load_demo refuses to create its accounts (whose passwords are public)
    while DEBUG is off, as it is in tests, unless told.
    """
    # A transactional test's database is flushed afterwards, which removes the
    # groups that a data migration made; sync_roles makes them again.
    call_command("sync_roles", stdout=StringIO())
    call_command("load_demo", "--allow-demo-users-without-debug", stdout=StringIO())


def log_in(page, username, password):
    """Sign in to /admin/ in this page's browser context."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


@pytest.fixture(scope="session")
def java():
    path = shutil.which("java")
    if path is None:
        missing_tool("No `java` found, so the Nu HTML checker cannot run.")
    return path
