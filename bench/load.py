"""Load and fault test: many visitors, an editor at work, and a database restart.

    make load                                  # 200 connections for 60 s
    make load-fault                            # the same; PostgreSQL restarts midway
    .venv/bin/python bench/load.py --help      # every option

It runs inside a throwaway PostgreSQL cluster from .ci/with-postgres, fills it
with published articles (bench/generate.py), starts gunicorn (DEBUG off, the
project's settings and page cache) on 127.0.0.1, and then, for --duration
seconds, keeps --connections requests in flight at once on article, topic,
search and home pages. Meanwhile an editor process (this script with
--editor-loop) publishes and withdraws a few watched articles through
articles.review.workflow, over and over, writing down when each change committed.
Every new version of a watched article carries a marker ("zzw1r0007zz":
watched article 1, revision 7) in its title, short answer, body, an FAQ answer
and a takeaway, so a response shows which version(s) it came from.

Checked, by content, for every response:
- no 5xx answer (with --restart-db: only a friendly 503 while the database is
  down or reconnecting), no connection error, none slower than --max-seconds;
- no response mixes two versions of a watched article;
- no response that started after a withdrawal committed (and ended before the
  next publish began) shows the withdrawn article: its page answers 410, and
  lists and search results leave it out;
- no response that started after a publish committed shows an older version.
The script prints the figures and exits 1 if any check failed.
"""

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import HOST, Server, machine  # noqa: E402

MACHINE_NAME = os.uname().nodename.split(".")[0] or "machine"

