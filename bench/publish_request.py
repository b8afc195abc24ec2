#!/usr/bin/env python3
"""How long the admin "Publish" button takes: the whole request, in process.

    cd CODE && /work/main/.venv/bin/python /work/main/bench/publish_request.py \\
        --database-url postgres://postgres@127.0.0.1:PORT/NAME [--runs 7]

Runs the code of the current directory (CODE: a checkout with manage.py), not
the checkout this file is in, so one script times two versions of the code on
the same database. Against an existing database of published articles (made by
bench/generate.py):

1. `migrate` (newer code adds its tables) and `sync_roles`;
2. one writer (Editors), one medical reviewer with a byline and one publisher
   (Editors) account, created once;
3. runs + 1 new articles, each a copy of a published one drawn at random
   with a fixed seed (same topic, author, tags, text, FAQs, takeaways,
   references; its own slug), taken by the workflow to "approved": record_edit and
   submit_for_review by the writer, approve_medical_review by the reviewer;
4. the publisher's POST of transition=publish to the admin's workflow view
   (django.test.Client, no CSRF check, DEBUG off, the project's middleware),
   once to warm up (not counted), then `runs` times, timed from the call to
   the response, with the SQL queries of each request counted.

Every request must answer 302 with no error message, and its article must be
live afterwards; otherwise the script stops with an error. The articles stay
published (the database grows by runs + 1 articles per run).
"""

import argparse
import datetime
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
import warnings
from io import StringIO
from pathlib import Path

CODE = Path.cwd().resolve()
HERE = Path(__file__).resolve().parent
# Import the code of the current directory, never this file's checkout.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(CODE))

HOST = "127.0.0.1"
SLUG_MARK = "-publish-bench-"
SEED = 20261203


def say(message: str = "") -> None:
    print(message, flush=True)


