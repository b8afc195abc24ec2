"""Management commands: overdue_reviews and sync_roles' neighbours."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from articles.models import ArticleVersion
from articles.review import workflow
from tests.factories import UserFactory, make_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_articles(editor, reviewer):
    """One overdue, one due later, one withdrawn (and past due): as of `today`."""
    overdue = make_published(editor=editor, reviewer=reviewer, title="Is this overdue?")
    later = make_published(editor=editor, reviewer=reviewer, title="Is this due later?")
    withdrawn = make_published(
        editor=editor, reviewer=reviewer, title="Is this withdrawn?"
    )
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    # Test setup only: QuerySet.update bypasses the versions' immutability guard.
    ArticleVersion.objects.filter(pk=overdue.live_version_id).update(
        last_reviewed_on=datetime.date(2020, 1, 1),
        next_review_due=datetime.date(2021, 1, 1),
    )
    ArticleVersion.objects.filter(pk=later.live_version_id).update(
        last_reviewed_on=datetime.date(2020, 1, 1),
        next_review_due=datetime.date(2030, 1, 1),
    )
    ArticleVersion.objects.filter(article=withdrawn).update(
        last_reviewed_on=datetime.date(2020, 1, 1),
        next_review_due=datetime.date(2021, 1, 1),
    )
    return overdue, later, withdrawn


def test_overdue_reviews_lists_exactly_the_live_articles_past_their_date(
    three_articles, capsys
):
    overdue, _, _ = three_articles
    call_command("overdue_reviews", "--date", "2025-06-01")
    output = capsys.readouterr().out
    assert "1 article(s) overdue for periodic review" in output
    assert "2021-01-01  Is this overdue?" in output
    assert overdue.live_version.get_absolute_url() in output
    assert "Is this due later?" not in output
    assert "Is this withdrawn?" not in output


def test_overdue_reviews_says_so_when_nothing_is_overdue(three_articles, capsys):
    call_command("overdue_reviews", "--date", "2020-06-01")
    assert (
        capsys.readouterr().out.strip()
        == "No articles are overdue for periodic review."
    )


def test_overdue_reviews_emails_every_active_reviewer(three_articles, reviewer, capsys):
    inactive = UserFactory(
        email="gone@example.org", is_active=False, groups=["Medical reviewers"]
    )
    UserFactory(email="editor-only@example.org", groups=["Editors"])
    call_command("overdue_reviews", "--date", "2025-06-01", "--email")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email]
    assert inactive.email not in message.to
    assert message.subject == "1 article(s) overdue for medical review"
    assert "Is this overdue?" in message.body
    assert "Emailed 1 reviewer(s)." in capsys.readouterr().out


def test_overdue_reviews_refuses_a_malformed_date_and_sends_nothing(three_articles):
    with pytest.raises(CommandError, match="--date must be a day as YYYY-MM-DD"):
        call_command("overdue_reviews", "--date", "2025-13-01", "--email")
    assert mail.outbox == []


def test_overdue_reviews_explains_when_no_reviewer_has_an_email(
    three_articles, reviewer
):
    reviewer.email = ""
    reviewer.save()
    with pytest.raises(CommandError, match="No active medical reviewer has an email"):
        call_command("overdue_reviews", "--date", "2025-06-01", "--email")
    assert mail.outbox == []
