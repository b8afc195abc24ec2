"""The periodic jobs the clock starts, and scheduled go-live and expiry."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from articles.background import link_checks
from articles.background.digest import send_digests
from articles.models import PeriodicRun, ScheduledChange
from articles.notifications import outbox
from articles.review import schedules, workflow

State = ScheduledChange.State
KEEP_FINISHED = datetime.timedelta(days=30)


@task()
def carry_out_schedule(change_id: int) -> str:
    """Publish or withdraw at the scheduled time, through the workflow, as the
    editor who scheduled it: their permission, the approval fingerprint and
    four eyes are checked exactly as for a click, and a publication also needs
    the approved text to be the one scheduled. One transaction: a refusal or a
    crash changes nothing but the schedule's own state."""
    now = timezone.now()
    with transaction.atomic():
        claimed = ScheduledChange.objects.filter(
            pk=change_id, state=State.WAITING, run_at__lte=now
        ).update(state=State.RUNNING)
        if not claimed:
            return "not due, cancelled or already carried out"
        change = ScheduledChange.objects.select_related("article", "created_by").get(
            pk=change_id
        )
        article, user = change.article, change.created_by
        when = f"{timezone.localtime(change.run_at):%d %b %Y, %H:%M %Z}"
        try:
            with transaction.atomic():
                if change.action == ScheduledChange.Action.PUBLISH:
                    schedules.refuse_other_text(change, article)
                    article = workflow.publish(
                        article,
                        user=user,
                        comment=f"Published as scheduled for {when}.",
                    )
                    outcome = f"Published version {article.live_version.number}."
                else:
                    workflow.unpublish(
                        article,
                        user=user,
                        comment=f"Withdrawn as scheduled for {when}: {change.reason}",
                    )
                    outcome = "Withdrawn from the site."
        except (workflow.TransitionNotAllowed, PermissionDenied) as refusal:
            schedules.refused(change, f"Refused at {when}: {refusal}")
            return change.outcome
        schedules.carried_out(change, outcome)
        return outcome


@task()
def send_daily_digest(day: str) -> int:
    return send_digests(datetime.date.fromisoformat(day))


@task()
def sweep() -> dict:
    """Every few minutes: emails whose job was lost or whose worker stopped,
    and scheduled changes a stopped worker left due."""
    found = outbox.sweep()
    late = ScheduledChange.objects.filter(
        state=State.WAITING, run_at__lt=timezone.now() - datetime.timedelta(minutes=5)
    ).values_list("pk", flat=True)
    for change_id in late:
        carry_out_schedule.enqueue(change_id)
    return found | {"late schedules": len(late)}


@task()
def check_links() -> dict:
    """Hourly: bring the link checks in step with the live versions, then
    check a batch of the reference addresses that are due (link_checks.py)."""
    return link_checks.run()


@task()
def prune() -> dict:
    """Daily: forget finished jobs and clock slots older than KEEP_FINISHED
    (failed jobs stay for administrators to read)."""
    before = timezone.now() - KEEP_FINISHED
    jobs, _ = DBTaskResult.objects.successful().filter(finished_at__lt=before).delete()
    slots, _ = PeriodicRun.objects.filter(started_at__lt=before).delete()
    return {"jobs": jobs, "slots": slots}
