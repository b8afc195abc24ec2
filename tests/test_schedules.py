"""Scheduled go-live and expiry: set by an editor who may publish, carried out
by the worker at its time through the workflow's own checks, cancelled by an
edit in between (and the one who set it is told)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.background import clock, jobs
from articles.models import Notification, PeriodicRun, ScheduledChange
from articles.review import schedules, workflow
from articles.review.steps import TransitionNotAllowed
from tests.factories import ArticleFactory, make_editor, make_published, make_reviewer
from tests.forms import form_data
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db
State = ScheduledChange.State
SOON = datetime.timedelta(minutes=30)


@pytest.fixture
def approved(editor, reviewer):
    article = ArticleFactory(title="When should a fever be checked by a doctor?")
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    return article


def make_due(change):
    ScheduledChange.objects.filter(pk=change.pk).update(
        run_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_scheduled_publication_waits_for_its_time_then_goes_live(approved, editor):
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    assert not [s for s in clock.tick() if s.startswith("schedule")]  # not due
    assert jobs.carry_out_schedule.call(change.pk).startswith("not due")
    approved.refresh_from_db()
    assert approved.live_version is None
    make_due(change)
    assert f"schedule {change.pk}" in clock.tick()
    assert f"schedule {change.pk}" not in clock.tick()  # started once
    run_queued_tasks()
    approved.refresh_from_db()
    change.refresh_from_db()
    assert approved.live_version is not None and approved.status == "published"
    assert change.state == State.DONE and change.outcome == "Published version 1."
    event = approved.events.get(action="publish")
    assert event.user == editor and "Published as scheduled for" in event.comment


def test_an_edit_before_the_time_cancels_the_publication_and_says_so(
    approved, editor, client
):
    scheduler = make_editor(username="scheduler")
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=scheduler
    )
    client.force_login(editor)
    change_url = reverse("admin:articles_article_change", args=[approved.pk])
    data = form_data(
        client, change_url, "article_form", short_answer="Changed after approval."
    )
    response = client.post(change_url, data, follow=True)
    text = response.content.decode()
    assert "is cancelled: " in text and "edited the text after it was scheduled" in text
    change.refresh_from_db()
    assert change.state == State.CANCELLED
    make_due(change)
    run_queued_tasks()
    approved.refresh_from_db()
    assert approved.live_version is None
    told = Notification.objects.get(kind="schedule", recipient=scheduler)
    assert "edited the text after it was scheduled" in told.body


def test_the_worker_refuses_what_a_click_would_refuse(approved, editor):
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    editor.groups.clear()  # no longer allowed to publish
    make_due(change)
    jobs.carry_out_schedule.call(change.pk)
    change.refresh_from_db()
    approved.refresh_from_db()
    assert change.state == State.FAILED
    assert "You do not have permission to publish articles." in change.outcome
    assert approved.live_version is None


def test_a_publication_needs_the_text_that_was_scheduled(approved, editor):
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    ScheduledChange.objects.filter(pk=change.pk).update(approved_content_hash="0" * 64)
    make_due(change)
    jobs.carry_out_schedule.call(change.pk)
    change.refresh_from_db()
    assert change.state == State.FAILED
    assert "not the text that was scheduled" in change.outcome


def test_publishing_by_hand_first_cancels_the_schedule(approved, editor):
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    workflow.publish(approved, user=editor)
    change.refresh_from_db()
    assert change.state == State.CANCELLED
    assert "published the article before the scheduled time" in change.outcome


def test_a_scheduled_withdrawal_keeps_its_reason_in_the_log(article, editor):
    change = schedules.schedule(
        article,
        action="withdraw",
        run_at=timezone.now() + SOON,
        user=editor,
        reason="Guidance expires at the end of the season.",
    )
    make_due(change)
    jobs.carry_out_schedule.call(change.pk)
    article.refresh_from_db()
    assert article.live_version is None
    event = article.events.get(action="unpublish")
    assert "Guidance expires at the end of the season." in event.comment


@pytest.mark.parametrize(
    "action, when, reason, message",
    [
        ("publish", -SOON, "", "has passed"),
        ("publish", datetime.timedelta(days=400), "", "at most a year ahead"),
        ("withdraw", SOON, "  ", "a reason is required"),
        ("nonsense", SOON, "", "Unknown scheduled change"),
    ],
)
def test_bad_schedules_are_refused_with_a_reason(
    approved, article, editor, action, when, reason, message
):
    target = article if action == "withdraw" else approved
    with pytest.raises(TransitionNotAllowed, match=message):
        schedules.schedule(
            target,
            action=action,
            run_at=timezone.now() + when,
            user=editor,
            reason=reason,
        )
    assert not ScheduledChange.objects.exists()


def test_only_approved_text_and_only_publishers_can_be_scheduled(
    draft, approved, editor
):
    with pytest.raises(TransitionNotAllowed, match="Only approved text"):
        schedules.schedule(
            draft, action="publish", run_at=timezone.now() + SOON, user=editor
        )
    with pytest.raises(Exception, match="permission to schedule"):
        schedules.schedule(
            approved,
            action="publish",
            run_at=timezone.now() + SOON,
            user=make_reviewer(username="not-a-publisher"),
        )
    schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    with pytest.raises(TransitionNotAllowed, match="already scheduled"):
        schedules.schedule(
            approved, action="publish", run_at=timezone.now() + SOON * 2, user=editor
        )


def test_the_admin_form_schedules_in_the_site_time_zone(
    approved, editor, client, settings
):
    settings.TIME_ZONE = "Europe/London"
    client.force_login(editor)
    url = reverse("admin:articles_article_schedule", args=[approved.pk])
    local = timezone.localtime(timezone.now() + SOON, timezone.get_current_timezone())
    response = client.post(
        url,
        {"action": "publish", "run_at": local.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    text = response.content.decode()
    assert (
        "Scheduled: “When should a fever be checked by a doctor?” will be published"
        in text
    )
    assert "Europe/London (UTC+" in text
    change = ScheduledChange.objects.get()
    assert timezone.localtime(change.run_at, timezone.get_current_timezone()).strftime(
        "%H:%M"
    ) == local.strftime("%H:%M")


@pytest.mark.parametrize("run_at", ["", "tomorrow", "2026-13-45T25:61"])
def test_a_bad_time_in_the_admin_form_changes_nothing(approved, editor, client, run_at):
    client.force_login(editor)
    url = reverse("admin:articles_article_schedule", args=[approved.pk])
    response = client.post(url, {"action": "publish", "run_at": run_at}, follow=True)
    assert "Not scheduled: Give the date and time" in response.content.decode()
    assert not ScheduledChange.objects.exists()


def test_the_dashboard_lists_what_is_scheduled_and_cancels_in_one_click(
    approved, editor, client
):
    other = make_editor(username="other-editor")
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=other
    )
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Scheduled to publish or withdraw" in page
    cancel = reverse("admin:articles_article_cancel_schedule", args=[change.pk])
    assert cancel in page
    response = client.post(cancel, {"from": "dashboard"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert "Cancelled: publish" in response.content.decode()
    change.refresh_from_db()
    assert change.state == State.CANCELLED and change.outcome.startswith("Cancelled by")
    run_queued_tasks()
    assert [m.to for m in mail.outbox if "Not carried out" in m.subject] == [
        [other.email]
    ]


def test_cancelling_twice_or_elsewhere_is_refused_cleanly(approved, editor, client):
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    client.force_login(editor)
    cancel = reverse("admin:articles_article_cancel_schedule", args=[change.pk])
    client.post(cancel)
    response = client.post(cancel, {"from": "https://evil.example/"}, follow=True)
    assert "Not cancelled: That scheduled change is no longer waiting" in (
        response.content.decode()
    )
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[approved.pk]
    )
    assert client.get(cancel).status_code == 405
    reviewer_client = client.__class__()
    reviewer_client.force_login(make_reviewer(username="r2"))
    assert "Not cancelled" in reviewer_client.post(cancel, follow=True).content.decode()


def test_the_digest_goes_out_once_a_day_from_the_clock(settings, reviewer, editor):
    settings.DIGEST_HOUR = 0
    article = make_published(editor=editor, reviewer=reviewer)
    today = timezone.localdate()
    article.live_version.__class__.objects.filter(pk=article.live_version_id).update(
        last_reviewed_on=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=3),
    )
    started = clock.tick()
    assert f"digest {timezone.localdate().isoformat()}" in started
    assert not [s for s in clock.tick() if s.startswith("digest")]
    run_queued_tasks()
    digests = [m for m in mail.outbox if m.subject.startswith("Periodic reviews:")]
    assert [m.to for m in digests] == [[reviewer.email]]
    assert "1 overdue" in digests[0].subject
    assert article.live_version.title in digests[0].body
    assert "/reconfirm/" in digests[0].body
    PeriodicRun.objects.filter(job="digest").delete()  # as if a second worker tried
    clock.tick()
    run_queued_tasks()
    assert len([m for m in mail.outbox if m.subject.startswith("Periodic")]) == 1


def test_the_sweep_carries_out_a_change_whose_job_was_lost(approved, editor):
    change = schedules.schedule(
        approved, action="publish", run_at=timezone.now() + SOON, user=editor
    )
    ScheduledChange.objects.filter(pk=change.pk).update(
        run_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    PeriodicRun.objects.create(job="schedule", slot=str(change.pk))  # started once
    assert jobs.sweep.call()["late schedules"] == 1
    run_queued_tasks()
    change.refresh_from_db()
    approved.refresh_from_db()
    assert change.state == State.DONE and approved.live_version is not None


def test_prune_forgets_old_finished_jobs_and_slots_but_keeps_failures(editor):
    from django_tasks_db.models import DBTaskResult

    old = timezone.now() - jobs.KEEP_FINISHED - datetime.timedelta(days=1)
    jobs.sweep.enqueue()
    jobs.sweep.enqueue()
    done, failed = DBTaskResult.objects.all()
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", finished_at=old)
    DBTaskResult.objects.filter(pk=failed.pk).update(status="FAILED", finished_at=old)
    PeriodicRun.objects.create(job="sweep", slot="1", started_at=old)
    PeriodicRun.objects.create(job="sweep", slot="2")
    assert jobs.prune.call() == {"jobs": 1, "slots": 1}
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [failed.pk]
    assert list(PeriodicRun.objects.values_list("slot", flat=True)) == ["2"]