MARKER = re.compile(r"zzw(\d)r(\d{4})zz")
FRIENDLY_503 = "temporarily unavailable"
SEARCH_WORD = "loadwatch"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument(
        "--watched", type=int, default=3, help="articles the editor changes"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--hold",
        type=float,
        default=2.0,
        help="seconds each published/withdrawn state is kept",
    )
    parser.add_argument("--max-seconds", type=float, default=2.0)
    parser.add_argument(
        "--restart-db",
        action="store_true",
        help="stop PostgreSQL at --restart-at s for --down-for s",
    )
    parser.add_argument("--restart-at", type=float, default=20)
    parser.add_argument("--down-for", type=float, default=5)
    parser.add_argument(
        "--recovery-grace",
        type=float,
        default=5,
        help="seconds after the restart in which a 503 still counts as clean",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--editor-loop", help=argparse.SUPPRESS)  # events file
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    return parser.parse_args(argv)  # fmt: skip


def say(message: str = "") -> None:
    print(message, flush=True)


# The editor ------------------------------------------------------------------


def marker(watched: int, revision: int) -> str:
    return f"zzw{watched}r{revision:04d}zz"


def editor_loop(events_path: str, until: float, hold: float) -> int:
    """Publish a new version of each watched article, then withdraw it, in
    turn, until `until`; write one JSON line per step with wall-clock times."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, close_old_connections

    from articles.models import Article, Person
    from articles.review import workflow

    editor = get_user_model().objects.get(username="bench-editor")
    reviewer = Person.objects.filter(user__isnull=False).first().user
    slugs = watched_slugs()
    revision = Counter()
    with open(events_path, "a", encoding="utf-8") as events:

        def record(**event):
            events.write(json.dumps(event) + "\n")
            events.flush()

        def attempt(step, number, slug, action):
            """Run one step; on a database error (a restart) wait and retry."""
            while time.time() < until:
                started = time.time()
                try:
                    action()
                except DatabaseError as error:
                    record(kind="error", slug=slug, step=step, error=str(error)[:200],
                           at=time.time())  # fmt: skip
                    close_old_connections()
                    time.sleep(0.5)
                    continue
                record(kind=step, watched=number, slug=slug, revision=revision[slug],
                       started=started, committed=time.time())  # fmt: skip
                return True
            return False

        while time.time() < until:
            for number, slug in enumerate(slugs, start=1):
                revision[slug] += 1
                mark = marker(number, revision[slug])

                def publish_new_version(slug=slug, mark=mark):
                    publish_revision(slug, mark, revision[slug], editor, reviewer)

                if not attempt("published", number, slug, publish_new_version):
                    return 0
                time.sleep(hold)

                def withdraw(slug=slug):
                    article = Article.objects.get(slug=slug)
                    if article.live_version_id is not None:  # not done already
                        workflow.unpublish(
                            article, user=editor, comment="Load test withdrawal"
                        )

                if not attempt("withdrawn", number, slug, withdraw):
                    return 0
                time.sleep(hold)
    return 0


def without_marker(text: str, separator: str) -> str:
    """`text` without the marker an earlier revision put in front of it."""
    return text.split(f"zz{separator}", 1)[-1] if text.startswith("zzw") else text


def publish_revision(slug, mark, number, editor, reviewer) -> None:
    """A new version of a watched article, through the whole workflow, with
    `mark` in its title, short answer, body, first FAQ answer and takeaway.
    Resumes where an earlier attempt stopped (each workflow step commits on
    its own, so a database restart can fall between two of them)."""
    from articles.models import Article
    from articles.review import workflow

    Status = Article.Status
    article = Article.objects.select_related("live_version").get(slug=slug)
    if article.live_version and mark in article.live_version.title:
        return  # an earlier attempt committed, though its answer was lost
    if article.status not in (Status.IN_REVIEW, Status.APPROVED):
        base = article.title.split(" (check ")[0].rstrip("?")
        article.title = f"{base} (check {mark})?"
        article.short_answer = f"{mark} {without_marker(article.short_answer, ' ')}"
        article.body = f"{mark}\n\n{without_marker(article.body, chr(10) * 2)}"
        article.save()
        faq = article.faqs.first()
        faq.answer = f"{mark} {without_marker(faq.answer, ' ')}"
        faq.save()
        takeaway = article.key_takeaways.first()
        takeaway.text = f"{mark} {without_marker(takeaway.text, ' ')}"
        takeaway.save()
        article = workflow.record_edit(article, user=editor)
        article = workflow.submit_for_review(
            article, user=editor, change_summary=f"Load test revision {number}."
        )
    if article.status == Status.IN_REVIEW:
        article = workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)


def watched_slugs() -> list[str]:
    from articles.models import Article

    return list(
        Article.objects.filter(title__icontains=SEARCH_WORD)
        .order_by("pk")
        .values_list("slug", flat=True)
    )


def prepare_watched(count: int) -> list[str]:
    """Give `count` published articles a common search word and marker 0, so
    searches and pages find them from the start."""
    from django.contrib.auth import get_user_model

    from articles.models import Article, Person

    editor = get_user_model().objects.get(username="bench-editor")
    reviewer = Person.objects.filter(user__isnull=False).first().user
    chosen = Article.objects.public().exclude(author__user=reviewer).order_by("pk")
    for number, article in enumerate(chosen[:count], start=1):
        Article.objects.filter(pk=article.pk).update(
            title=f"{article.title.rstrip('?')} {SEARCH_WORD}?"
        )
        publish_revision(article.slug, marker(number, 0), 0, editor, reviewer)
    return watched_slugs()


def visitor_urls(slugs) -> tuple[list[str], list[float]]:
    """The pages visitors ask for, and how often: the watched articles, other
    articles, their topics, searches (one that finds the watched ones), home."""
    from django.db import connection

    from articles.models import ArticleVersion

    others = list(
        ArticleVersion.objects.live()
        .exclude(slug__in=slugs)
        .values_list("slug", "topic__slug")[:50]
    )
    topics = sorted(
        {t for _, t in others[:5]}
        | set(
            ArticleVersion.objects.live()
            .filter(slug__in=slugs)
            .values_list("topic__slug", flat=True)
        )
    )
    connection.close()
    urls = [f"/questions/{s}/" for s in slugs] + [f"/questions/{s}/" for s, _ in others]
    urls += [f"/topics/{t}/" for t in topics] + [
        f"/search/?q={SEARCH_WORD}",
        "/search/?q=sleep",
        "/",
    ]
    weights = [40 / len(slugs)] * len(slugs) + [20 / len(others)] * len(others)
    weights += [15 / len(topics)] * len(topics) + [6, 4, 15]  # fmt: skip
    return urls, weights


# The visitors ----------------------------------------------------------------


async def fetch(port: int, path: str, timeout: float, tls=None, host=HOST):
    """(status, body) of one GET on a new connection (gunicorn's sync
    workers close each one); over HTTPS for `host` when given a TLS context."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            HOST, port, ssl=tls, server_hostname=host if tls else None
        ),
        timeout,
    )
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
            "Accept-Encoding: identity\r\n\r\n".encode()
        )
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body.decode("utf-8", "replace")


