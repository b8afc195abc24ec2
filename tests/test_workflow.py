"""Every transition: one success test, one test per guard (see articles/review/workflow.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from articles.models import Article, ArticleVersion, DraftRevision, ReviewEvent
from articles.review import workflow
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    ReferenceFactory,
    UserFactory,
    make_editor,
    make_published,
    make_reviewer,
    update_summary,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def edit(article, user, **fields):
    """Save new text as `user` would through the admin."""
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    return workflow.record_edit(article, user=user)


def in_review(editor, **fields):
    article = ArticleFactory(**fields)
    workflow.record_edit(article, user=editor)
    return workflow.submit_for_review(article, user=editor)


def approved(editor, reviewer, **fields):
    return workflow.approve_medical_review(in_review(editor, **fields), user=reviewer)


def status_of(article):
    return Article.objects.get(pk=article.pk).status


# record_edit


def test_saving_changed_text_keeps_a_draft_revision_with_its_author(editor):
    article = ArticleFactory(title="Is version one here?")
    workflow.record_edit(article, user=editor)
    edit(article, editor, title="Is version two here?")
    revisions = list(DraftRevision.objects.filter(article=article).order_by("number"))
    assert [r.content["title"] for r in revisions] == [
        "Is version one here?",
        "Is version two here?",
    ]
    assert {r.saved_by for r in revisions} == {editor}


def test_saving_unchanged_text_adds_no_revision_but_bumps_the_lock(editor, draft):
    before = draft.lock_version
    workflow.record_edit(draft, user=editor)
    draft.refresh_from_db()
    assert draft.revisions.count() == 1
    assert draft.lock_version == before + 1


def test_user_without_change_permission_cannot_record_an_edit(draft):
    with pytest.raises(PermissionDenied):
        workflow.record_edit(draft, user=UserFactory())


# submit_for_review


def test_editor_submits_a_draft_for_review(editor, draft):
    workflow.submit_for_review(draft, user=editor, comment="Ready")
    assert status_of(draft) == Status.IN_REVIEW
    event = ReviewEvent.objects.get(article=draft)
    assert (
        event.action,
        event.from_status,
        event.to_status,
        event.user,
        event.comment,
    ) == (
        ReviewEvent.Action.SUBMIT,
        Status.DRAFT,
        Status.IN_REVIEW,
        editor,
        "Ready",
    )


def test_article_in_review_cannot_be_submitted_again(editor, draft):
    workflow.submit_for_review(draft, user=editor)
    with pytest.raises(
        workflow.TransitionNotAllowed, match="Only drafts can be submitted"
    ):
        workflow.submit_for_review(draft, user=editor)


def test_user_without_change_permission_cannot_submit(draft):
    with pytest.raises(PermissionDenied):
        workflow.submit_for_review(draft, user=UserFactory())
    assert status_of(draft) == Status.DRAFT


def test_reverting_a_draft_to_the_live_text_makes_it_published_again(editor, article):
    title = article.title
    edit(article, editor, title="Is this a temporary title?")
    assert status_of(article) == Status.DRAFT
    edit(article, editor, title=title)
    assert status_of(article) == Status.PUBLISHED
    assert (
        article.events.first().comment
        == "The draft matches the published version again."
    )


def test_a_draft_identical_to_the_live_version_cannot_be_submitted(editor, article):
    # Test setup only: record_edit would have returned it to published.
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    with pytest.raises(
        workflow.TransitionNotAllowed, match="no changes from its published"
    ):
        workflow.submit_for_review(article, user=editor)


# approve_medical_review


def test_reviewer_approves_text_in_review_and_becomes_the_byline(editor, reviewer):
    article = in_review(editor)
    workflow.approve_medical_review(article, user=reviewer, comment="Accurate")
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.approved_by == reviewer
    assert article.medical_reviewer == reviewer.person
    assert article.approved_content_hash == article.approval_hash()
    event = article.events.first()
    assert (event.action, event.user, event.comment) == (
        ReviewEvent.Action.APPROVE,
        reviewer,
        "Accurate",
    )


def test_editor_without_review_permission_cannot_approve(editor):
    article = in_review(editor)
    with pytest.raises(PermissionDenied):
        workflow.approve_medical_review(article, user=make_editor())
    assert status_of(article) == Status.IN_REVIEW


def test_reviewer_cannot_approve_text_they_edited(editor, reviewer):
    article = in_review(editor)
    edit(article, reviewer, short_answer="Changed by the reviewer.")
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)
    assert status_of(article) == Status.IN_REVIEW


def test_reviewer_who_edited_earlier_cannot_approve_after_someone_else_saved(
    editor, reviewer
):
    article = ArticleFactory()
    workflow.record_edit(article, user=editor)
    edit(article, reviewer, body="## Reviewer wrote this part\n")
    edit(article, editor, title="Is the editor the last to save?")
    workflow.submit_for_review(article, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)


def test_superuser_who_last_edited_cannot_approve(editor):
    boss = UserFactory(is_superuser=True)
    PersonFactory(user=boss)
    article = in_review(editor)
    edit(article, boss, body="## Superuser edit\n")
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=boss)
    assert status_of(article) == Status.IN_REVIEW


def test_reviewer_named_as_author_cannot_approve(editor, reviewer):
    article = in_review(editor, author=reviewer.person)
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)


def test_reviewer_without_a_public_byline_cannot_approve(editor):
    nameless = make_reviewer()
    nameless.person.delete()
    nameless.refresh_from_db()
    with pytest.raises(workflow.TransitionNotAllowed, match="no reviewer profile"):
        workflow.approve_medical_review(in_review(editor), user=nameless)


def test_only_articles_in_review_can_be_approved(reviewer, draft):
    with pytest.raises(workflow.TransitionNotAllowed, match="Only articles in review"):
        workflow.approve_medical_review(draft, user=reviewer)


def test_approval_is_refused_when_the_text_changed_while_reviewing(editor, reviewer):
    article = in_review(editor)
    seen = article.approval_hash()
    edit(article, editor, body="## Edited during the review\n")
    with pytest.raises(workflow.TransitionNotAllowed, match="changed while you were"):
        workflow.approve_medical_review(article, user=reviewer, seen_content_hash=seen)
    assert status_of(article) == Status.IN_REVIEW


# Approval is tied to the exact text.


@pytest.mark.parametrize(
    "change",
    [
        lambda a: setattr(a, "title", "Is this a new question?") or a.save(),
        lambda a: setattr(a, "short_answer", "No, never.") or a.save(),
        lambda a: setattr(a, "body", "## Take 20 tablets\n") or a.save(),
        lambda a: FAQFactory(article=a, position=9),
        lambda a: a.faqs.update(answer="Changed answer."),
        lambda a: a.faqs.all().delete(),
        lambda a: KeyTakeawayFactory(article=a, position=9, text="New takeaway."),
        lambda a: a.key_takeaways.update(text="Do not take it."),
        lambda a: ReferenceFactory(article=a, position=9),
        lambda a: a.references.update(url="https://example.org/other"),
    ],
    ids=[
        "title",
        "short answer",
        "body",
        "faq added",
        "faq answer",
        "faq removed",
        "takeaway added",
        "takeaway changed",
        "reference added",
        "reference url",
    ],
)
def test_any_edit_voids_the_approval(editor, reviewer, change):
    article = ArticleFactory()
    FAQFactory(article=article, position=1)
    KeyTakeawayFactory(article=article, position=1)
    ReferenceFactory(article=article, position=1)
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)

    change(Article.objects.get(pk=article.pk))
    workflow.record_edit(article, user=editor)

    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert (article.approved_by, article.approved_content_hash) == (None, "")
    with pytest.raises(workflow.TransitionNotAllowed, match="Only approved"):
        workflow.publish(article, user=editor)
    assert article.live_version is None


def test_text_changed_behind_the_workflows_back_cannot_be_published(editor, reviewer):
    article = approved(editor, reviewer)
    Article.objects.filter(pk=article.pk).update(body="## Slipped in without review\n")
    with pytest.raises(
        workflow.TransitionNotAllowed, match="changed after it was approved"
    ):
        workflow.publish(article, user=editor)
    assert Article.objects.get(pk=article.pk).live_version is None


# request_changes


def test_reviewer_requests_changes_with_a_comment(editor, reviewer):
    article = in_review(editor)
    workflow.request_changes(article, user=reviewer, comment="Cite the guideline.")
    assert status_of(article) == Status.CHANGES_REQUESTED
    assert article.events.first().comment == "Cite the guideline."
    workflow.submit_for_review(article, user=editor)
    assert status_of(article) == Status.IN_REVIEW


def test_requesting_changes_needs_a_comment(editor, reviewer):
    article = in_review(editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="comment is required"):
        workflow.request_changes(article, user=reviewer, comment="  ")
    assert status_of(article) == Status.IN_REVIEW


def test_editor_cannot_request_changes(editor):
    with pytest.raises(PermissionDenied):
        workflow.request_changes(in_review(editor), user=editor, comment="No")


def test_only_articles_in_review_can_be_sent_back(reviewer, draft):
    with pytest.raises(workflow.TransitionNotAllowed, match="Only articles in review"):
        workflow.request_changes(draft, user=reviewer, comment="x")


# publish


def test_publishing_stores_an_immutable_snapshot_and_makes_it_live(editor, reviewer):
    article = approved(editor, reviewer, title="Is this snapshot stored?")
    FAQFactory(article=article, position=1, question="Is it?", answer="It **is**.")
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor, comment="Go")
    article.refresh_from_db()
    version = article.live_version
    assert article.status == Status.PUBLISHED
    assert (version.number, version.title, version.kind) == (
        1,
        "Is this snapshot stored?",
        ArticleVersion.Kind.PUBLICATION,
    )
    assert version.faqs == [
        {
            "question": "Is it?",
            "answer": "It **is**.",
            "answer_html": "<p>It <strong>is</strong>.</p>",
        }
    ]
    assert (version.reviewer_name, version.reviewer_credentials) == (
        reviewer.person.name,
        "MBBS, MRCGP",
    )
    assert version.approved_by == reviewer and version.published_by == editor
    assert version.contributor_ids == [editor.pk]
    assert version.next_review_due == version.last_reviewed_on.replace(
        year=version.last_reviewed_on.year + 1
    )
    assert article.events.first().action == ReviewEvent.Action.PUBLISH


def test_only_approved_articles_can_be_published(editor):
    article = in_review(editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="Only approved"):
        workflow.publish(article, user=editor)


def test_user_without_publish_permission_cannot_publish(editor, reviewer):
    article = approved(editor, reviewer)
    with pytest.raises(PermissionDenied):
        workflow.publish(article, user=reviewer)
    assert status_of(article) == Status.APPROVED


def test_editing_a_published_article_starts_a_draft_and_keeps_the_live_version(
    editor, reviewer, article
):
    live = article.live_version
    edit(article, editor, short_answer="A new answer.")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.live_version == live
    assert article.events.first().action == ReviewEvent.Action.EDIT


def test_a_new_address_alone_goes_through_review_and_then_goes_live(
    editor, reviewer, article
):
    edit(article, editor, slug="a-clearer-address")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.live_version.slug != "a-clearer-address"
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=make_reviewer())
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    assert (article.live_version.number, article.live_version.slug) == (
        2,
        "a-clearer-address",
    )


def test_republishing_adds_a_version_and_keeps_every_earlier_one(
    editor, reviewer, article
):
    first = article.live_version
    edit(article, editor, short_answer="A newer answer.")
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    assert article.live_version.number == 2
    assert article.live_version.short_answer == "A newer answer."
    assert article.live_version.first_published_at == first.first_published_at
    assert ArticleVersion.objects.get(pk=first.pk).short_answer == first.short_answer
    assert list(article.versions.values_list("number", flat=True)) == [2, 1]


def test_an_address_another_live_article_still_uses_cannot_be_approved(
    editor, reviewer, article
):
    old_slug = article.live_version.slug
    edit(article, editor, slug="renamed-draft")  # its live version keeps old_slug
    other = ArticleFactory(slug=old_slug)  # factories skip form validation
    workflow.record_edit(other, user=editor)
    workflow.submit_for_review(other, user=editor)
    with pytest.raises(
        workflow.TransitionNotAllowed,
        match="Another published article uses this address",
    ):
        workflow.approve_medical_review(other, user=make_reviewer())
    assert status_of(other) == Status.IN_REVIEW


# unpublish


def test_withdrawing_takes_the_article_off_the_site_and_keeps_its_versions(
    editor, article
):
    version = article.live_version
    workflow.unpublish(article, user=editor, comment="Safety concern")
    article.refresh_from_db()
    assert article.live_version is None and article.withdrawn_at is not None
    assert article.status == Status.DRAFT
    assert ArticleVersion.objects.filter(pk=version.pk).exists()
    event = article.events.first()
    assert (event.action, event.comment, event.version) == (
        ReviewEvent.Action.UNPUBLISH,
        "Safety concern",
        version,
    )


def test_only_live_articles_can_be_withdrawn(editor, draft):
    with pytest.raises(workflow.TransitionNotAllowed, match="is not published"):
        workflow.unpublish(draft, user=editor, comment="Withdrawn for a test.")


def test_reviewer_without_publish_permission_cannot_withdraw(reviewer, article):
    with pytest.raises(PermissionDenied):
        workflow.unpublish(article, user=reviewer, comment="Withdrawn for a test.")
    assert Article.objects.get(pk=article.pk).live_version is not None


# reconfirm_review


def test_reviewer_reconfirms_unchanged_text_with_new_review_dates(editor, article):
    second_reviewer = make_reviewer()
    first = article.live_version
    workflow.reconfirm_review(
        article, user=second_reviewer, attested=True, comment="Still right"
    )
    article.refresh_from_db()
    version = article.live_version
    assert version.number == 2 and version.kind == ArticleVersion.Kind.REREVIEW
    assert version.content() == first.content()
    assert version.content_updated_at == first.content_updated_at
    assert version.reviewer == second_reviewer.person
    assert article.events.first().action == ReviewEvent.Action.RECONFIRM


def test_reviewer_who_edited_the_live_text_cannot_reconfirm_it(editor, reviewer):
    article = ArticleFactory()
    workflow.record_edit(article, user=reviewer)
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=make_reviewer())
    workflow.publish(article, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.reconfirm_review(article, user=reviewer, attested=True)


def test_only_published_articles_can_be_reconfirmed(reviewer, draft):
    with pytest.raises(workflow.TransitionNotAllowed, match="Only published"):
        workflow.reconfirm_review(draft, user=reviewer, attested=True)


def test_editor_cannot_reconfirm(editor, article):
    with pytest.raises(PermissionDenied):
        workflow.reconfirm_review(article, user=editor, attested=True)


# restore_draft


def test_restoring_an_earlier_draft_brings_back_its_text_and_parts(editor, reviewer):
    article = ArticleFactory(title="Is the first text back?")
    FAQFactory(article=article, position=1, question="First FAQ?")
    workflow.record_edit(article, user=editor)
    first = article.revisions.get()
    article.faqs.all().delete()
    edit(article, editor, title="Is this the second text?")

    workflow.restore_draft(article, first, user=reviewer)

    article.refresh_from_db()
    assert article.title == "Is the first text back?"
    assert [f.question for f in article.faqs.all()] == ["First FAQ?"]
    latest = article.revisions.first()
    assert (latest.number, latest.saved_by, latest.content_hash) == (
        3,
        reviewer,
        first.content_hash,
    )
    assert article.events.first().action == ReviewEvent.Action.RESTORE


def test_restoring_counts_as_an_edit_for_the_four_eyes_rule(editor, reviewer):
    article = in_review(editor)
    first = article.revisions.get()
    edit(article, editor, body="## Second\n")
    workflow.restore_draft(article, first, user=reviewer)
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)


def test_a_revision_of_another_article_cannot_be_restored(editor, draft):
    other = ArticleFactory()
    workflow.record_edit(other, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="another article"):
        workflow.restore_draft(draft, other.revisions.get(), user=editor)


# The log and the periodic review queue.


def test_every_transition_leaves_a_log_entry_with_from_and_to(editor, reviewer):
    article = in_review(editor)
    workflow.request_changes(article, user=reviewer, comment="Fix")
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    workflow.reconfirm_review(article, user=make_reviewer(), attested=True)
    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")
    log = [
        (e.action, e.from_status, e.to_status)
        for e in ReviewEvent.objects.filter(article=article).order_by("at", "id")
    ]
    assert log == [
        ("submit", "draft", "in_review"),
        ("request_changes", "in_review", "changes_requested"),
        ("submit", "changes_requested", "in_review"),
        ("approve", "in_review", "approved"),
        ("publish", "approved", "published"),
        ("reconfirm", "published", "published"),
        ("unpublish", "published", "draft"),
    ]


def test_overdue_versions_are_exactly_the_live_ones_past_their_due_date(
    editor, reviewer
):
    due_soon = make_published(editor=editor, reviewer=reviewer)
    overdue = make_published(editor=editor, reviewer=reviewer)
    withdrawn = make_published(editor=editor, reviewer=reviewer)
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    today = overdue.live_version.next_review_due + datetime.timedelta(days=1)
    # Test setup only: QuerySet.update bypasses the versions' immutability guard.
    ArticleVersion.objects.filter(pk=due_soon.live_version.pk).update(
        next_review_due=today + datetime.timedelta(days=10)
    )
    assert {v.article for v in workflow.overdue_versions(today)} == {overdue}


# Four eyes cannot be dodged (found in review).


def test_restoring_a_reviewers_old_draft_keeps_them_from_approving_it(editor, reviewer):
    article = ArticleFactory()
    workflow.record_edit(article, user=editor)
    edit(article, reviewer, body="## Reviewer wrote: take 20 tablets\n")
    reviewers_text = article.revisions.get(number=2)
    edit(article, editor, body="## Editor's text\n")
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=make_reviewer())
    workflow.publish(article, user=editor)

    workflow.restore_draft(article, reviewers_text, user=editor)
    workflow.submit_for_review(article, user=editor, change_summary="Restored.")

    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)
    assert status_of(article) == Status.IN_REVIEW


def test_changing_the_author_byline_after_approval_voids_it(editor, reviewer):
    article = approved(editor, reviewer)
    edit(article, editor, author=reviewer.person)
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    with pytest.raises(workflow.TransitionNotAllowed, match="Only approved"):
        workflow.publish(article, user=editor)


def test_publishing_refuses_an_approval_by_the_author_byline(editor, reviewer):
    article = approved(editor, reviewer)
    # Test setup only: forge the state an earlier bug could have produced.
    Article.objects.filter(pk=article.pk).update(author=reviewer.person)
    article.refresh_from_db()
    Article.objects.filter(pk=article.pk).update(
        approved_content_hash=article.approval_hash()
    )
    with pytest.raises(workflow.TransitionNotAllowed, match="approving reviewer's own"):
        workflow.publish(article, user=editor)


def test_restore_brings_back_address_topic_and_byline(editor, draft):
    first = draft.revisions.get()
    original = (draft.slug, draft.topic_id, draft.author_id)
    edit(draft, editor, slug="moved", author=PersonFactory())
    workflow.restore_draft(draft, first, user=editor)
    draft.refresh_from_db()
    assert (draft.slug, draft.topic_id, draft.author_id) == original


def test_a_draft_from_before_references_needed_a_link_can_be_restored(editor, draft):
    first = draft.revisions.get()
    first.content["references"] = [{"citation": "NHS leaflet, 2019.", "url": ""}]
    first.save()
    edit(draft, editor, short_answer="A different answer.")
    workflow.restore_draft(draft, first, user=editor)
    assert [(r.citation, r.url) for r in draft.references.all()] == [
        ("NHS leaflet, 2019.", "")
    ]
