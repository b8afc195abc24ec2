#!/usr/bin/env python3
"""The benchmark: `make bench`, or `python bench/run.py --articles 1000`.

Creates a throwaway database with N synthetic published articles
(bench/generate.py), starts gunicorn (sync workers, DEBUG off) on 127.0.0.1,
and measures the public pages with wrk, each also as a ratio to a bare Django
view measured in the same run, so figures from different machines compare.
Every page is measured without the page cache (a cache that never hits) and
with the project's own CACHES. Prints a Markdown table and saves it as
bench/results/<date>-<machine>-<db>-<articles>.md. The server, the database
and the temporary folder are removed at the end, whatever happens.

See bench/README.md for what each figure means.
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
WRK_TIMEOUT = "20s"
MODES = {"off": "no page cache", "on": "project's CACHES"}
PAGE_KEYS = [
    "article",
    "rotate",
    "topic",
    "home",
    "search",
    "sitemap",
    "section",
    "304",
]
TARGETS = """\
Targets (from the performance issue), on a 2-core machine with 2 sync workers:
article page without the page cache ≥ 0.27 × bare, with it ≥ 0.8 × bare;
article page p99 < 25 ms at 16 connections; 304 answers ≥ 0.9 × bare."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark the public pages against a bare Django view.",
    )
    parser.add_argument("--articles", type=int, default=1000, help="default 1000")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="sqlite (a file in a temporary folder, the default) or postgres "
        "(a new database on DATABASE_URL's server, or else a throwaway cluster "
        "from .ci/with-postgres)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--warmup", type=int, default=1, help="seconds of load before each URL"
    )
    parser.add_argument(
        "--cache",
        choices=["both", "off", "on"],
        default="both",
        help="measure without the page cache, with the project's CACHES, or both",
    )
    parser.add_argument(
        "--workflow-articles",
        type=int,
        default=5,
        help="how many of the articles are published one by one through "
        "articles.review.workflow, to time it (the rest in bulk); default 5",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="only these rows, comma-separated: article, rotate, topic, home, "
        "search, sitemap, section, 304 (default: all)",
    )
    parser.add_argument(
        "--stack",
        choices=["auto", "off"],
        default="auto",
        help="auto (the default): also measure the article page through the "
        "stack's nginx on PostgreSQL (bench/stack_rows.py) when nginx, "
        "redis-server and postgresql are installed; off: skip it",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--tag",
        default="",
        help="machine name in the results file (default: host name)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the app (e.g. a setting), repeatable",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="only create the database and time it, then remove it",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print each page's SQL"
    )
    parser.add_argument(
        "--no-save", action="store_true", help="print the table, do not save it"
    )
    args = parser.parse_args(argv)
    unknown = set(filter(None, args.pages.split(","))) - set(PAGE_KEYS)
    if unknown:
        parser.error(f"--pages: unknown {', '.join(sorted(unknown))}")
    if args.articles < 2:
        parser.error("--articles must be at least 2")
    for item in args.env:
        if "=" not in item:
            parser.error(f"--env needs NAME=VALUE, not {item!r}")
    return args


def say(message: str = "") -> None:
    print(message, flush=True)


# wrk -------------------------------------------------------------------------