async def visitors(port, urls, weights, connections, duration, timeout, **tls):
    """(started, ended, path, status, note, markers) of every request made by
    `connections` visitors, each asking for one page after another."""
    results = []
    stop_at = time.time() + duration
    rng = random.Random(1)

    async def visitor():
        while time.time() < stop_at:
            path = rng.choices(urls, weights)[0]
            started = time.time()
            try:
                status, body = await fetch(port, path, timeout, **tls)
            except (TimeoutError, OSError, IndexError, ValueError) as error:
                results.append(
                    (started, time.time(), path, -1, type(error).__name__, ())
                )
                continue
            markers = tuple(sorted(set(MARKER.findall(body))))
            note = ""
            if status >= 500:
                note = (
                    "friendly"
                    if FRIENDLY_503 in body and "Traceback" not in body
                    else "raw"
                )
            results.append((started, time.time(), path, status, note, markers))

    await asyncio.gather(*(visitor() for _ in range(connections)))
    return results


# Checking --------------------------------------------------------------------


def check(results, events, slug_of, args, outage):
    """Everything that went wrong, as readable lines (empty if nothing did)."""
    problems = []
    changes = defaultdict(
        list
    )  # watched number -> [(started, committed, kind, revision)]
    for event in events:
        if event["kind"] in ("published", "withdrawn"):
            changes[event["watched"]].append(
                (event["started"], event["committed"], event["kind"], event["revision"])
            )

    def settled_state(number, started, ended):
        """(kind, revision) of a watched article for the whole of a request,
        or None if a change was under way at some point of it."""
        history = changes.get(number, [])
        for index, (_, committed, kind, revision) in enumerate(history):
            following = (
                history[index + 1][0] if index + 1 < len(history) else float("inf")
            )
            if committed <= started and ended < following:
                return kind, revision
        return None

    for started, ended, path, status, note, markers in results:
        in_outage = (
            outage and outage[0] <= ended and started <= outage[1] + args.recovery_grace
        )
        if status == -1:
            if not in_outage:
                problems.append(f"{path}: connection error {note}")
            continue
        if status >= 500 and not (in_outage and status == 503 and note == "friendly"):
            problems.append(f"{path}: {status} ({note}) at +{started - args.t0:.1f} s")
        if ended - started > args.max_seconds:
            problems.append(f"{path}: took {ended - started:.2f} s")
        shown = defaultdict(set)
        for number, revision in markers:
            shown[int(number)].add(int(revision))
        for number, revisions in shown.items():
            if len(revisions) > 1:
                problems.append(
                    f"{path}: mixes versions {sorted(revisions)} of watched {number}"
                )
        if status >= 500 or status == -1:
            continue
        for number, slug in slug_of.items():
            state = settled_state(number, started, ended)
            if state is None:
                continue
            kind, revision = state
            own_page = path == f"/questions/{slug}/"
            if kind == "withdrawn":
                # Its own address answers 410 "withdrawn", naming the question;
                # nowhere else may it appear.
                if own_page and status != 410:
                    problems.append(f"{path}: withdrawn, but answered {status}")
                if not own_page and number in shown:
                    problems.append(
                        f"{path}: shows withdrawn watched {number} (revision {sorted(shown[number])})"
                    )
            else:
                if shown.get(number, {revision}) != {revision}:
                    problems.append(
                        f"{path}: shows revision {sorted(shown[number])} of watched {number}, live is {revision}"
                    )
                if own_page and status != 200:
                    problems.append(f"{path}: published, but answered {status}")
    return problems  # fmt: skip


