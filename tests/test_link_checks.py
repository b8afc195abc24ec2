"""The link checker (articles/background/link_checks.py, http_check.py)
against real web servers on 127.0.0.1 (tests/link_servers.py): what each
answer means for a reference, how politely it asks, which addresses it
checks and when, and where editors and reviewers see the bad links."""

import datetime
import ipaddress
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin.source_checks import sources_need_attention
from articles.background import clock, http_check, link_checks
from articles.background.http_check import (
    DEAD,
    FAILED,
    MOVED,
    OK,
    Answer,
    Checker,
)
from articles.models import ArticleVersion, SourceCheck
from articles.review import workflow
from tests.conftest import NetworkAccess
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    ReferenceFactory,
    UserFactory,
    make_published,
    make_reviewer,
    republish,
)
from tests.link_servers import DRIP, DRIP_SECONDS, ROUTES, LinkServer
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db
State = SourceCheck.State
PROJECT_DIR = Path(__file__).resolve().parent.parent
TIMEOUT = 0.3
USER_AGENT = "Health Answers link checker (+https://health.example.org)"


@pytest.fixture
def checks_on(settings):
    """The checker switched on, quick, and allowed to reach 127.0.0.1."""
    settings.LINK_CHECKS_ENABLED = True
    settings.LINK_CHECK_PRIVATE_ADDRESSES = True
    settings.LINK_CHECK_TIMEOUT = TIMEOUT
    settings.LINK_CHECK_HOST_SECONDS = 0.02
    settings.LINK_CHECK_BATCH = 100
    settings.SITE_NAME = "Health Answers"
    settings.SITE_URL = "https://health.example.org"
    return settings


@pytest.fixture
def server():
    with LinkServer() as running:
        yield running


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_article(urls, *, editor, reviewer, **fields):
    """A published article whose references cite `urls`, in order."""
    article = ArticleFactory(**fields)
    for position, url in enumerate(urls, start=1):
        ReferenceFactory(article=article, position=position, url=url)
    return make_published(article, editor=editor, reviewer=reviewer)


def row(article, url) -> SourceCheck:
    return SourceCheck.objects.get(article=article, url=url)


def make_due():
    """As if every row had last been checked long ago."""
    SourceCheck.objects.update(checked_at=timezone.now() - datetime.timedelta(days=30))


# ---------------------------------------------------------------------------
# What each answer means


def test_each_answer_gives_its_state_status_and_moved_address(
    checks_on, server, editor, reviewer
):
    refused = f"http://127.0.0.1:{closed_port()}/page"
    paths = [
        "/ok", "/moved", "/temporary", "/missing", "/gone", "/broken",
        "/no-head", "/slow", "/robots-away", "/loop",
    ]  # fmt: skip
    urls = [server.url(path) for path in paths] + [refused]
    article = live_article(urls, editor=editor, reviewer=reviewer)

    summary = link_checks.run()

    assert summary["added"] == len(urls) and summary["checked"] == len(urls)
    found = {path: row(article, server.url(path)) for path in paths} | {
        "refused": row(article, refused)
    }
    expected = {
        # path: (state, HTTP status, failures)
        "/ok": (State.OK, 200, 0),
        "/moved": (State.MOVED, 301, 0),
        "/temporary": (State.OK, 200, 0),
        "/missing": (State.DEAD, 404, 0),
        "/gone": (State.DEAD, 410, 0),
        "/broken": (State.UNCHECKED, 500, 1),
        "/no-head": (State.OK, 200, 0),
        "/slow": (State.UNCHECKED, None, 1),
        "/robots-away": (State.OK, 403, 0),
        "/loop": (State.UNCHECKED, 302, 1),
        "refused": (State.UNCHECKED, None, 1),
    }
    assert {
        path: (check.state, check.http_status, check.failures)
        for path, check in found.items()
    } == expected
    assert found["/moved"].moved_to == server.url("/new-home")
    assert [c.moved_to for p, c in found.items() if p != "/moved"] == [""] * 10
    assert found["/temporary"].detail == f"redirected to {server.url('/ok')}"
    assert found["/missing"].detail == "gone (404)"
    assert found["/broken"].detail.startswith("server error (500); failed check 1")
    assert found["/slow"].detail.startswith(f"no answer within {TIMEOUT:g} s")
    assert found["refused"].detail.startswith("connection refused")
    assert found["/loop"].detail.startswith("more than 5 redirects")
    assert "turns automated checks away (403)" in found["/robots-away"].detail
    # Gone and moved links need attention from the first check; a failure
    # only counts from when it began.
    assert found["/missing"].failing_since is not None
    assert found["/ok"].failing_since is None
    assert found["/broken"].failing_since == found["/broken"].checked_at
    assert {c.checked_at is not None for c in found.values()} == {True}


