"""The production topology (deploy/stack/): nginx with its page cache, two
gunicorn app servers sharing a Redis page cache, a PostgreSQL primary and its
streaming replica, two task workers. `make test-stack` runs these, after
.ci/install-stack-tools (which installs the Debian packages when CI=true);
outside CI a missing package skips the leg loudly.

Changes are made the way an operator's script would, by Django processes on
the stack's own settings (Stack.python), so each runs the real purge hook.
"""

import json
import os
import re
import signal
import time
import uuid

import pytest

from deploy.stack import Stack, missing_programs

pytestmark = pytest.mark.stack

WITHDRAW = """
import time
from django.contrib.auth import get_user_model
from articles.models import Article
from articles.review import workflow
editor = get_user_model().objects.get(username="editor")
article = Article.objects.get(slug={slug!r})
workflow.unpublish(article, user=editor, comment="Stack test withdrawal")
print(time.time())
"""


@pytest.fixture(scope="module")
def stack():
    missing = missing_programs()
    if missing:
        reason = f"Debian's {', '.join(missing)} not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, so the stack tests must run, but {reason}")
        pytest.skip(f"!!! SKIPPED the stack tests: {reason}")
    running = Stack(log_replica_statements=True, say=lambda message: None).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def slugs(stack):
    """The demo's live articles, each test taking its own to withdraw."""
    found = stack.python(
        "import django; django.setup()\n"
        "from articles.models import ArticleVersion\n"
        "print(' '.join(ArticleVersion.objects.live().order_by('slug')"
        ".values_list('slug', flat=True)))\n"
    )
    return found.stdout.split()


def withdraw(stack, slug, **env) -> float:
    """Withdraw `slug`; the time just before the change began."""
    started = time.time()
    stack.python("import django; django.setup()\n" + WITHDRAW.format(slug=slug), env)
    return started


def title_of(stack, slug) -> str:
    status, _, body = stack.get(f"/questions/{slug}/")
    assert status == 200
    return re.search(r"<h1[^>]*>(.*?)</h1>", body.decode(), re.S).group(1).strip()


# Withdrawal through nginx, Redis and two app servers ----------------------------


def test_a_withdrawn_article_is_not_served_through_nginx_once_withdrawn(stack, slugs):
    slug = slugs[0]
    page = f"/questions/{slug}/"
    stack.get(page)
    status, headers, _ = stack.get(page)
    assert (status, headers["X-Cache"]) == (200, "HIT")
    home = stack.get("/")[2].decode()
    assert page in home

    withdraw(stack, slug)
    # The purge hook asked nginx for the new tag before the change's
    # process ended: the very next request misses the old page.
    status, headers, body = stack.get(page)
    assert status == 410, body[:300]
    assert page not in stack.get("/")[2].decode()
    # ...from either app server directly, and from Redis, too.
    for index in range(2):
        assert stack.app_get(index, page)[0] == 410


def test_without_the_purge_hook_a_withdrawal_still_ends_within_a_second(stack, slugs):
    slug = slugs[1]
    page = f"/questions/{slug}/"
    stack.get(page)
    assert stack.get(page)[1]["X-Cache"] == "HIT"

    def change():
        started = withdraw(stack, slug, DJANGO_PUBLIC_PURGE_HOOK="")
        return started, time.time()

    (started, committed_by), answers = stack.answers_during(page, change)
    assert answers[-1][1] == 410
    served_after = [at for at, status in answers if status == 200 and at > started]
    last_served = max(served_after, default=started)
    # nginx keeps the tag for one second; the change committed by committed_by.
    assert last_served - committed_by < 1.0, (last_served - started, answers[-5:])


QUIET = """
import time, django; django.setup()
from django_tasks_db.models import DBTaskResult
from articles.models import PublicState
relinks = DBTaskResult.objects.filter(task_path__endswith=".relink_neighbours")
deadline = time.time() + 20
while (relinks.ready() | relinks.running()).exists():
    assert time.time() < deadline, "the task workers never relinked"
    time.sleep(0.1)
print(PublicState.objects.get(pk=1).generation)
"""


