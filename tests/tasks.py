"""Run the jobs queued in the test database in this process, as `manage.py
worker` would (its own loop closes connections, which a test cannot allow)."""

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER = Worker(
    queue_names=["default"],
    interval=0,
    batch=True,
    backend_name="default",
    startup_delay=False,
    max_tasks=None,
    worker_id="tests",
    excluded_queue_names=[],
)


def run_queued_tasks(limit: int = 200) -> list[str]:
    """Run every ready job, oldest first, including those the jobs queue;
    returns their task names."""
    ran = []
    for _ in range(limit):
        result = DBTaskResult.objects.ready().first()
        if result is None:
            return ran
        result.claim("tests")
        WORKER.run_task(result)
        ran.append(result.task_path.rsplit(".", 1)[-1])
    raise AssertionError(f"more than {limit} jobs: one keeps queueing another")


def queued(name: str) -> int:
    return sum(
        1
        for result in DBTaskResult.objects.ready()
        if result.task_path.endswith("." + name)
    )


class BrokenMailServer(BaseEmailBackend):
    """A mail backend whose server refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]