def test_head_comes_first_and_get_only_when_head_is_refused_or_fails(
    checks_on, server, editor, reviewer
):
    paths = ["/ok", "/no-head", "/robots-away", "/slow", "/missing"]
    live_article([server.url(p) for p in paths], editor=editor, reviewer=reviewer)
    link_checks.run()
    assert {path: server.requested(path) for path in paths} == {
        "/ok": ["HEAD"],
        "/no-head": ["HEAD", "GET"],
        "/robots-away": ["HEAD", "GET"],
        "/slow": ["HEAD", "GET"],  # each given up after the timeout
        "/missing": ["HEAD", "GET"],  # gone only if GET agrees
    }


def test_every_request_names_the_site_in_its_user_agent(
    checks_on, server, editor, reviewer
):
    live_article(
        [server.url("/ok"), server.url("/temporary"), server.url("/no-head")],
        editor=editor,
        reviewer=reviewer,
    )
    link_checks.run()
    assert len(server.requests) == 5  # /temporary's hop to /ok is asked again
    assert {r.user_agent for r in server.requests} == {USER_AGENT}


def test_one_host_gets_one_request_at_a_time_spaced_by_the_setting(
    checks_on, server, editor, reviewer
):
    checks_on.LINK_CHECK_HOST_SECONDS = 0.3
    live_article(
        [server.url(p) for p in ("/ok", "/other-ok", "/no-head")],
        editor=editor,
        reviewer=reviewer,
    )
    link_checks.run()
    times = sorted(r.at for r in server.requests)
    assert len(times) == 4
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.3, gaps


def test_a_failing_link_is_marked_failing_only_after_three_checks_in_a_row(
    checks_on, server, editor, reviewer
):
    url = server.url("/broken")
    article = live_article([url], editor=editor, reviewer=reviewer)
    link_checks.run()
    first = row(article, url)
    assert (first.state, first.failures) == (State.UNCHECKED, 1)
    link_checks.run()  # not due again yet: retried after LINK_CHECK_RETRY_HOURS
    assert row(article, url).failures == 1
    for failures, state in ((2, State.UNCHECKED), (3, State.FAILING)):
        SourceCheck.objects.update(
            checked_at=timezone.now() - datetime.timedelta(hours=25)
        )
        link_checks.run()
        check = row(article, url)
        assert (check.state, check.failures) == (state, failures)
    assert check.failing_since == first.checked_at
    assert check.detail == "server error (500); 3 checks in a row failed"
    assert server.requested("/broken") == ["HEAD", "GET"] * 3


def test_a_failure_keeps_the_state_until_the_third_and_an_answer_resets_it():
    now = timezone.now()
    dead = SourceCheck(state=State.DEAD, http_status=404, failing_since=now)
    link_checks.apply(dead, Answer(FAILED, 503, detail="server error (503)"), now)
    assert (dead.state, dead.failures, dead.failing_since) == (State.DEAD, 1, now)
    later = now + datetime.timedelta(days=1)
    link_checks.apply(dead, Answer(OK, 200), later)
    assert (dead.state, dead.failures, dead.failing_since) == (State.OK, 0, None)
    assert (dead.http_status, dead.detail, dead.checked_at) == (200, "", later)
    moved = SourceCheck(state=State.FAILING, failures=5, failing_since=now)
    link_checks.apply(
        moved, Answer(MOVED, 308, "https://new.example.org/", "moved"), later
    )
    assert (moved.state, moved.failures, moved.moved_to) == (
        State.MOVED,
        0,
        "https://new.example.org/",
    )
    assert moved.failing_since == now  # it has not worked since then
    link_checks.apply(moved, Answer(DEAD, 410, detail="gone (410)"), later)
    assert (moved.state, moved.moved_to) == (State.DEAD, "")


def test_a_move_to_something_that_is_not_a_web_address_is_not_kept(server, monkeypatch):
    monkeypatch.setitem(ROUTES, "/to-script", (301, 301, "javascript:alert(1)"))
    checker = Checker(
        user_agent="t", timeout=TIMEOUT, spacing=0, private_addresses=True
    )
    answer = checker.check(server.url("/to-script"))
    assert (answer.outcome, answer.status, answer.moved_to) == (MOVED, 301, "")


