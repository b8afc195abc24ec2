"""Run the task worker: django-tasks-db's worker loop plus our clock."""

import logging
import threading

from django.core.management.base import BaseCommand
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import (
    Worker,
    valid_interval,
    validate_worker_id,
)

from articles.background import clock

logger = logging.getLogger("articles.background")


def run_clock(every: float, stop: threading.Event) -> None:
    """Start the due periodic jobs now and every `every` seconds, in this
    thread with its own database connection."""
    while True:
        try:
            for started in clock.tick():
                logger.info("Started periodic job: %s", started)
        except Exception:
            logger.exception("The clock could not start the periodic jobs.")
        finally:
            connections.close_all()
        if stop.wait(every):
            return


class Command(BaseCommand):
    help = (
        "Run the background worker: sends the notification emails, publishes and "
        "withdraws at scheduled times, refreshes related links, and starts the "
        "periodic jobs (daily digest, sweep). Run one or more beside the web "
        "servers; Ctrl-C stops it after the job in hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait when no job is ready (default 1).",
        )
        parser.add_argument(
            "--clock-seconds",
            type=valid_interval,
            default=clock.CLOCK_SECONDS,
            help=f"How often to check for due periodic jobs and scheduled "
            f"changes (default {clock.CLOCK_SECONDS}).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Start the due periodic jobs once, run every ready job, then exit "
            "(for a cron line instead of a long-running worker).",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="A name unique among the workers (default: random).",
        )

    def handle(self, *, interval, clock_seconds, batch, worker_id, **options):
        level = {0: logging.WARNING, 1: logging.INFO}.get(
            options["verbosity"], logging.DEBUG
        )
        for name in ("django_tasks", "django_tasks_db", "articles.background"):
            logging.getLogger(name).setLevel(level)
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        stop = threading.Event()
        if batch:
            stop.set()
            run_clock(clock_seconds, stop)
        else:
            threading.Thread(
                target=run_clock, args=(clock_seconds, stop), daemon=True
            ).start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
