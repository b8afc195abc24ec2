"""Which periodic job is due now, started once however many workers run.

Every worker runs this clock (`manage.py worker`, every CLOCK_SECONDS); a job
runs once per slot (a day, an hour, five minutes, one scheduled change) because the
first worker to write its PeriodicRun row starts it and the others find the
row taken. No cron is needed; `manage.py worker --batch` runs one tick and the
jobs it started, then exits, for a cron line instead.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.background import jobs
from articles.models import PeriodicRun, ScheduledChange

CLOCK_SECONDS = 15
SWEEP_SECONDS = 300
LINK_CHECK_SECONDS = 3600


def due_jobs(now) -> list[tuple[str, str, object, list]]:
    """(job, slot, task, arguments) for every job due at `now`."""
    local = timezone.localtime(now)
    due = [
        ("schedule", str(change_id), jobs.carry_out_schedule, [change_id])
        for change_id in ScheduledChange.objects.filter(
            state=ScheduledChange.State.WAITING, run_at__lte=now
        ).values_list("pk", flat=True)
    ]
    if local.hour >= settings.DIGEST_HOUR:
        day = local.date().isoformat()
        due.append(("digest", day, jobs.send_daily_digest, [day]))
        due.append(("prune", day, jobs.prune, []))
    due.append(("sweep", str(int(now.timestamp()) // SWEEP_SECONDS), jobs.sweep, []))
    if settings.LINK_CHECKS_ENABLED:
        hour = str(int(now.timestamp()) // LINK_CHECK_SECONDS)
        due.append(("links", hour, jobs.check_links, []))
    return due


def tick(now=None) -> list[str]:
    """Start every due job that no worker started in its slot yet."""
    started = []
    for job, slot, task, arguments in due_jobs(now or timezone.now()):
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job, slot=slot)
                task.enqueue(*arguments)
        except IntegrityError:
            continue  # another worker started this one
        started.append(f"{job} {slot}")
    return started