def test_private_and_loopback_addresses_are_not_checked_unless_allowed(
    checks_on, server, editor, reviewer
):
    checks_on.LINK_CHECK_PRIVATE_ADDRESSES = False
    article = live_article([server.url("/ok")], editor=editor, reviewer=reviewer)
    link_checks.run()
    check = row(article, server.url("/ok"))
    assert server.requests == []
    assert (check.state, check.failures) == (State.UNCHECKED, 1)
    assert check.detail.startswith("not checked: 127.0.0.1 is on a private network")


def test_only_web_addresses_are_asked_for():
    checker = Checker(user_agent="t", timeout=TIMEOUT, spacing=0)
    answer = checker.check("ftp://files.example.org/guidance.pdf")
    assert (answer.outcome, answer.detail) == (
        FAILED,
        "not a web address: ftp://files.example.org/guidance.pdf",
    )


def test_the_test_suite_refuses_any_connection_off_this_machine():
    checker = Checker(
        user_agent="t", timeout=TIMEOUT, spacing=0, private_addresses=True
    )
    with pytest.raises(NetworkAccess, match="never touches the network"):
        checker.check("http://192.0.2.10/page")  # TEST-NET-1, never routed


# ---------------------------------------------------------------------------
# Which addresses, and when


def test_sync_follows_the_live_versions(checks_on, server, editor, reviewer):
    kept, dropped, added = (server.url(p) for p in ("/ok", "/gone", "/other-ok"))
    article = live_article([dropped, kept], editor=editor, reviewer=reviewer)
    other = live_article([kept], editor=editor, reviewer=reviewer)
    draft = ArticleFactory()
    ReferenceFactory(article=draft, position=1, url=server.url("/missing"))
    assert link_checks.sync() == {"added": 3, "removed": 0, "renumbered": 0}
    assert row(article, kept).reference_number == 2

    # An edit not yet published changes nothing; its publication does.
    article.references.filter(url=dropped).update(url=added, position=3)
    assert link_checks.sync() == {"added": 0, "removed": 0, "renumbered": 0}
    republish(article, editor=editor, reviewer=reviewer)
    assert link_checks.sync() == {"added": 1, "removed": 1, "renumbered": 1}
    assert {
        (c.article_id, c.url, c.reference_number) for c in SourceCheck.objects.all()
    } == {(article.pk, kept, 1), (article.pk, added, 2), (other.pk, kept, 1)}

    workflow.unpublish(other, user=editor, comment="Withdrawn for the test.")
    assert link_checks.sync()["removed"] == 1
    assert not SourceCheck.objects.filter(article=other).exists()
    assert not SourceCheck.objects.filter(article=draft).exists()


def test_an_address_two_articles_cite_is_asked_for_once(
    checks_on, server, editor, reviewer
):
    url = server.url("/missing")
    first = live_article([url], editor=editor, reviewer=reviewer)
    second = live_article([url, server.url("/ok")], editor=editor, reviewer=reviewer)
    assert link_checks.run()["checked"] == 2
    assert server.requested("/missing") == ["HEAD", "GET"]  # once: one HEAD, one GET
    assert row(first, url).state == row(second, url).state == State.DEAD


def test_each_address_is_checked_again_only_after_some_days(
    checks_on, server, editor, reviewer
):
    checks_on.LINK_CHECK_EVERY_DAYS = 7
    article = live_article([server.url("/ok")], editor=editor, reviewer=reviewer)
    link_checks.run()
    assert link_checks.run()["checked"] == 0
    SourceCheck.objects.update(checked_at=timezone.now() - datetime.timedelta(days=6))
    assert link_checks.run()["checked"] == 0
    SourceCheck.objects.update(checked_at=timezone.now() - datetime.timedelta(days=8))
    assert link_checks.run()["checked"] == 1
    assert server.requested("/ok") == ["HEAD", "HEAD"]
    assert row(
        article, server.url("/ok")
    ).checked_at > timezone.now() - datetime.timedelta(minutes=1)


def test_a_run_checks_a_bounded_batch_never_checked_first(
    checks_on, server, editor, reviewer
):
    checks_on.LINK_CHECK_BATCH = 2
    old, new_one, new_two = (server.url(p) for p in ("/ok", "/other-ok", "/gone"))
    live_article([old], editor=editor, reviewer=reviewer)
    link_checks.run()
    make_due()
    live_article([new_one, new_two], editor=editor, reviewer=reviewer)
    assert link_checks.run()["checked"] == 2
    assert server.requested("/ok") == ["HEAD"]  # the first run only
    assert server.requested("/other-ok") == ["HEAD"]
    assert server.requested("/gone") == ["HEAD", "GET"]
    assert link_checks.run()["checked"] == 1
    assert server.requested("/ok") == ["HEAD", "HEAD"]


