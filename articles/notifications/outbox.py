"""Write notifications, and send them from the worker: once each, retried."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from articles.models import Notification, NotificationSettings

logger = logging.getLogger(__name__)

Status = Notification.Status
# A row still "being sent" this long after its attempt began belongs to a
# worker that stopped mid-send: shown as failed, never sent again by itself
# (it may have arrived; a person decides whether to send it again).
STUCK_AFTER = timedelta(minutes=15)


def wanted_by(users, kind: str) -> list:
    """The active accounts with an address that did not turn `kind` off."""
    users = [user for user in users if user.is_active and user.email]
    muted = set(
        NotificationSettings.objects.filter(
            user__in=users, **{kind: False}
        ).values_list("user_id", flat=True)
    )
    return [user for user in users if user.pk not in muted]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def queue(kind: str, users, *, key: str, context: dict, article=None, event=None):
    """Write one message of `kind` to each of `users` who wants it, and give
    each to the worker. Call it inside the transaction of what happened: the
    rows and the worker's jobs commit with it, or not at all, and the worker
    cannot see them before the commit. `key` names the event: a second call
    with the same key writes nothing (one event, one message per person)."""
    written = []
    for user in wanted_by(users, kind):
        subject, body = compose(kind, user, context)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    key=f"{key}:{user.pk}",
                    kind=kind,
                    recipient=user,
                    to_address=user.email,
                    article=article,
                    event=event,
                    subject=subject,
                    body=body,
                )
        except IntegrityError:
            continue  # already written for this event and person
        deliver.enqueue(notification.pk)
        written.append(notification)
    return written


def compose(kind: str, user, context: dict) -> tuple[str, str]:
    text = render_to_string(
        f"notifications/{kind}.txt",
        {
            **context,
            "recipient": user,
            "name": user.get_full_name() or user.get_username(),
            "site_name": settings.SITE_NAME,
            "settings_url": absolute(reverse("admin:notification_settings")),
        },
    ).strip()
    subject, _, body = text.partition("\n")
    return subject.removeprefix("Subject: ").strip()[:200], body.strip() + "\n"


def _claim(notification_id: int) -> bool:
    """PENDING -> SENDING in one conditional UPDATE: of two workers given the
    same row, exactly one gets it."""
    return bool(
        Notification.objects.filter(pk=notification_id, status=Status.PENDING).update(
            status=Status.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=timezone.now(),
        )
    )


@task()
def deliver(notification_id: int) -> str:
    """Send one notification. A failure is written on the row and tried again
    after each of EMAIL_RETRY_SECONDS; after the last, the row shows as failed."""
    if not _claim(notification_id):
        return "already sent, being sent or failed"
    notification = Notification.objects.get(pk=notification_id)
    try:
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.to_address],
        ).send()
    except Exception as error:  # any failure of the mail server or backend
        return _failed(notification, f"{type(error).__name__}: {error}")
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _failed(notification: Notification, error: str) -> str:
    delays = settings.EMAIL_RETRY_SECONDS
    logger.warning(
        "Notification %s (attempt %s) failed: %s",
        notification.pk,
        notification.attempts,
        error,
    )
    if notification.attempts <= len(delays):
        when = timezone.now() + timedelta(seconds=delays[notification.attempts - 1])
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.PENDING, next_attempt_at=when, last_error=error
        )
        deliver.using(run_after=when).enqueue(notification.pk)
        return f"failed, tried again at {when:%H:%M:%S}"
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.FAILED, last_error=error
    )
    return "failed for good"


def send_again(notifications) -> int:
    """An administrator's "send again" for failed rows."""
    count = 0
    for notification in notifications.filter(status=Status.FAILED):
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        deliver.enqueue(notification.pk)
        count += 1
    return count


def sweep() -> dict:
    """The periodic check: hand rows whose job was lost (a restored backup, a
    job pruned by hand) back to the worker, and mark rows a stopped worker
    left half-sent as failed."""
    now = timezone.now()
    lost = list(
        Notification.objects.filter(
            status=Status.PENDING, next_attempt_at__lt=now - timedelta(minutes=10)
        ).values_list("pk", flat=True)
    )
    for notification_id in lost:
        deliver.enqueue(notification_id)
    stuck = Notification.objects.filter(
        status=Status.SENDING, next_attempt_at__lt=now - STUCK_AFTER
    ).update(
        status=Status.FAILED,
        last_error="The worker stopped while sending this message; it may or may "
        "not have arrived. Send it again if it did not.",
    )
    return {"requeued": len(lost), "stuck": stuck}