def fail(message: str) -> None:
    sys.exit(f"publish_request: FAILED: {message}")


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Time the admin Publish request (the code of the current "
        "directory, against an existing benchmark database).",
    )
    parser.add_argument(
        "--database-url",
        required=True,
        help="e.g. postgres://postgres@127.0.0.1:PORT/bench_1000",
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="timed requests (default 7)"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def git_revision() -> str:
    def git(*args):
        return subprocess.run(
            ["git", "-C", str(CODE), *args], capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{commit} + uncommitted changes" if dirty else commit


def setup_django(database_url: str) -> None:
    if not (CODE / "manage.py").is_file() or not (CODE / "articles").is_dir():
        fail(f"run it from a checkout of the project (no manage.py in {CODE})")
    settings_module = (
        "bench.settings"
        if (CODE / "bench" / "settings.py").is_file()
        else "cms.settings"
    )
    # As bench/run.py runs the site: the project's settings, DEBUG off.
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
        }
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", f"{HOST},localhost")
    os.environ.setdefault("DJANGO_SECURE", "false")  # plain HTTP, as bench/run.py
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # Any mail the code sends in the request is kept in memory, not printed.
    os.environ.setdefault(
        "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
    )
    os.environ.pop("BENCH_PAGE_CACHE", None)
    # whitenoise: no collected static files (the request serves none).
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings

    import articles

    if not Path(articles.__file__).resolve().is_relative_to(CODE):
        fail(f"imported {articles.__file__}, not the code in {CODE}")
    if settings.DEBUG:
        fail("DEBUG is on")


def accounts():
    """A writer, a medical reviewer (with a byline) and a publisher."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Person
    from articles.review import roles

    User = get_user_model()

    def account(username, group):
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=group))
        return user

    writer = account("bench-publish-writer", roles.EDITORS)
    reviewer = account("bench-publish-reviewer", roles.MEDICAL_REVIEWERS)
    Person.objects.get_or_create(
        user=reviewer,
        defaults={
            "name": "Dr Bench Reviewer",
            "slug": "bench-publish-reviewer",
            "credentials": "MD",
        },
    )
    publisher = account("bench-publish-publisher", roles.EDITORS)
    return writer, reviewer, publisher


def sources(count: int):
    """`count` published articles drawn at random, with a fixed seed, from the
    whole table, never an earlier run's copy: the same ones on every run of
    the same database (evenly spaced ids would fall into few topics)."""
    from articles.models import Article

    ids = list(
        Article.objects.public()
        .exclude(slug__contains=SLUG_MARK)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ids) < count:
        fail(f"only {len(ids)} published articles to copy, {count} needed")
    picked = random.Random(SEED).sample(ids, count)
    return sorted(
        Article.objects.filter(pk__in=picked), key=lambda a: picked.index(a.pk)
    )


def copy_to_approved(source, number: int, stamp: str, writer, reviewer):
    """A new article with the source's content, taken to "approved" by the
    workflow, as a writer and a (different) medical reviewer would."""
    from articles.models import FAQ, Article, KeyTakeaway, Reference
    from articles.review import workflow

    suffix = f"{SLUG_MARK}{stamp}-{number}"
    article = Article.objects.create(
        title=source.title,
        slug=source.slug[: 200 - len(suffix)] + suffix,
        short_answer=source.short_answer,
        body=source.body,
        topic_id=source.topic_id,
        author_id=source.author_id,
        review_interval_months=source.review_interval_months,
    )
    for model, fields in [
        (FAQ, ["position", "question", "answer"]),
        (KeyTakeaway, ["position", "text"]),
        (Reference, ["position", "citation", "url"]),
    ]:
        for row in model.objects.filter(article=source).order_by("position"):
            model.objects.create(
                article=article, **{name: getattr(row, name) for name in fields}
            )
    article.tags.set(source.tags.all())
    article = workflow.record_edit(article, user=writer)
    article = workflow.submit_for_review(article, user=writer)
    article = workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    if article.status != Article.Status.APPROVED:
        fail(f"copy of {source.slug!r} is {article.status}, not approved")
    return article


class QueryCounter:
    """connection.execute_wrapper: counts every query (what
    CaptureQueriesContext counts) without the debug cursor's logging."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def task_tables() -> list[str]:
    """Tables of a background-task backend, if the code has one (to report
    how many jobs a request leaves for a worker)."""
    from django.db import connection

    return [
        name
        for name in connection.introspection.table_names()
        if name.startswith("django_tasks")
    ]


def count_rows(tables) -> int:
    from django.db import connection

    total = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            total += cursor.fetchone()[0]
    return total


def stored_pages_since(since):
    """(stored article pages, of them rendered since `since`), or None if the
    code has no stored pages."""
    try:
        from articles.models import ArticlePage

        return (
            ArticlePage.objects.count(),
            ArticlePage.objects.filter(rendered_at__gte=since).count(),
        )
    except Exception:  # noqa: BLE001 - only a remark in the output
        return None


def publish_request(client, article, tables):
    """(ms, queries, jobs added, remark) of one Publish request; fails unless
    the article is live afterwards."""
    from django.contrib import messages
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article

    url = reverse("admin:articles_article_workflow", args=[article.pk])
    jobs_before = count_rows(tables)
    since = timezone.now()
    pages_before = stored_pages_since(since)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = client.post(url, {"transition": "publish"})
        ms = (time.perf_counter() - started) * 1000
    jobs = count_rows(tables) - jobs_before
    pages_after = stored_pages_since(since)
    remark = ""
    if pages_before and pages_after:
        # Pages the request stored, and how many of them are new rows: on a
        # site after render_pages only the new article's page is new.
        remark = (
            f", {pages_after[1]} pages stored ({pages_after[0] - pages_before[0]} new)"
        )
    storage = getattr(response.wsgi_request, "_messages", None)
    notes = list(getattr(storage, "_queued_messages", []))
    text = "; ".join(str(m) for m in notes) or "no message"
    if response.status_code != 302:
        fail(f"{url} answered {response.status_code}, not 302 ({text})")
    if any(m.level >= messages.ERROR for m in notes):
        fail(f"{url} refused to publish {article.slug!r}: {text}")
    article = Article.objects.select_related("live_version").get(pk=article.pk)
    live = Article.objects.public().filter(pk=article.pk).exists()
    if (
        article.status != Article.Status.PUBLISHED
        or article.live_version is None
        or not live
    ):
        fail(f"{article.slug!r} is not live after the request ({text})")
    return ms, counter.count, jobs, remark


def cpu_sample(backend_pid):
    """(all CPUs' busy jiffies, all jiffies, this process's and its database
    backend's jiffies), from /proc; None where /proc cannot tell."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
        ours = sum(os.times()[:2]) * os.sysconf("SC_CLK_TCK")
        if backend_pid:
            with open(f"/proc/{backend_pid}/stat") as stat:
                parts = stat.read().rsplit(")", 1)[1].split()
            ours += int(parts[11]) + int(parts[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields), ours


def others_busy(before, after) -> str:
    """How busy other processes kept all CPUs between two samples."""
    if not before or not after or after[1] == before[1]:
        return "unknown"
    busy = (after[0] - before[0]) - (after[2] - before[2])
    return f"{max(0.0, busy / (after[1] - before[1])):.0%}"


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_django(args.database_url)
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql"
                       else "SELECT sqlite_version()")  # fmt: skip
        db_version = f"{connection.vendor} {cursor.fetchone()[0].split()[0]}"
    say(
        f"publish_request: code {CODE} ({git_revision()}), "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}"
    )
    say(
        f"  Python {platform.python_version()}, Django {django.get_version()}, "
        f"{db_version}, database {connection.settings_dict['NAME']}, "
        f"{os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=1)
    call_command("sync_roles", stdout=StringIO())
    say(f"  migrate and sync_roles: {time.perf_counter() - started:.1f} s")

    public = Article.objects.public().count()
    copies = Article.objects.public().filter(slug__contains=SLUG_MARK).count()
    say(
        f"  {public:,} published articles ({copies:,} of them copies from earlier runs)"
    )

    writer, reviewer, publisher = accounts()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    started = time.perf_counter()
    prepared = [
        copy_to_approved(source, n, stamp, writer, reviewer)
        for n, source in enumerate(sources(args.runs + 1))
    ]
    say(
        f"  {len(prepared)} copies approved through the workflow in "
        f"{time.perf_counter() - started:.1f} s (1 warm-up + {args.runs} timed)"
    )
    tables = task_tables()
    if tables:
        say(f"  background-task tables: {', '.join(tables)}")

    client = Client(HTTP_HOST=HOST)
    client.force_login(publisher)

    def backend():
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    backend_pid = backend()
    results = []
    ticks = None
    for n, article in enumerate(prepared):
        if n == 1:
            ticks = cpu_sample(backend_pid)
        ms, queries, jobs, remark = publish_request(client, article, tables)
        label = "warm-up" if n == 0 else f"run {n}"
        extra = f", {jobs} background job(s) queued" if tables else ""
        say(
            f"  {label:>7}: {ms:8.1f} ms, {queries:4d} queries{extra}{remark}  {article.slug}"
        )
        if n:
            results.append((ms, queries))

    busy = others_busy(ticks, cpu_sample(backend_pid))
    if backend() != backend_pid:  # reconnected: the new backend is not counted
        busy = "unknown"
    load = (
        Path("/proc/loadavg").read_text().split()[:3]
        if Path("/proc/loadavg").exists()
        else []
    )
    times = [ms for ms, _ in results]
    queries = sorted(q for _, q in results)
    median_q = statistics.median_low(queries)
    q_text = (
        f"{median_q}" if queries[0] == queries[-1]
        else f"{median_q} ({queries[0]}-{queries[-1]})"
    )  # fmt: skip
    say()
    say(
        f"Publish request, {len(results)} runs at {public:,} published articles: "
        f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms, "
        f"min {min(times):.0f} ms; SQL queries per request: {q_text}"
    )
    say(
        f"  other processes kept the CPUs {busy} busy during the timed requests "
        f"(all CPUs, this process and its database backend left out); "
        f"load average {' '.join(load)}"
    )
    say(
        f"| {public:,} | {statistics.median(times):.0f} | {max(times):.0f} | {q_text} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