def ensure_wrk() -> str:
    """The wrk binary; installed with apt-get in CI, explained elsewhere."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.environ.get("CI") == "true":
        say("bench: wrk not found; CI=true, installing Debian's 'wrk' package")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "wrk"]
        try:
            if subprocess.call(install, env=env) != 0:
                subprocess.call([*sudo, "apt-get", "update"], env=env)
                subprocess.call(install, env=env)
        except OSError as error:
            say(f"bench: cannot run apt-get: {error}")
        found = shutil.which("wrk")
        if found:
            return found
    sys.exit(
        "bench: wrk (the HTTP load generator) is not installed.\n"
        "Install it with:  sudo apt-get install wrk\n"
        "(with CI=true, make bench installs it itself)."
    )


LUA = r"""
local paths = %(paths)s
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  index = (id or 1) * 7919
end
if #paths > 1 then
  function request()
    index = index + 1
    return wrk.format(nil, paths[(index %% #paths) + 1])
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\": %%d, \"bytes\": %%d, \"duration_us\": %%d, " ..
    "\"p50_us\": %%.0f, \"p99_us\": %%.0f, \"max_us\": %%.0f, " ..
    "\"errors\": {\"connect\": %%d, \"read\": %%d, \"write\": %%d, " ..
    "\"status\": %%d, \"timeout\": %%d}}\n",
    summary.requests, summary.bytes, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_list(paths: list[str]) -> str:
    return "{" + ",".join(json.dumps(p) for p in paths) + "}"


class Wrk:
    def __init__(self, binary, args, scratch: Path):
        self.binary = binary
        self.args = args
        self.scratch = scratch
        self.version = (
            subprocess.run([binary, "-v"], capture_output=True, text=True)
            .stdout.split("[")[0]
            .replace("wrk", "")
            .strip()
        )

    def run(self, port, paths, seconds, headers=(), base=None, prelude="") -> dict:
        """wrk on http://127.0.0.1:port, or on `base` (a scheme and host);
        `prelude` is Lua run before the script's own."""
        script = self.scratch / "bench.lua"
        script.write_text(prelude + LUA % {"paths": lua_list(paths)})
        command = [
            self.binary,
            f"-t{self.args.threads}",
            f"-c{self.args.connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            WRK_TIMEOUT,
            "-s",
            str(script),
        ]
        for header in headers:
            command += ["-H", header]
        command.append(f"{base or f'http://{HOST}:{port}'}{paths[0]}")
        done = subprocess.run(command, capture_output=True, text=True)
        line = next(
            (x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None
        )
        if done.returncode != 0 or line is None:
            raise RuntimeError(
                f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}"
            )
        stats = json.loads(line[len("BENCH ") :])
        requests = max(stats["requests"], 1)
        stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
        stats["bytes_per_response"] = stats["bytes"] / requests
        stats["error_count"] = sum(stats["errors"].values())
        return stats


# The database ----------------------------------------------------------------


class Database:
    """A database that exists only for this run."""

    def __init__(self, kind: str, scratch: Path):
        self.kind = kind
        self.scratch = scratch
        self.server_url = ""
        self.name = ""

    def create(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.scratch / 'bench.sqlite3'}"
        import psycopg

        self.server_url = os.environ["DATABASE_URL"]
        parts = urlsplit(self.server_url)
        if not parts.scheme.startswith("postgres"):
            sys.exit(f"bench: --database postgres, but DATABASE_URL is {parts.scheme}")
        self.name = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
        try:
            with psycopg.connect(self.server_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        except psycopg.Error as error:
            sys.exit(
                f"bench: cannot create a throwaway database on DATABASE_URL's "
                f"server ({error}).\nUnset DATABASE_URL to use a throwaway "
                "cluster from .ci/with-postgres instead."
            )
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    def drop(self) -> None:
        if not self.name:
            return
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.name = ""


# gunicorn --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port, path, headers=None, timeout=60):
    """(status, headers, body) of one request, without following redirects."""
    conn = HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Server:
    def __init__(self, workers: int, env: dict, log: Path):
        self.workers = workers
        self.env = env
        self.log = log
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"{HOST}:{self.port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
        ]
        self.log_file = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log_file, stderr=self.log_file
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                if get(self.port, "/bench/hello/", timeout=2)[0] == 200:
                    if len(self.worker_pids()) == self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in 60 s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            return sorted(int(c) for c in children)
        except OSError:
            found = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    found.append(int(stat.parent.name))
            return sorted(found)

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes

    def drain(self, limit=120.0) -> None:
        """Wait until the workers have answered what wrk left queued: a slow
        page leaves up to one request per connection behind, which would
        otherwise load the next measurement."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.process.poll() is None:
            started = time.monotonic()
            try:
                get(self.port, "/bench/hello/", timeout=limit)
            except OSError:
                pass
            if time.monotonic() - started < 0.05:
                return

    def new_log_problems(self) -> str:
        """Worker timeouts and errors gunicorn logged since the last call."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        new, self.log_seen = lines[getattr(self, "log_seen", 0) :], len(lines)
        timeouts = sum("WORKER TIMEOUT" in line for line in new)
        errors = sum(" [ERROR] " in line or "Traceback" in line for line in new)
        problems = []
        if timeouts:
            problems.append(f"{timeouts} worker timeouts (killed after 30 s)")
        if errors:
            problems.append(f"{errors} errors in gunicorn's log")
        return ", ".join(problems)

    def stop(self) -> None:
        if self.process is None:
            return
        workers = self.worker_pids()
        if self.process.poll() is None:
            self.process.terminate()  # the master stops its workers
            try:
                self.process.wait(timeout=40)  # gunicorn's graceful timeout is 30 s
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 10
        for pid in workers:  # never leave a worker of ours running
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            if Path(f"/proc/{pid}").exists():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.log_file.close()
        self.process = None


# Measuring -------------------------------------------------------------------


class Page:
    def __init__(
        self, key, label, path, *, rotate=None, conditional=False, headers=None
    ):
        self.key = key
        self.label = label
        self.path = path
        self.rotate = rotate or []  # wrk cycles through these paths
        self.conditional = conditional
        self.headers = headers or {}  # sent with every request (the API key)

    def header_lines(self) -> list[str]:
        return [f"{name}: {value}" for name, value in self.headers.items()]

    def client_headers(self) -> dict:
        return {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in self.headers.items()
        }


def pages_to_measure(search_word: str) -> tuple[list[Page], dict]:
    from articles.models import ArticleVersion, PartnerKey

    # A partner key no limit stops during the run.
    _, secret = PartnerKey.issue(
        partner="Benchmark", created_by=None, requests_per_minute=10**9
    )

    live = list(
        ArticleVersion.objects.live()
        .order_by("article_id")
        .values_list("slug", "topic__slug")
    )
    slug, topic = live[len(live) // 2]
    article = f"/questions/{slug}/"
    pages = [
        Page("article", "Article page", article),
        Page(
            "rotate",
            f"Article pages, all {len(live):,} in turn",
            f"/questions/{live[0][0]}/",
            rotate=[f"/questions/{s}/" for s, _ in live],
        ),
        Page("topic", "Topic page", f"/topics/{topic}/"),
        Page("home", "Home", "/"),
        Page("search", f"Search “{search_word}”", f"/search/?q={search_word}"),
        Page("sitemap", "Sitemap index", "/sitemap.xml"),
        Page("section", "Sitemap section (articles)", "/sitemap-articles.xml"),
        Page("304", "Article page, conditional GET (304)", article, conditional=True),
        Page(
            "api",
            "API article detail",
            f"/api/v1/articles/{slug}",
            headers={"X-API-Key": secret},
        ),
    ]
    return pages, {"articles": len(live)}


def conditional_headers(headers: dict) -> list[str]:
    if headers.get("ETag"):
        return [f"If-None-Match: {headers['ETag']}"]
    if headers.get("Last-Modified"):
        return [f"If-Modified-Since: {headers['Last-Modified']}"]
    return []


def fetch(client, path, extra):
    """A response and its whole body, read (and its queries run) now, also when
    the page is streamed (sitemap files)."""
    response = client.get(path, **extra)
    if response.streaming:
        return response, b"".join(response.streaming_content)
    return response, response.content


def count_queries(pages: list[Page], modes: list[str], show: bool) -> dict:
    """SQL queries per request, in this process with the same settings and
    database: the second request of each page, so first-request work (e.g.
    filling the page cache) is not counted. Also the median time in the app."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench import settings as bench_settings

    counts = {}
    for mode in modes:
        overrides = {} if mode == "on" else {"CACHES": bench_settings.NO_PAGE_CACHE}
        with override_settings(**overrides):
            cache.clear()
            client = Client(HTTP_HOST=HOST)
            article_headers = {}
            for page in pages:
                extra = {}
                if page.conditional:
                    header = conditional_headers(article_headers)
                    if not header:
                        counts[(page.key, mode)] = None
                        continue
                    name, value = header[0].split(": ", 1)
                    extra = {"HTTP_" + name.upper().replace("-", "_"): value}
                extra |= page.client_headers()
                response, body = fetch(client, page.path, extra)
                times = []
                for _ in range(3):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response, body = fetch(client, page.path, extra)
                        times.append(time.perf_counter() - started)
                if page.key == "article":
                    article_headers = dict(response.headers)
                expected = 304 if page.conditional else 200
                if response.status_code != expected:
                    raise RuntimeError(
                        f"{page.path} answered {response.status_code} in process "
                        f"(expected {expected})"
                    )
                counts[(page.key, mode)] = len(captured)
                counts[(page.key, mode, "ms")] = statistics.median(times) * 1000
                say(
                    f"  {MODES[mode]:>16}: {page.label}: {len(captured)} queries, "
                    f"{statistics.median(times) * 1000:.1f} ms in the app, "
                    f"{len(body):,} bytes"
                )
                if show:
                    for query in captured.captured_queries:
                        say(f"      {query['time']}s  {query['sql'][:400]}")
    return counts


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def machine() -> dict:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, TypeError):
        pass
    import django
    import gunicorn

    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
    }


def busy_cpu(seconds=2.0) -> float:
    """Share of the CPUs other processes used over `seconds` while the
    benchmark itself was idle: a busy machine gives low figures."""

    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split()[1:9]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields) - idle, sum(fields)

    try:
        busy_before, total_before = sample()
        time.sleep(seconds)
        busy_after, total_after = sample()
    except (OSError, ValueError):
        return 0.0
    return (busy_after - busy_before) / max(total_after - total_before, 1)


def git_revision() -> str:
    def git(*args):
        return subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{commit} + uncommitted changes" if dirty else commit


# The run ---------------------------------------------------------------------


class Run:
    def __init__(self, args):
        self.args = args
        self.scratch = Path(tempfile.mkdtemp(prefix="bench-"))
        self.database = Database(args.database, self.scratch)
        self.server = None

    def environment(self) -> dict:
        env = {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_SECURE": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.database.create(),
            "BENCH_STATIC_ROOT": str(self.scratch / "static"),
        }
        env.update(item.split("=", 1) for item in self.args.env)
        return env

    def execute(self) -> int:
        args = self.args
        wrk = None if args.generate_only else Wrk(ensure_wrk(), args, self.scratch)
        started = datetime.datetime.now(datetime.UTC)
        os.environ.update(self.environment())
        os.environ.pop("BENCH_PAGE_CACHE", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from bench import generate

        db_version = database_version()
        say(f"bench: {args.articles:,} articles on {db_version} ({self.scratch})")
        made = generate.generate(
            args.articles,
            seed=args.seed,
            workflow_count=args.workflow_articles,
            say=say,
        )
        say(f"  bodies average {made['words']:.0f} words")
        if args.generate_only:
            return 0
        t = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        say(f"  collectstatic: {time.perf_counter() - t:.1f} s")

        pages, facts = pages_to_measure(generate.SEARCH_WORD)
        if args.pages:
            wanted = set(args.pages.split(","))
            # the 304 row needs the article page's validator
            pages = [
                p
                for p in pages
                if p.key in wanted or p.key == "article" and "304" in wanted
            ]
        from articles.web import search as article_search

        found = article_search.search_page(generate.SEARCH_WORD, "1")
        # "More than 500" when the search stopped counting at its cap.
        matches = f"more than {found.total:,}" if found.capped else f"{found.total:,}"
        facts["search_matches"] = matches
        modes = ["off", "on"] if args.cache == "both" else [args.cache]
        say("bench: SQL queries per request (in process)")
        queries = count_queries(pages, modes, args.show_queries)
        connections.close_all()

        results, rss, bare = [], {}, []
        busy = [busy_cpu()]
        for n, mode in enumerate(modes):
            env = {**os.environ}
            if mode == "off":
                env["BENCH_PAGE_CACHE"] = "off"
            self.server = Server(args.workers, env, self.scratch / "gunicorn.log")
            self.server.start()
            rss[mode] = {"start": self.server.worker_rss_mb()}
            say(f"bench: gunicorn on {HOST}:{self.server.port}, {MODES[mode]}")
            if n == 0:
                bare.append(self.measure_bare(wrk, "start"))
            for page in pages:
                if page.conditional and mode != modes[-1]:
                    continue  # 304s are answered before the page cache
                results.append(self.measure(wrk, page, mode, queries))
            if n == len(modes) - 1:
                bare.append(self.measure_bare(wrk, "end"))
            rss[mode]["end"] = self.server.worker_rss_mb()
            self.server.stop()
            self.server = None
        busy.append(busy_cpu())
        facts["busy"] = busy
        facts["stack"] = {"skipped": "--stack off"}
        if args.stack != "off":
            from bench import stack_rows

            say("bench: the stack (nginx, gunicorn, Redis, PostgreSQL)")
            facts["stack"] = stack_rows.measure(args, wrk, say)

        report = Report(
            args,
            started,
            machine(),
            db_version,
            made,
            facts,
            bare,
            results,
            rss,
            wrk.version,
        )
        text = report.markdown()
        say()
        say(text)
        if not args.no_save:
            path = report.save(text)
            say(f"bench: saved {path.relative_to(ROOT)}")
        return 0

    def load(self, wrk, paths, seconds, headers=()) -> dict:
        """One wrk run; stops the benchmark if gunicorn died meanwhile."""
        stats = wrk.run(self.server.port, paths, seconds, headers)
        status = self.server.process.poll()
        if status is not None:
            raise RuntimeError(
                f"gunicorn exited with status {status} while wrk loaded "
                f"{paths[0]}; its log ends with:\n{self.server.log_tail()}"
            )
        return stats

    def measure_bare(self, wrk, when: str) -> dict:
        path = "/bench/hello/"
        self.server.drain()
        if self.args.warmup:
            self.load(wrk, [path], self.args.warmup)
        stats = self.load(wrk, [path], self.args.duration)
        say(f"  bare view ({when}): {stats['rps']:,.0f} req/s")
        return stats

    def measure(self, wrk, page: Page, mode: str, queries: dict) -> dict:
        port = self.server.port
        row = {
            "page": page,
            "mode": mode,
            "queries": queries.get((page.key, mode)),
            "app_ms": queries.get((page.key, mode, "ms")),
        }
        headers = []
        if page.conditional:
            status, got, _ = get(port, page.path)
            headers = conditional_headers(got)
            if not headers:
                row["note"] = "n/a: the page sends no ETag or Last-Modified"
                say(f"  {page.label}: {row['note']}")
                return row
            status, _, _ = get(port, page.path, dict(h.split(": ", 1) for h in headers))
            if status != 304:
                row["note"] = f"n/a: {headers[0]} answered {status}, not 304"
                say(f"  {page.label}: {row['note']}")
                return row
            row["header"] = headers[0].split(":")[0]
        else:
            status, _, _ = get(port, page.path, page.headers)
            if status != 200:
                row["note"] = f"answered {status}"
                say(f"  {page.label}: answered {status}, not measured")
                return row
        headers += page.header_lines()
        paths = page.rotate or [page.path]
        if self.args.warmup:
            self.load(wrk, paths, self.args.warmup, headers)
            self.server.drain()
        self.server.new_log_problems()
        stats = self.load(wrk, paths, self.args.duration, headers)
        row["rss"] = max(self.server.worker_rss_mb(), default=0)
        self.server.drain()
        row["stats"] = stats
        row["problems"] = self.server.new_log_problems()
        say(
            f"  {MODES[mode]:>16}: {page.label}: {stats['rps']:,.0f} req/s, "
            f"p50 {stats['p50_us'] / 1000:.1f} ms, p99 {stats['p99_us'] / 1000:.1f} ms"
            + (f", {stats['error_count']} errors" if stats["error_count"] else "")
        )
        return row

    def cleanup(self) -> None:
        if self.server is not None:
            try:
                self.server.stop()
            except Exception as error:  # noqa: BLE001 - keep cleaning up
                say(f"bench: stopping gunicorn failed: {error}")
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not be set up
            pass
        try:
            self.database.drop()
        except Exception as error:  # noqa: BLE001
            say(f"bench: could not drop database {self.database.name}: {error}")
        shutil.rmtree(self.scratch, ignore_errors=True)


# The report ------------------------------------------------------------------


def number(value, digits=0) -> str:
    return f"{value:,.{digits}f}"


class Report:
    def __init__(self, args, started, machine, db_version, made, facts, bare,
                 results, rss, wrk_version):  # fmt: skip
        self.args = args
        self.started = started
        self.machine = machine
        self.db_version = db_version
        self.made = made
        self.facts = facts
        self.bare = bare
        self.results = results
        self.rss = rss
        self.wrk_version = wrk_version
        self.bare_rps = statistics.mean(b["rps"] for b in bare)

    def tag(self) -> str:
        raw = self.args.tag or socket.gethostname().split(".")[0]
        return re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-") or "machine"

    def save(self, text: str) -> Path:
        RESULTS.mkdir(exist_ok=True)
        name = (
            f"{self.started:%Y-%m-%d}-{self.tag()}-{self.args.database}-"
            f"{self.args.articles}.md"
        )
        path = RESULTS / name
        scratch = path.with_suffix(".md.tmp")
        scratch.write_text(text)
        scratch.replace(path)
        return path

    def ratio(self, stats) -> float:
        return stats["rps"] / self.bare_rps

    def markdown(self) -> str:
        a, m = self.args, self.machine
        lines = [
            f"# Benchmark: {a.articles:,} articles, {self.db_version}",
            "",
            f"{self.started:%Y-%m-%d %H:%M} UTC, machine `{self.tag()}`, "
            f"commit {git_revision()}.",
            "",
            f"Load: `wrk -t{a.threads} -c{a.connections} -d{a.duration}s --latency` "
            f"per URL after {a.warmup} s of warm-up, against gunicorn "
            f"({a.workers} sync workers, DEBUG off) on {HOST}. "
            "“× bare” is requests/s divided by the bare Django view's "
            f"({number(self.bare_rps)} req/s, mean of the start and the end of the run).",
            "",
            "| Page | Page cache | req/s | × bare | p50 ms | p99 ms | bytes/response "
            "| SQL/request | app ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        first = self.bare[0]
        lines.append(
            f"| Bare Django view | – | {number(self.bare_rps)} | 1.00 | "
            f"{first['p50_us'] / 1000:.1f} | {first['p99_us'] / 1000:.1f} | "
            f"{number(first['bytes_per_response'])} | 0 | |"
        )
        notes = []
        for row in self.results:
            page, stats = row["page"], row.get("stats")
            mode = MODES[row["mode"]]
            queries = "–" if row["queries"] is None else str(row["queries"])
            app_ms = "" if row["app_ms"] is None else f"{row['app_ms']:.1f}"
            if stats is None:
                lines.append(
                    f"| {page.label} | {mode} | n/a | n/a | | | | {queries} | {app_ms} |"
                )
                notes.append(f"{page.label}: {row.get('note', 'not measured')}.")
                continue
            lines.append(
                f"| {page.label} | {mode} | {number(stats['rps'])} | "
                f"{self.ratio(stats):.2f} | {stats['p50_us'] / 1000:.1f} | "
                f"{stats['p99_us'] / 1000:.1f} | "
                f"{number(stats['bytes_per_response'])} | {queries} | {app_ms} |"
            )
            if stats["error_count"]:
                errors = ", ".join(f"{v} {k}" for k, v in stats["errors"].items() if v)
                notes.append(f"{page.label} ({mode}): wrk errors: {errors}.")
            if row.get("problems"):
                notes.append(f"{page.label} ({mode}): {row['problems']}.")
            if not stats["requests"]:
                notes.append(
                    f"{page.label} ({mode}): no request finished within the "
                    f"{a.duration} s run."
                )
            if row.get("header"):
                notes.append(
                    f"{page.label}: wrk sent `{row['header']}` with the page's own "
                    "validator; every answer was a 304."
                    if not stats["errors"]["status"]
                    else f"{page.label}: some answers were not 304."
                )
        drift = (self.bare[-1]["rps"] - self.bare[0]["rps"]) / self.bare[0]["rps"]
        seen, urls = set(), ["`/bench/hello/` (bare view)"]
        for row in self.results:
            page = row["page"]
            if page.key not in seen and not page.conditional:
                seen.add(page.key)
                urls.append(
                    f"`{page.path}`, then the others in turn"
                    if page.rotate
                    else f"`{page.path}`"
                )
        lines += [
            "",
            "- URLs: " + "; ".join(urls) + ".",
            *[f"- {note}" for note in notes],
            f"- Bare view: {number(self.bare[0]['rps'])} req/s at the start, "
            f"{number(self.bare[-1]['rps'])} at the end ({drift:+.1%}). Other "
            "processes kept the CPUs "
            + " and ".join(f"{b:.0%}" for b in self.facts["busy"])
            + " busy just before and after the measurements"
            + (
                " (**a busy machine: the figures may be low**)."
                if max(self.facts["busy"]) > 0.1 or abs(drift) > 0.1
                else "."
            ),
            "- SQL/request and app ms: queries of one request after the first, "
            "and the median time of three, in process (django.test.Client, "
            "no network) with the same settings and database. bytes/response "
            "includes the headers.",
            f"- Search: {self.facts['search_matches']} of "
            f"{self.facts['articles']:,} articles match.",
            "",
            "## Targets",
            "",
            *self.targets(),
            "",
            *self.stack_section(),
            "## Gunicorn worker memory (RSS)",
            "",
        ]
        for mode, sizes in self.rss.items():
            after = [
                f"{row['page'].label.lower()} {row['rss']:.0f}"
                for row in self.results
                if row["mode"] == mode and row.get("rss")
            ]
            lines.append(
                f"- {MODES[mode]}: "
                + ", ".join(f"{s:.0f}" for s in sizes["start"])
                + " MB after start; "
                + ", ".join(f"{s:.0f}" for s in sizes["end"])
                + " MB at the end. The larger worker after each URL: "
                + ", ".join(after)
                + " MB."
            )
        made = self.made
        publish = made["publish_seconds"]
        lines += [
            "",
            "## Database",
            "",
            f"{a.articles:,} published articles in {made['topics']:,} topics "
            f"(bodies of about {made['words']:.0f} words, 5 FAQs, 5 takeaways, "
            f"3 references each; {made['links']}), made in {made['total']:.1f} s: "
            + ", ".join(f"{name} {s:.1f} s" for name, s in made["phases"])
            + ".",
        ]
        if publish:
            lines += [
                "",
                f"Publishing through `workflow.publish` (related links refreshed): "
                f"{statistics.mean(publish) * 1000:.0f} ms per article on average, "
                f"{max(publish) * 1000:.0f} ms at most ({len(publish)} articles); "
                f"{a.articles:,} that way would take about "
                f"{statistics.mean(publish) * a.articles / 60:.1f} minutes.",
            ]
        lines += [
            "",
            "## Machine",
            "",
            f"{m['cpus']} CPUs ({m['cpu']}), {m['ram']}, {m['os']}; Python "
            f"{m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, "
            f"wrk {self.wrk_version}, {self.db_version}.",
        ]
        if a.env:
            lines += ["", "App environment: " + ", ".join(f"`{e}`" for e in a.env)]
        return "\n".join(lines) + "\n"

    def stack_section(self) -> list[str]:
        stack = self.facts["stack"]
        lines = ["## Through nginx (the stack, PostgreSQL)", ""]
        if "skipped" in stack:
            return lines + [f"Not measured: {stack['skipped']}.", ""]
        ceiling = stack["rows"][0]["stats"]["rps"]
        lines += [
            f"deploy/stack/ with one app server ({self.args.workers} sync workers, "
            "Redis page cache) behind nginx over HTTPS (keep-alive), "
            f"{stack['bytes']:,} bytes of page; the same wrk settings. After "
            f"the rows nginx answered the article page with X-Cache: "
            f"{stack['cache_status']}.",
            "",
            "| Row | req/s | × static ceiling | p50 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in stack["rows"]:
            stats = row["stats"]
            lines.append(
                f"| {row['label']} | {number(stats['rps'])} | "
                f"{stats['rps'] / ceiling:.2f} | {stats['p50_us'] / 1000:.1f} | "
                f"{stats['p99_us'] / 1000:.1f} | {stats['error_count']} |"
            )
        through = stack["rows"][1]["stats"]["rps"] / ceiling
        withdrawal = stack["withdrawal"]
        served = [s for s in withdrawal["served_after_commit"] if s is not None]
        gone = [g for g in withdrawal["gone_after_commit"] if g is not None]
        count = len(withdrawal["gone_after_commit"])
        lines += [
            "",
            f"- Target: through nginx's cache ≥ 0.5 × the static ceiling: "
            f"{through:.2f}, {'met' if through >= 0.5 else '**not met**'}.",
            f"- Withdrawal through nginx ({count} articles, a visitor asking "
            "again and again): requests that started after the commit and "
            f"still got the page: {len(served)}"
            + (f" (the latest {max(served) * 1000:.0f} ms after)" if served else "")
            + "; the first 410 started at most "
            + (
                f"{max(gone) * 1000:.0f} ms after the commit (negative: before "
                "the editor's step returned)"
                if len(gone) == count
                else "**never** for some"
            )
            + f" (target: within 1 s: {'met' if len(gone) == count and max(gone) < 1 else '**not met**'}).",
            "",
        ]  # fmt: skip
        return lines

    def targets(self) -> list[str]:
        def find(key, mode):
            for row in self.results:
                if row["page"].key == key and row["mode"] == mode and row.get("stats"):
                    return row["stats"]
            return None

        def verdict(ok):
            return "met" if ok else "**not met**"

        lines = []
        for mode, goal in (("off", 0.27), ("on", 0.8)):
            stats = find("article", mode)
            if stats:
                ratio = self.ratio(stats)
                lines.append(
                    f"- Article page, {MODES[mode]}: {ratio:.2f} × bare "
                    f"(target ≥ {goal}): {verdict(ratio >= goal)}; p99 "
                    f"{stats['p99_us'] / 1000:.1f} ms (target < 25 ms): "
                    f"{verdict(stats['p99_us'] < 25_000)}."
                )
        stats = find("304", self.results[-1]["mode"]) if self.results else None
        if stats:
            ratio = self.ratio(stats)
            lines.append(
                f"- Conditional GET (304): {ratio:.2f} × bare (target ≥ 0.9): "
                f"{verdict(ratio >= 0.9)}."
            )
        else:
            lines.append("- Conditional GET (304): n/a (see above).")
        lines.append("")
        lines.append(TARGETS)
        return lines


# Entry point -----------------------------------------------------------------


def under_with_postgres(argv) -> int:
    """Run this script again inside .ci/with-postgres's throwaway cluster."""
    if os.environ.get("BENCH_IN_WITH_POSTGRES"):
        sys.exit("bench: .ci/with-postgres did not set DATABASE_URL")
    command = [str(ROOT / ".ci" / "with-postgres"), sys.executable, __file__, *argv]
    env = {**os.environ, "BENCH_IN_WITH_POSTGRES": "1"}
    status = subprocess.call(command, env=env)
    if status == 77:
        say(
            "bench: no PostgreSQL server found. Install Debian's 'postgresql' "
            "package (sudo apt-get install postgresql), or set DATABASE_URL to "
            "a server where you may create databases."
        )
    return status


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.generate_only:
        ensure_wrk()  # before anything slow
    if args.database == "postgres" and not os.environ.get("DATABASE_URL"):
        return under_with_postgres(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run = Run(args)
    try:
        return run.execute()
    finally:
        run.cleanup()


if __name__ == "__main__":
    sys.exit(main())