def purges_and_changes(stack) -> tuple[int, int]:
    """Purge requests nginx has logged and public changes so far, once the
    workers' share of earlier changes (relinking neighbours) has run."""
    generation = int(stack.python(QUIET).stdout)
    time.sleep(1.2)  # nginx writes its access log at least once a second
    log = (stack.dir / "access.log").read_text()
    return log.count("GET /_cache/state"), generation


def test_the_purge_hook_asks_nginx_once_per_change(stack, slugs):
    purges, changes = purges_and_changes(stack)
    withdraw(stack, slugs[2])
    purges_after, changes_after = purges_and_changes(stack)
    # The withdrawal, and the worker relinking the pages that lost their link
    # to it: each public change purges exactly once.
    assert changes_after - changes >= 1
    assert purges_after - purges == changes_after - changes


def test_visitors_cannot_ask_for_the_tag_through_nginx(stack):
    status, headers, _ = stack.get("/_cache/state")
    assert status == 404
    assert "X-Public-Tag" not in headers


def test_staff_are_never_served_from_nginx_cache(stack, slugs):
    page = f"/questions/{slugs[3]}/"
    stack.get(page)
    status, headers, _ = stack.get(page, {"Cookie": "sessionid=not-a-session"})
    assert headers["X-Cache"] == "BYPASS"


ISSUE_KEY = """
import django; django.setup()
from articles.models import PartnerKey
print(PartnerKey.issue(partner="Stack partner", created_by=None)[1])
"""


def test_partner_api_answers_pass_nginx_and_are_never_kept(stack, slugs):
    secret = stack.python(ISSUE_KEY).stdout.strip()
    path = f"/api/v1/articles/{slugs[3]}"
    status, _, _ = stack.get(path)
    assert status == 401
    for _ in range(2):
        status, headers, body = stack.get(path, {"X-API-Key": secret})
        assert status == 200
        assert headers["X-Cache"] == "BYPASS"
        assert json.loads(body)["slug"] == slugs[3]
    status, _, _ = stack.get(path)  # nothing kept for a caller without a key
    assert status == 401


# The shared page cache -----------------------------------------------------------


def redis_hits(stack) -> int:
    import redis

    info = redis.Redis(port=stack.ports["redis"]).info("stats")
    return info["keyspace_hits"]


def test_app_servers_share_rendered_pages_through_redis(stack, slugs):
    page = f"/questions/{slugs[4]}/?page=1"
    first = stack.app_get(0, page)
    hits = redis_hits(stack)
    second = stack.app_get(1, page)
    assert (first[0], second[0]) == (200, 200)
    assert second[2] == first[2]
    assert redis_hits(stack) > hits


def test_pages_are_served_while_redis_is_down(stack, slugs):
    stack.stop_redis()
    try:
        for index in range(2):
            status, _, body = stack.app_get(index, f"/?page=1&n={index}")
            assert status == 200 and b"<main" in body
        assert stack.get(f"/questions/{slugs[4]}/?page=2")[0] == 200
    finally:
        stack.start_redis()
    assert "Page cache unavailable" in stack.log("app1") + stack.log("app2")


def test_nginx_sends_visitors_to_the_other_app_server_when_one_dies(stack):
    stack.kill_app(0)
    try:
        statuses = [stack.get(f"/?page=1&try={n}")[0] for n in range(20)]
    finally:
        stack.start_app(0)
    assert statuses == [200] * 20


# The replica --------------------------------------------------------------------


def replica_statements(stack, since: int, settle: float = 1.0) -> str:
    """What the replica ran after byte `since` of its log."""
    time.sleep(settle)
    return stack.replica.log.read_bytes()[since:].decode(errors="replace")


def log_size(stack) -> int:
    return stack.replica.log.stat().st_size