def percentile(values, fraction):
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
    )


def report(args, results, events, problems, outage, recovery, setup):
    lines = [
        f"# Load test{' with a PostgreSQL restart' if args.restart_db else ''}",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, machine `{setup['machine']}`.",
        "",
        f"{args.connections} connections for {args.duration:.0f} s against gunicorn "
        f"({args.workers} sync workers, DEBUG off, PostgreSQL {setup['postgres']}), "
        f"{args.articles} published articles; the editor published and withdrew "
        f"{args.watched} watched articles in turn, each state kept {args.hold} s.",
        "",
        *figures(args, results, events),
    ]  # fmt: skip
    if outage:
        lines.append(
            f"| database down | +{outage[0] - args.t0:.1f} s to +{outage[1] - args.t0:.1f} s |"
        )
        errors = [
            s for s, _, _, status, _, _ in results if status >= 500 or status == -1
        ]
        if errors:
            lines.append(
                f"| 503 answers (all the friendly page) from / to | "
                f"+{min(errors) - args.t0:.1f} s / +{max(errors) - args.t0:.1f} s |"
            )
        lines.append(
            "| first good answer after the restart | "
            + (f"{recovery:.2f} s |" if recovery is not None else "never |")
        )
    return "\n".join(lines + verdict(problems)) + "\n"


def verdict(problems) -> list[str]:
    lines = ["", f"**{'FAILED' if problems else 'Passed'}**: {len(problems)} problems."]
    if problems:
        shown = Counter(problems).most_common(20)
        lines += [""] + [f"- {p} (x{n})" for p, n in shown]
    return lines


def figures(args, results, events) -> list[str]:
    """The table of what the visitors met and what the editor did."""
    durations = [ended - started for started, ended, *_ in results]
    statuses = Counter(status for _, _, _, status, _, _ in results)
    kinds = Counter(e["kind"] for e in events)
    return [
        "| figure | value |",
        "|---|---:|",
        f"| requests | {len(results):,} |",
        f"| requests/s | {len(results) / args.duration:,.0f} |",
        f"| latency p50 / p95 / p99 / max | {percentile(durations, .5) * 1000:.0f} / "
        f"{percentile(durations, .95) * 1000:.0f} / {percentile(durations, .99) * 1000:.0f} / "
        f"{max(durations, default=0) * 1000:.0f} ms |",
        f"| over {args.max_seconds:g} s | {sum(d > args.max_seconds for d in durations)} |",
        "| answers | " + ", ".join(f"{s if s != -1 else 'no answer'}: {n:,}" for s, n in sorted(statuses.items())) + " |",
        f"| publishes / withdrawals committed | {kinds['published']} / {kinds['withdrawn']} |",
        f"| editor steps retried after a database error | {kinds['error']} |",
        f"| answers checked for mixed or withdrawn versions | "
        f"{sum(status in (200, 410) for _, _, _, status, _, _ in results):,} |",
    ]  # fmt: skip


