"""Emails about the workflow: who gets which, written with the event, sent once
by the worker, retried, and visible to administrators when they fail."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Notification, NotificationSettings
from articles.notifications import outbox
from articles.review import workflow
from articles.review.steps import TransitionNotAllowed
from tests.factories import ArticleFactory, UserFactory, make_editor, make_reviewer
from tests.tasks import queued, run_queued_tasks, sent_to

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def team(db):
    editor = make_editor(username="ed", first_name="Edna", last_name="Editor")
    reviewers = [make_reviewer(username=f"rev{n}") for n in range(2)]
    return editor, reviewers


def written(editor, **fields):
    article = ArticleFactory(title="Can children take ibuprofen for a fever?", **fields)
    workflow.record_edit(article, user=editor)
    return article


def edit(article, user):
    article.refresh_from_db()
    article.short_answer += f" Edited by {user.username}."
    article.save()
    workflow.record_edit(article, user=user)


def test_a_submission_emails_each_reviewer_once_and_only_when_the_worker_runs(team):
    editor, reviewers = team
    article = written(editor)
    workflow.submit_for_review(article, user=editor, comment="Dosing table updated.")
    assert mail.outbox == []  # written with the event; sent by the worker
    assert queued("deliver") == 2
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in reviewers)
    message = sent_to(reviewers[0].email)[0]
    assert message.subject == "Please review: Can children take ibuprofen for a fever?"
    assert "Edna Editor submitted" in message.body
    assert "Dosing table updated." in message.body
    review_url = "http://127.0.0.1:8000" + reverse(
        "admin:articles_article_review", args=[article.pk]
    )
    assert review_url in message.body
    assert "/admin/articles/notificationsettings/" in message.body
    run_queued_tasks()
    assert len(mail.outbox) == 2  # nothing is sent twice
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_submission_addressed_to_one_reviewer_emails_only_them(team):
    editor, (chosen, other) = team
    article = written(editor)
    workflow.submit_for_review(article, user=editor, reviewer=chosen)
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[chosen.email]]
    assert "asked you to review it" in mail.outbox[0].body
    assert article.events.get(action="submit").addressed_to == chosen


def test_a_submission_cannot_be_addressed_to_its_writer_or_an_editor(team):
    editor, reviewers = team
    writer_reviewer = reviewers[0]
    article = written(editor)
    edit(article, writer_reviewer)
    with pytest.raises(TransitionNotAllowed, match="wrote or edited this text"):
        workflow.submit_for_review(article, user=editor, reviewer=writer_reviewer)
    with pytest.raises(TransitionNotAllowed, match="not an active medical reviewer"):
        workflow.submit_for_review(article, user=editor, reviewer=make_editor())
    article.refresh_from_db()
    assert article.status == "draft"
    assert not Notification.objects.exists()


def test_reviewers_who_wrote_the_text_are_not_asked_to_review_it(team):
    editor, (writer_reviewer, other) = team
    article = written(editor)
    edit(article, writer_reviewer)
    workflow.submit_for_review(article, user=editor)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [other.pk]


def test_changes_requested_and_approval_go_to_the_writers_with_the_comment(team):
    editor, (reviewer, _) = team
    co_writer = make_editor(username="co")
    article = written(editor)
    edit(article, co_writer)
    workflow.submit_for_review(article, user=editor)
    run_queued_tasks()
    mail.outbox.clear()
    workflow.request_changes(article, user=reviewer, comment="Add the maximum dose.")
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [editor.email, co_writer.email]
    )
    assert all("Add the maximum dose." in m.body for m in mail.outbox)
    assert mail.outbox[0].subject.startswith("Changes requested: ")
    mail.outbox.clear()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    run_queued_tasks()
    approved = [m for m in mail.outbox if m.subject.startswith("Approved: ")]
    assert sorted(m.to[0] for m in approved) == sorted([editor.email, co_writer.email])


def test_publication_and_withdrawal_go_to_writers_and_the_approving_reviewer(team):
    editor, (reviewer, _) = team
    publisher = make_editor(username="pub")
    article = written(editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    run_queued_tasks()
    mail.outbox.clear()
    workflow.publish(article, user=publisher)
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [editor.email, reviewer.email]
    )
    article.refresh_from_db()
    public = "http://127.0.0.1:8000" + article.live_version.get_absolute_url()
    assert all(public in m.body for m in mail.outbox)
    mail.outbox.clear()
    workflow.unpublish(article, user=publisher, comment="The dose advice changed.")
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [editor.email, reviewer.email]
    )
    assert all("The dose advice changed." in m.body for m in mail.outbox)
    assert mail.outbox[0].subject.startswith("Withdrawn: ")


def test_nobody_is_emailed_about_their_own_action(team):
    editor, (reviewer, _) = team
    article = written(editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    assert not Notification.objects.filter(kind=Kind.PUBLISHED, recipient=editor)
    assert Notification.objects.filter(kind=Kind.PUBLISHED, recipient=reviewer)


def test_a_kind_turned_off_is_not_written(team):
    editor, (muted, listening) = team
    NotificationSettings.objects.create(user=muted, submitted=False)
    workflow.submit_for_review(written(editor), user=editor)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [
        listening.pk
    ]


def test_inactive_accounts_and_accounts_without_an_address_get_nothing(team):
    editor, (reviewer, other) = team
    reviewer.is_active = False
    reviewer.save()
    other.email = ""
    other.save()
    workflow.submit_for_review(written(editor), user=editor)
    assert not Notification.objects.exists()


def test_a_refused_step_writes_no_email_and_no_job(team):
    editor, _ = team
    article = written(editor)
    with pytest.raises(TransitionNotAllowed):
        workflow.submit_for_review(article, user=editor, comment="bad \x00 byte")
    assert not Notification.objects.exists()
    assert queued("deliver") == 0


def test_one_event_makes_one_message_per_person_however_often_queued(team):
    editor, (reviewer, _) = team
    for _ in range(2):
        outbox.queue(Kind.DIGEST, [reviewer], key="test:1", context=digest_context())
    assert Notification.objects.count() == 1


def digest_context():
    return {
        "today": datetime.date(2026, 12, 3),
        "overdue": [],
        "due_soon": [],
        "dashboard_url": "x",
    }


def test_a_message_is_sent_once_even_if_its_job_runs_twice(team):
    editor, (reviewer, _) = team
    (notification,) = outbox.queue(
        Kind.DIGEST, [reviewer], key="test:2", context=digest_context()
    )
    assert outbox.deliver.call(notification.pk) == "sent"
    assert outbox.deliver.call(notification.pk) == "already sent, being sent or failed"
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_then_shown_as_failed(team, settings, client):
    settings.EMAIL_BACKEND = "tests.tasks.BrokenMailServer"
    settings.EMAIL_RETRY_SECONDS = [0, 0]
    editor, (reviewer, _) = team
    (notification,) = outbox.queue(
        Kind.DIGEST, [reviewer], key="test:3", context=digest_context()
    )
    run_queued_tasks()
    notification.refresh_from_db()
    assert notification.status == "failed"
    assert notification.attempts == 3
    assert "Connection refused" in notification.last_error
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Emails that could not be sent" in page and "Connection refused" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        reverse("admin:articles_notification_changelist"),
        {"action": "send_again", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert "1 failed email(s) handed to the worker again." in response.content.decode()
    run_queued_tasks()
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert len(sent_to(reviewer.email)) == 1


def test_editors_do_not_see_the_outbox(team, client):
    editor, _ = team
    client.force_login(editor)
    assert (
        client.get(reverse("admin:articles_notification_changelist")).status_code == 403
    )
    assert (
        "Emails that could not be sent"
        not in client.get(reverse("admin:index")).content.decode()
    )


def test_a_message_left_half_sent_by_a_stopped_worker_is_shown_failed(team):
    editor, (reviewer, _) = team
    (notification,) = outbox.queue(
        Kind.DIGEST, [reviewer], key="test:4", context=digest_context()
    )
    Notification.objects.filter(pk=notification.pk).update(
        status="sending", next_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert outbox.sweep()["stuck"] == 1
    notification.refresh_from_db()
    assert notification.status == "failed"
    assert "may or may not have arrived" in notification.last_error


def test_each_user_chooses_their_own_emails_in_the_admin(team, client):
    editor, (reviewer, other) = team
    client.force_login(reviewer)
    page = client.get(reverse("admin:notification_settings"), follow=True)
    assert page.status_code == 200
    own = NotificationSettings.objects.get(user=reviewer)
    assert reviewer.email in page.content.decode()
    form = {kind: "on" for kind in NotificationSettings.KINDS if kind != "submitted"}
    response = client.post(
        reverse("admin:articles_notificationsettings_change", args=[own.pk]),
        form,
        follow=True,
    )
    assert "Your email choices are saved." in response.content.decode()
    own.refresh_from_db()
    assert own.submitted is False and own.digest is True
    theirs = NotificationSettings.objects.create(user=other)
    url = reverse("admin:articles_notificationsettings_change", args=[theirs.pk])
    assert client.post(url, {}).status_code in (302, 403)
    theirs.refresh_from_db()
    assert theirs.submitted is True


def test_the_sweep_hands_a_message_whose_job_was_lost_back_to_the_worker(team):
    from django_tasks_db.models import DBTaskResult

    editor, (reviewer, _) = team
    (notification,) = outbox.queue(
        Kind.DIGEST, [reviewer], key="test:5", context=digest_context()
    )
    DBTaskResult.objects.all().delete()  # the job is lost
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    assert outbox.sweep() == {"requeued": 1, "stuck": 0}
    run_queued_tasks()
    assert len(sent_to(reviewer.email)) == 1