def test_list_pages_and_search_read_the_replica(stack):
    since = log_size(stack)
    word = uuid.uuid4().hex[:8]
    assert stack.app_get(0, f"/search/?q=sleep+{word}")[0] == 200
    assert stack.app_get(0, f"/?page=1&r={word}")[0] == 200
    ran = replica_statements(stack, since)
    assert "articles_publicstate" in ran  # is the replica up to date?
    assert re.search(r"FROM \"articles_articleversion\"", ran)


def test_article_pages_and_staff_never_read_the_replica(stack, slugs):
    since = log_size(stack)
    word = uuid.uuid4().hex[:8]
    assert stack.app_get(0, f"/questions/{slugs[5]}/?r={word}")[0] == 200
    status, _, _ = stack.app_get(0, "/admin/login/?next=/admin/")
    assert status == 200
    assert "statement:" not in replica_statements(stack, since)


def test_a_lagging_replica_never_shows_a_withdrawn_article(stack, slugs):
    slug = slugs[6]
    title = title_of(stack, slug)
    word = title.split()[-1].strip("?").lower()
    stack.replica.psql("cms", "SELECT pg_wal_replay_pause()")
    try:
        withdraw(stack, slug)
        since = log_size(stack)
        home = stack.app_get(0, f"/?page=1&lag={uuid.uuid4().hex}")[2].decode()
        found = stack.app_get(1, f"/search/?q={word}")[2].decode()
        ran = replica_statements(stack, since, settle=0.5)
    finally:
        stack.replica.psql("cms", "SELECT pg_wal_replay_resume()")
    assert f"/questions/{slug}/" not in home
    assert f"/questions/{slug}/" not in found
    # The replica was asked only whether it had caught up.
    assert "articles_publicstate" in ran
    assert "articles_articleversion" not in ran


def test_list_pages_answer_from_the_primary_while_the_replica_is_down(stack):
    stack.replica.stop()
    try:
        status, _, body = stack.app_get(0, f"/search/?q=sleep&down={uuid.uuid4().hex}")
        status_home, _, _ = stack.app_get(1, f"/?page=1&down={uuid.uuid4().hex}")
        healthz = json.loads(stack.app_get(0, "/healthz")[2])
    finally:
        stack.replica.start()
    assert (status, status_home) == (200, 200)
    assert b"/questions/" in body
    # A load balancer keeps app servers whose primary answers.
    assert healthz["databases"] == {"default": "ok", "replica": "unavailable"}


# Two task workers ----------------------------------------------------------------

ENQUEUE = """
import django; django.setup()
from articles.models import Article
from articles.publishing.refresh import relink_neighbours
ids = list(Article.objects.values_list("pk", flat=True))
print(" ".join(str(relink_neighbours.enqueue([pk]).id) for pk in ids[:{count}]))
"""

RESULTS = """
import django, json; django.setup()
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(id__in={ids!r}).values_list("status", "worker_ids")
print(json.dumps(list(rows)))
"""


def run_jobs_with(stack, running: int, count: int = 4) -> list:
    """Queue `count` jobs while only worker `running` is not paused."""
    paused = stack.tasks[1 - running]
    os.kill(paused.pid, signal.SIGSTOP)
    try:
        ids = stack.python(ENQUEUE.replace("{count}", str(count))).stdout.split()
        deadline = time.monotonic() + 60
        while True:
            rows = json.loads(stack.python(RESULTS.format(ids=ids)).stdout)
            if all(status == "SUCCESSFUL" for status, _ in rows) or (
                time.monotonic() > deadline
            ):
                return rows
            time.sleep(0.5)
    finally:
        os.kill(paused.pid, signal.SIGCONT)


def test_either_worker_runs_the_queue_and_no_job_runs_twice(stack):
    for running in (0, 1):
        rows = run_jobs_with(stack, running)
        assert rows and all(status == "SUCCESSFUL" for status, _ in rows), rows
        assert {tuple(workers) for _, workers in rows} == {
            (f"stack-worker-{running + 1}",)
        }
