"""Load and fault test through the stack (`make load-stack`; docs/stack.md).

    make load-stack                                  # 200 connections for 60 s
    .venv/bin/python bench/load_stack.py --help      # every option

It starts the production topology of deploy/stack/ (nginx with its page
cache, two gunicorn app servers sharing Redis, a PostgreSQL primary and
streaming replica, two task workers) with generated articles, and for
--duration seconds keeps --connections HTTPS requests in flight through
nginx, while an editor publishes and withdraws watched articles
(bench/load.py's editor, purge hook included). Midway it breaks things in
turn: app server 1 is killed and restarted, Redis is stopped and started,
the replica is stopped and started again.

The checks are bench/load.py's, by content, on every answer: no 5xx and no
connection error at all (the primary stays up, so not even the friendly
503), none slower than --max-seconds, no mixed versions, no withdrawn article
after its withdrawal committed (the purge runs before the editor's step
returns), no older version after a publish committed. Exits 1 on a problem.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.run import machine  # noqa: E402
from deploy.stack import SERVER_NAME, Stack, missing_programs  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--watched", type=int, default=3)
    parser.add_argument(
        "--gunicorn-workers", type=int, default=2, help="per app server"
    )
    parser.add_argument("--hold", type=float, default=2.0)
    parser.add_argument("--max-seconds", type=float, default=2.0)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    args.recovery_grace = 0.0  # bench.load.check: no database outage here
    return args


async def faults(stack: Stack, t0: float, duration: float) -> list[tuple]:
    """Break one part after another, each at a fixed share of the run;
    returns (what, from, to) seconds after t0."""
    done = []

    async def at(share):
        await asyncio.sleep(max(0.0, t0 + share * duration - time.time()))
        return time.time()

    async def window(what, start_share, stop, back_share, start):
        began = await at(start_share)
        load.say(f"load-stack: {what} at +{began - t0:.1f} s")
        await asyncio.to_thread(stop)
        if back_share is not None:
            await at(back_share)
        await asyncio.to_thread(start)
        done.append((what, began - t0, time.time() - t0))
        load.say(f"load-stack: {what}: back at +{time.time() - t0:.1f} s")

    await window(
        "app server 1 killed", 0.15, lambda: stack.kill_app(0), None,
        lambda: stack.start_app(0),
    )  # fmt: skip
    await window("Redis stopped", 0.35, stack.stop_redis, 0.45, stack.start_redis)
    await window("replica stopped", 0.6, stack.replica.stop, 0.8, stack.replica.start)
    return done


def latest_withdrawn_answer(results, events) -> float | None:
    """Seconds from a withdrawal's commit to the start of the latest request
    that still showed that version (negative: none after the commit)."""
    worst = None
    steps = [e for e in events if e["kind"] in ("published", "withdrawn")]
    for index, event in enumerate(steps):
        if event["kind"] != "withdrawn":
            continue
        later = [
            e["started"] for e in steps[index + 1 :] if e["watched"] == event["watched"]
        ]
        until = later[0] if later else float("inf")
        shown = [
            started
            for started, _, _, status, _, markers in results
            if event["started"] <= started < until and status == 200
            and (str(event["watched"]), f"{event['revision']:04d}") in markers
        ]  # fmt: skip
        if shown:
            gap = max(shown) - event["committed"]
            worst = gap if worst is None else max(worst, gap)
    return worst


def errors_logged(log: str) -> Counter:
    """The exceptions in the app servers' logs: the last line of each traceback."""
    found = Counter()
    for block in log.split("Traceback (most recent call last):")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        ending = next((line for line in lines if not line.startswith(" ")), "?")
        found[ending[:160]] += 1
    return found


def report(args, results, events, problems, windows, setup) -> str:
    latest = latest_withdrawn_answer(results, events)
    slow = Counter(
        int(started - args.t0)
        for started, ended, *_ in results
        if ended - started > args.max_seconds
    )
    lines = [
        "# Load and fault test through the stack",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, machine "
        f"`{setup['machine']}`.",
        "",
        f"{args.connections} HTTPS connections for {args.duration:.0f} s through "
        f"nginx (its page cache on) to two gunicorn app servers "
        f"({args.gunicorn_workers} sync workers each, DEBUG off) sharing Redis, "
        f"PostgreSQL {setup['postgres']} primary and streaming replica, "
        f"{args.articles} published articles; the editor published and withdrew "
        f"{args.watched} watched articles in turn, each state kept {args.hold} s.",
        "",
        *load.figures(args, results, events),
        *[f"| {what} | +{began:.1f} s to +{back:.1f} s |" for what, began, back in windows],
        "| latest start of a request that still showed a withdrawn version, "
        "after its commit | "
        + ("none shown" if latest is None else f"{latest * 1000:+.0f} ms") + " |",
        f"| requests over {args.max_seconds:g} s, by the second they started in | "
        + (", ".join(f"+{second} s: {count}" for second, count in sorted(slow.items())) or "none")
        + " |",
        f"| tracebacks in the app servers' logs | {sum(setup['tracebacks'].values())} |",
    ]  # fmt: skip
    for ending, count in setup["tracebacks"].most_common(5):
        lines.append(f"| - `{ending}` | {count} |")
    return "\n".join(lines + load.verdict(problems)) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    missing = missing_programs()
    if missing:
        load.say(f"load-stack: needs Debian's {', '.join(missing)}.")
        return 77
    stack = Stack(
        articles=args.articles,
        gunicorn_workers=args.gunicorn_workers,
        settings_module="bench.settings",
        say=lambda message: load.say(f"load-{message}"),
    )
    stack.start()
    editor = None
    try:
        os.environ.update(stack.env)
        import django

        django.setup()
        from django.db import connection

        slugs = load.prepare_watched(args.watched)
        urls, weights = load.visitor_urls(slugs)
        number = connection.cursor().connection.info.server_version
        postgres = f"{number // 10000}.{number % 100}"
        connection.close()

        events_path = stack.dir / "events.jsonl"
        load.say(
            f"load-stack: {args.connections} connections for {args.duration:.0f} s "
            f"through nginx on 127.0.0.1:{stack.ports['https']} ..."
        )
        args.t0 = time.time()
        editor = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "load.py"), "--editor-loop",
             str(events_path), "--until", str(args.t0 + args.duration),
             "--hold", str(args.hold)],
            env=stack.env, cwd=ROOT,
        )  # fmt: skip

        async def run():
            visitors = load.visitors(
                stack.ports["https"], urls, weights, args.connections,
                args.duration, 30, tls=stack.tls_context(), host=SERVER_NAME,
            )  # fmt: skip
            return await asyncio.gather(visitors, faults(stack, args.t0, args.duration))

        results, windows = asyncio.run(run())
        editor.wait(timeout=120)
        events = [
            json.loads(line) for line in events_path.read_text().splitlines() if line
        ]
        tracebacks = errors_logged(stack.log("app1") + stack.log("app2"))
    finally:
        if editor and editor.poll() is None:
            editor.kill()
        stack.stop()
    problems = load.check(results, events, dict(enumerate(slugs, start=1)), args, None)
    setup = {
        "machine": f"{load.MACHINE_NAME}, {machine()['cpus']} CPUs",
        "postgres": postgres,
        "tracebacks": tracebacks,
    }
    text = report(args, results, events, problems, windows, setup)
    load.say("")
    load.say(text)
    if not args.no_save:
        name = f"{time.strftime('%Y-%m-%d')}-{load.MACHINE_NAME}-load-stack.md"
        (ROOT / "bench" / "results" / name).write_text(text, encoding="utf-8")
        load.say(f"load-stack: saved bench/results/{name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
