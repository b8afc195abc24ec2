"""make bench's rows for the stack (deploy/stack/, docs/stack.md), always on
PostgreSQL: one article page through nginx's page cache, beside nginx
serving a static file of exactly that page's size (the ceiling: what nginx
does with no app behind it) and the same page from gunicorn directly (with
its Redis page cache), all with wrk over the same connections in one run;
then how soon a withdrawal stops being served through nginx.

The stack here has one app server (the others would only share the two
CPUs) and no task workers, so the three rows compete for nothing else.
"""

from deploy.stack import SERVER_NAME, Stack, missing_programs

CEILING_PATH = "/bench/static-ceiling.html"
CEILING_LOCATION = """
    location = %(path)s {
        alias %(file)s;
        default_type text/html;
    }
"""
# wrk connects to the name in its URL (health.example, for the TLS server
# name and Host); this sends it to the loopback instead.
RESOLVE_LOOPBACK = """
function wrk.resolve(host, service)
  wrk.addrs = wrk.lookup("127.0.0.1", service)
end
"""
WITHDRAW = """
import time, django
django.setup()
from django.contrib.auth import get_user_model
from articles.models import Article
from articles.review import workflow
editor = get_user_model().objects.get(username="bench-editor")
article = Article.objects.get(slug=%(slug)r)
workflow.unpublish(article, user=editor, comment="Benchmark withdrawal")
print(time.time())
"""
WITHDRAWALS = 3


def measure(args, wrk, say) -> dict:
    """{"rows": [...], "withdrawal": {...}} or {"skipped": why}."""
    missing = missing_programs()
    if missing:
        why = f"Debian's {', '.join(missing)} not installed"
        say(f"bench: SKIPPING the stack rows: {why}")
        return {"skipped": why}
    stack = Stack(
        articles=args.articles,
        app_servers=1,
        gunicorn_workers=args.workers,
        task_workers=0,
        settings_module="bench.settings",
        say=lambda message: say(f"bench: {message}"),
    )
    ceiling = stack.dir / "ceiling.html"
    stack.nginx_extra = CEILING_LOCATION % {"path": CEILING_PATH, "file": ceiling}
    try:
        stack.start()
        slugs = stack.python(
            "import django; django.setup()\n"
            "from articles.models import ArticleVersion\n"
            f"print(*ArticleVersion.objects.live().order_by('pk')"
            f".values_list('slug', flat=True)[:{WITHDRAWALS + 1}])"
        ).stdout.split()
        article = f"/questions/{slugs[0]}/"
        status, _, body = stack.get(article)
        assert status == 200, f"{article} answered {status} through nginx"
        head_size = len(body)
        ceiling.write_bytes(body)
        nginx_https = f"https://{SERVER_NAME}:{stack.ports['https']}"
        rows = [
            ("nginx static file, same size (ceiling)", nginx_https, CEILING_PATH, ()),
            ("Article page through nginx's page cache", nginx_https, article, ()),
            (
                "Article page from gunicorn directly",
                f"http://127.0.0.1:{stack.app_ports[0]}",
                article,
                (f"Host: {SERVER_NAME}", "X-Forwarded-Proto: https"),
            ),
        ]
        measured = []
        for label, base, path, extra in rows:
            if args.warmup:
                wrk.run(None, [path], args.warmup, extra, base, RESOLVE_LOOPBACK)
            stats = wrk.run(None, [path], args.duration, extra, base, RESOLVE_LOOPBACK)
            say(f"  stack: {label}: {stats['rps']:,.0f} req/s")
            measured.append({"label": label, "stats": stats})
        cache_status = stack.get(article)[1].get("X-Cache", "none")
        withdrawal = withdrawal_delays(stack, slugs[1:])
    finally:
        stack.stop()
    return {
        "rows": measured,
        "bytes": head_size,
        "cache_status": cache_status,
        "withdrawal": withdrawal,
    }


def withdrawal_delays(stack: Stack, slugs: list[str]) -> dict:
    """Withdraw each article while a visitor asks for its page through nginx
    over and over; how long after the commit a request still got the page."""
    latest, first_gone = [], []
    for slug in slugs:
        path = f"/questions/{slug}/"
        assert stack.get(path)[0] == 200
        committed, answers = stack.answers_during(
            path,
            lambda slug=slug: float(
                stack.python(WITHDRAW % {"slug": slug}).stdout.split()[-1]
            ),
        )
        served = [s for s, status in answers if status == 200 and s >= committed]
        gone = [s for s, status in answers if status == 410]
        latest.append(max(served) - committed if served else None)
        first_gone.append(min(gone) - committed if gone else None)
        wrong = [status for _, status in answers if status not in (200, 410)]
        if wrong:
            raise RuntimeError(f"{path}: answered {sorted(set(wrong))} meanwhile")
    return {"served_after_commit": latest, "gone_after_commit": first_gone}