def test_nothing_is_checked_when_link_checks_are_off(
    server, editor, reviewer, settings
):
    assert settings.LINK_CHECKS_ENABLED is False  # tests/conftest.py
    live_article([server.url("/ok")], editor=editor, reviewer=reviewer)
    assert link_checks.run() == {"disabled": True}
    assert not [s for s in clock.tick() if s.startswith("links")]
    assert server.requests == [] and not SourceCheck.objects.exists()


def test_the_clock_starts_the_check_once_an_hour(checks_on, server, editor, reviewer):
    article = live_article([server.url("/gone")], editor=editor, reviewer=reviewer)
    now = timezone.now().replace(minute=10)
    hour = int(now.timestamp()) // 3600
    assert f"links {hour}" in clock.tick(now)
    assert not [
        s
        for s in clock.tick(now + datetime.timedelta(minutes=40))
        if s.startswith("links")
    ]
    run_queued_tasks()
    assert row(article, server.url("/gone")).state == State.DEAD
    assert f"links {hour + 1}" in clock.tick(now + datetime.timedelta(hours=1))


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_LINK_CHECKS", "maybe", "DJANGO_LINK_CHECKS must be true or false"),
        (
            "DJANGO_LINK_CHECK_TIMEOUT",
            "ten",
            "DJANGO_LINK_CHECK_TIMEOUT must be a positive number, not 'ten'",
        ),
        (
            "DJANGO_LINK_CHECK_BATCH",
            "0",
            "DJANGO_LINK_CHECK_BATCH must be a positive number, not '0'",
        ),
        ("DJANGO_LINK_CHECK_HOST_SECONDS", "-2", "must be a positive number"),
    ],
)
def test_a_bad_link_check_setting_stops_the_process_with_a_clear_message(
    variable, value, message
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    done = subprocess.run(
        [sys.executable, "-c", "import cms.settings"],
        cwd=PROJECT_DIR,
        env=env | {"DJANGO_DEBUG": "true", variable: value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and message in done.stderr


# ---------------------------------------------------------------------------
# Where the bad links show


@pytest.fixture
def bad_links(editor, reviewer):
    """Live articles with one bad link each: `mine` reviewed by `reviewer`,
    `theirs` by another reviewer, `nobodys` by a reviewer without an account;
    `fine` has a working link and `withdrawn` is no longer live."""
    other = make_reviewer(username="other-reviewer")
    since = timezone.now() - datetime.timedelta(days=3)
    articles = {
        "mine": live_article(
            ["https://www.example.org/gone", "https://www.example.org/fine"],
            editor=editor,
            reviewer=reviewer,
            title="Is my reviewed answer still sourced?",
        ),
        "theirs": live_article(
            ["https://www.example.org/moved"],
            editor=editor,
            reviewer=other,
            title="Is their reviewed answer still sourced?",
        ),
        "nobodys": live_article(
            ["https://www.example.org/down"],
            editor=editor,
            reviewer=other,
            title="Is an unowned answer still sourced?",
        ),
        "fine": live_article(
            ["https://www.example.org/fine"], editor=editor, reviewer=reviewer
        ),
        "withdrawn": live_article(
            ["https://www.example.org/gone"], editor=editor, reviewer=reviewer
        ),
    }
    ArticleVersion.objects.filter(pk=articles["nobodys"].live_version_id).update(
        reviewer=PersonFactory(name="Dr Left Long Ago")
    )
    link_checks.sync()
    SourceCheck.objects.update(state=State.OK, http_status=200)
    SourceCheck.objects.filter(url="https://www.example.org/gone").update(
        state=State.DEAD, http_status=404, failing_since=since, checked_at=since
    )
    SourceCheck.objects.filter(url="https://www.example.org/moved").update(
        state=State.MOVED,
        http_status=301,
        moved_to="https://www.example.org/new-home",
        failing_since=since,
    )
    SourceCheck.objects.filter(url="https://www.example.org/down").update(
        state=State.FAILING,
        detail="no answer within 10 s; 3 checks in a row failed",
        failing_since=since,
    )
    workflow.unpublish(articles["withdrawn"], user=editor, comment="For the test.")
    return articles


def test_the_dashboard_shows_reviewers_their_own_and_unowned_bad_links(
    bad_links, reviewer
):
    section = sources_need_attention(reviewer)
    assert [(r.title, r.detail) for r in section.rows] == [
        ("Is my reviewed answer still sourced?", "Reference 1: gone (404)"),
        (
            "Is an unowned answer still sourced?",
            "Reference 1: not answering (no answer within 10 s; 3 checks in a "
            "row failed)",
        ),
    ]
    assert section.count == 2
    assert section.rows[0].url == reverse(
        "admin:articles_article_change", args=[bad_links["mine"].pk]
    )
    assert (
        section.rows[0].when_text
        == f"{timezone.localtime(section.rows[0].when):%-d %b %Y}"
    )
    assert section.see_all_text.endswith("(everyone's)")


def test_the_dashboard_shows_editors_every_live_article_with_bad_links(
    bad_links, editor, client
):
    section = sources_need_attention(editor)
    assert {r.title: r.detail for r in section.rows} == {
        "Is my reviewed answer still sourced?": "Reference 1: gone (404)",
        "Is their reviewed answer still sourced?": "Reference 1: moved to "
        "https://www.example.org/new-home",
        "Is an unowned answer still sourced?": "Reference 1: not answering (no "
        "answer within 10 s; 3 checks in a row failed)",
    }
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="sources-need-attention"' in page
    assert 'Sources need attention <span class="desk-count">(3)</span>' in page
    assert "moved to https://www.example.org/new-home" in page


def test_accounts_that_may_not_see_link_checks_get_no_section(bad_links):
    assert sources_need_attention(UserFactory(username="plain-staff")) is None


def test_the_article_page_lists_its_bad_links(bad_links, editor, client):
    client.force_login(editor)
    mine = bad_links["mine"]
    page = client.get(
        reverse("admin:articles_article_change", args=[mine.pk])
    ).content.decode()
    panel = page.split('id="sources-need-attention"', 1)[1].split("</section>", 1)[0]
    assert "Sources need attention (1)" in panel
    assert "<td>1</td>" in panel and "https://www.example.org/gone" in panel
    assert "Gone, since" in panel and "<td>404</td>" in panel
    assert "https://www.example.org/fine" not in panel  # it works
    fine = client.get(
        reverse("admin:articles_article_change", args=[bad_links["fine"].pk])
    ).content.decode()
    assert 'id="sources-need-attention"' not in fine
    theirs = client.get(
        reverse("admin:articles_article_change", args=[bad_links["theirs"].pk])
    ).content.decode()
    assert '<a href="https://www.example.org/new-home"' in theirs


def test_the_article_list_filters_articles_whose_sources_need_attention(
    bad_links, editor, client
):
    client.force_login(editor)
    response = client.get(
        reverse("admin:articles_article_changelist") + "?sources=attention"
    )
    assert response.status_code == 200
    assert {a.pk for a in response.context["cl"].queryset} == {
        bad_links[name].pk for name in ("mine", "theirs", "nobodys")
    }


def test_link_checks_are_read_only_in_the_admin(bad_links, reviewer, client):
    client.force_login(reviewer)
    listing = client.get(reverse("admin:articles_sourcecheck_changelist"))
    assert "https://www.example.org/moved" in listing.content.decode()
    check = SourceCheck.objects.get(url="https://www.example.org/moved")
    change = reverse("admin:articles_sourcecheck_change", args=[check.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"state": "ok"}).status_code == 403
    check.refresh_from_db()
    assert check.state == State.MOVED


def test_a_server_that_drips_its_answer_is_cut_off_after_the_whole_request_limit(
    server,
):
    checker = Checker(
        user_agent="t", timeout=TIMEOUT, spacing=0, private_addresses=True
    )
    started = time.monotonic()
    answer = checker.check(server.url(DRIP))
    took = time.monotonic() - started
    assert answer.outcome == FAILED
    assert answer.detail.startswith(f"no answer within {TIMEOUT:g} s")
    # HEAD, then GET, each cut off after three timeouts: well before the drip ends.
    assert took < 2 * 3 * TIMEOUT + 0.5 < DRIP_SECONDS


def test_a_page_whose_server_answers_head_wrongly_is_judged_by_get(server):
    checker = Checker(
        user_agent="t", timeout=TIMEOUT, spacing=0, private_addresses=True
    )
    answer = checker.check(server.url("/head-missing"))
    assert (answer.outcome, answer.status) == (OK, 200)
    assert server.requested("/head-missing") == ["HEAD", "GET"]


@pytest.mark.parametrize(
    "address, private",
    [
        ("::ffff:10.0.0.5", True),
        ("2002:a00:5::1", True),  # 6to4 of 10.0.0.5
        ("64:ff9b::a00:5", True),  # NAT64 of 10.0.0.5
        ("64:ff9b::808:808", False),  # NAT64 of 8.8.8.8
        ("2606:4700::1111", False),
        ("127.0.0.1", True),
    ],
)
def test_ipv6_addresses_that_wrap_a_private_ipv4_address_count_as_private(
    address, private
):
    peer = http_check.embedded_ipv4(ipaddress.ip_address(address))
    assert (not peer.is_global) is private