# Running ---------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.editor_loop:
        return editor_loop(args.editor_loop, args.until, args.hold)
    if not os.environ.get("WITH_POSTGRES_CTL"):
        return under_with_postgres(sys.argv[1:] if argv is None else argv)

    scratch = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE": "false",
        "BENCH_STATIC_ROOT": str(scratch / "static"),
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate

    say(f"load: generating {args.articles} articles ...")
    generate(args.articles, seed=args.seed, workflow_count=1, say=lambda m: None)
    slugs = prepare_watched(args.watched)
    call_command("collectstatic", verbosity=0, interactive=False)
    number = connection.cursor().connection.info.server_version  # e.g. 150018
    postgres = f"{number // 10000}.{number % 100}"
    connection.close()

    urls, weights = visitor_urls(slugs)

    server = Server(args.workers, env, scratch / "gunicorn.log")
    events_path = scratch / "events.jsonl"
    editor = None
    outage = None
    try:
        server.start()
        say(f"load: gunicorn with {args.workers} workers on {HOST}:{server.port}; "
            f"{args.connections} connections for {args.duration:.0f} s ...")  # fmt: skip
        args.t0 = time.time()
        editor = subprocess.Popen(
            [sys.executable, __file__, "--editor-loop", str(events_path),
             "--until", str(args.t0 + args.duration), "--hold", str(args.hold)],
            env=env, cwd=ROOT,
        )  # fmt: skip

        async def run():
            load = asyncio.create_task(
                visitors(
                    server.port, urls, weights, args.connections, args.duration, 30
                )
            )
            window = None
            if args.restart_db:
                await asyncio.sleep(args.restart_at)
                down = time.time()
                say(f"load: stopping PostgreSQL at +{down - args.t0:.1f} s")
                await asyncio.to_thread(
                    subprocess.run,
                    [os.environ["WITH_POSTGRES_CTL"], "stop"],
                    check=True,
                )
                await asyncio.sleep(args.down_for)
                await asyncio.to_thread(
                    subprocess.run,
                    [os.environ["WITH_POSTGRES_CTL"], "start"],
                    check=True,
                )
                window = (down, time.time())
                say(
                    f"load: PostgreSQL accepting connections again at +{window[1] - args.t0:.1f} s"
                )
            return await load, window  # fmt: skip

        results, outage = asyncio.run(run())
        editor.wait(timeout=120)
    finally:
        if editor and editor.poll() is None:
            editor.kill()
        gunicorn_log = server.log_tail() if server.process else ""
        server.stop()
    events = [json.loads(line) for line in events_path.read_text().splitlines() if line]
    slug_of = dict(enumerate(slugs, start=1))
    problems = check(results, events, slug_of, args, outage)
    recovery = None
    if outage:
        good = [
            s
            for s, _, _, status, _, _ in results
            if s >= outage[1] and 200 <= status < 500
        ]
        recovery = min(good) - outage[1] if good else None
        if recovery is None or recovery > args.recovery_grace:
            problems.append(
                f"the site did not recover within {args.recovery_grace} s of the restart"
            )
    if "Traceback" in gunicorn_log and not args.restart_db:
        problems.append("gunicorn's log has a traceback")
    text = report(args, results, events, problems, outage, recovery,
                  {"machine": f"{MACHINE_NAME}, {machine()['cpus']} CPUs", "postgres": postgres})  # fmt: skip
    say("")
    say(text)
    if not args.no_save:
        name = f"{time.strftime('%Y-%m-%d')}-{MACHINE_NAME}-load{'-fault' if args.restart_db else ''}.md"
        (ROOT / "bench" / "results" / name).write_text(text, encoding="utf-8")
        say(f"load: saved bench/results/{name}")
    return 1 if problems else 0


def under_with_postgres(argv) -> int:
    """Run this script again inside .ci/with-postgres's throwaway cluster,
    which can also stop and start that server for --restart-db."""
    status = subprocess.call(
        [str(ROOT / ".ci" / "with-postgres"), sys.executable, __file__, *argv]
    )
    if status == 77:
        say("load: no PostgreSQL server found; install Debian's 'postgresql' package.")
    return status


if __name__ == "__main__":
    sys.exit(main())
