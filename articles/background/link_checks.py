"""The periodic check of the web addresses that live versions cite.

SourceCheck rows are one per (article, address) of each live version's
references. A run (jobs.check_links, hourly from the clock) first brings
them in step with the live versions (sync), then checks a batch of the
addresses that are due (due_urls), each once however many articles cite it,
and records the answer on every row that cites it (record).

Only a reference's own "url" is checked. DOIs and PMIDs are shown as doi.org
and PubMed links: permanent resolvers, run so that an identifier keeps leading
to its work wherever the publisher moves it, so a checker has nothing to find.

An address that is gone (404, 410) or moved permanently is marked at once. One
that fails (a server error, a timeout, no connection) is marked FAILING only
after FAILING_AFTER checks in a row fail, LINK_CHECK_RETRY_HOURS apart: until
then it keeps its state and `detail` says what happened. The HTTP side, and
how politely it asks, is http_check.py.
"""

import datetime
import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from articles.background.http_check import DEAD, FAILED, MOVED, OK, Answer, Checker
from articles.models import ArticleVersion, SourceCheck

State = SourceCheck.State
FAILING_AFTER = 3
# A run stops starting checks after this long, so that hourly runs never
# overlap and no host hears from two of them at once.
RUN_SECONDS = 45 * 60
CHUNK = 500
URL_MAX_LENGTH = SourceCheck._meta.get_field("url").max_length
RECORDED_FIELDS = [
    "state",
    "http_status",
    "moved_to",
    "detail",
    "failures",
    "checked_at",
    "failing_since",
]


def run() -> dict:
    """Sync the rows, then check the due addresses; a summary for the task log."""
    if not settings.LINK_CHECKS_ENABLED:
        return {"disabled": True}
    summary = sync()
    checker = Checker(
        user_agent=user_agent(),
        timeout=settings.LINK_CHECK_TIMEOUT,
        spacing=settings.LINK_CHECK_HOST_SECONDS,
        private_addresses=settings.LINK_CHECK_PRIVATE_ADDRESSES,
    )
    started = time.monotonic()
    outcomes = Counter()
    for url in due_urls(timezone.now(), settings.LINK_CHECK_BATCH):
        if time.monotonic() - started > RUN_SECONDS:
            break
        answer = checker.check(url)
        record(url, answer, timezone.now())
        outcomes[answer.outcome] += 1
    return summary | {"checked": sum(outcomes.values()), **outcomes}


def user_agent() -> str:
    """Names the site and where to read about it, as polite robots do."""
    return f"{settings.SITE_NAME} link checker (+{settings.SITE_URL})"


def live_addresses() -> dict[tuple[int, str], int]:
    """(article id, address): reference number, for each web address that a
    live version cites (the first reference, where two cite the same one)."""
    wanted = {}
    versions = (
        ArticleVersion.objects.live().order_by().values_list("article_id", "references")
    )
    for article_id, references in versions.iterator(chunk_size=CHUNK):
        for number, reference in enumerate(references or [], start=1):
            url = str(reference.get("url") or "").strip()
            if url.startswith(("http://", "https://")) and len(url) <= URL_MAX_LENGTH:
                wanted.setdefault((article_id, url), number)
    return wanted


def sync() -> dict:
    """Make the rows match the live versions: add the new addresses, remove
    those no live version cites (a withdrawn article's, an edited-out
    reference's) and renumber the rest."""
    wanted = live_addresses()
    rows = SourceCheck.objects.only("article_id", "url", "reference_number")
    existing = {(row.article_id, row.url): row for row in rows.iterator()}
    stale = [row.pk for key, row in existing.items() if key not in wanted]
    renumbered = []
    for key, row in existing.items():
        if key in wanted and row.reference_number != wanted[key]:
            row.reference_number = wanted[key]
            renumbered.append(row)
    new = [
        SourceCheck(article_id=article_id, url=url, reference_number=number)
        for (article_id, url), number in wanted.items()
        if (article_id, url) not in existing
    ]
    with transaction.atomic():
        for start in range(0, len(stale), CHUNK):
            SourceCheck.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
        SourceCheck.objects.bulk_update(
            renumbered, ["reference_number"], batch_size=CHUNK
        )
        # A publication in the meantime may have added a row: keep that one.
        SourceCheck.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
    return {"added": len(new), "removed": len(stale), "renumbered": len(renumbered)}


def due_urls(now: datetime.datetime, batch: int) -> list[str]:
    """Up to `batch` distinct addresses with a row never checked, checked more
    than LINK_CHECK_EVERY_DAYS ago, or failing and checked more than
    LINK_CHECK_RETRY_HOURS ago: never-checked ones first, then the oldest."""
    recheck = now - datetime.timedelta(days=settings.LINK_CHECK_EVERY_DAYS)
    retry = now - datetime.timedelta(hours=settings.LINK_CHECK_RETRY_HOURS)
    due = SourceCheck.objects.filter(
        Q(checked_at__isnull=True)
        | Q(checked_at__lt=recheck)
        | Q(failures__gt=0, checked_at__lt=retry)
    )
    by_url = (
        due.values("url")
        .annotate(oldest=Min("checked_at"))
        .order_by(F("oldest").asc(nulls_first=True), "url")
    )
    return [row["url"] for row in by_url[:batch]]


def record(url: str, answer: Answer, now: datetime.datetime) -> None:
    """Write `answer` on every row that cites `url`, each in its own short
    transaction (no lock is held while the checker waits for a server)."""
    for row in SourceCheck.objects.filter(url=url):
        apply(row, answer, now)
        row.save(update_fields=RECORDED_FIELDS)


def apply(row: SourceCheck, answer: Answer, now: datetime.datetime) -> None:
    """The row after this check (see the module docstring for the rules)."""
    row.checked_at = now
    row.http_status = answer.status
    detail = answer.detail
    if answer.outcome == FAILED:
        row.failures = min(row.failures + 1, 1000)
        row.failing_since = row.failing_since or now
        if row.failures >= FAILING_AFTER:
            row.state, row.moved_to = State.FAILING, ""
            detail = f"{detail}; {row.failures} checks in a row failed"
        else:
            detail = (
                f"{detail}; failed check {row.failures} of {FAILING_AFTER} before "
                "it counts as not answering"
            )
    elif answer.outcome == OK:
        row.state, row.failures, row.failing_since = State.OK, 0, None
        row.moved_to = ""
    else:
        row.state = {MOVED: State.MOVED, DEAD: State.DEAD}[answer.outcome]
        row.moved_to = answer.moved_to[:2000] if answer.outcome == MOVED else ""
        row.failures = 0
        row.failing_since = row.failing_since or now
    row.detail = detail[:300]
