"""The only code that changes an article's review state or its public version.

    draft ──submit──▶ in review ──approve──▶ approved ──publish──▶ published
      ▲                  │                                          │
      └── edit ◀── changes requested ◀──request changes             │
      ▲                                                             │
      └──────────── edit (the live version stays public) ◀──────────┘

Each transition checks the user's permission and the article's state, locks
the article row, stamps who and when, writes a ReviewEvent (which queues its
emails) and cancels scheduled changes it outdates, in one transaction. Nothing
else sets `status` or `live_version`.

Four eyes: nobody approves text they wrote or edited since the last approval,
superusers included. An approval holds only for the exact text approved.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleVersion,
    DraftRevision,
    Person,
    ReviewEvent,
    Topic,
    content_fingerprint,
)
from articles.models.content_writer import write_article
from articles.publishing import refresh
from articles.review import four_eyes, schedules, steps, versioning
from articles.review.periodic import overdue_versions as overdue_versions
from articles.review.periodic import reconfirm_review  # callers ask the workflow
from articles.review.steps import (
    TransitionNotAllowed,
    in_review,
    is_live,
    may_publish,
    may_submit,
    refuse_invalid,
    require_withdrawal_reason,
)

Status = Article.Status
Action = ReviewEvent.Action


APPROVAL_FIELDS = ["approved_by", "approved_at", "approved_content_hash"]


def _clear_approval(article: Article) -> None:
    article.approved_by = None
    article.approved_at = None
    article.approved_content_hash = ""


def differs_from_live(article: Article) -> bool:
    """True if publishing now would change the public page (text, address,
    topic or author byline): text-identical drafts have nothing to submit."""
    live = article.live_version
    return live is None or live.content_hash != article.content_hash()


@transaction.atomic
def record_edit(
    article: Article,
    *,
    user: AbstractBaseUser,
    restored_from: DraftRevision | None = None,
) -> Article:
    """Note that `user` saved the working copy.

    Keeps a draft revision when the content changed, with the accounts
    responsible for its unapproved writing; voids an approval of other content;
    moves a published article to draft while its live version stays public,
    and back to published when the draft matches the live version again.
    """
    steps.require(user, "change_article", "edit articles")
    current = steps.lock(article)
    current.lock_version += 1
    content = current.approval_content()
    fingerprint = content_fingerprint(content)
    latest = current.revisions.order_by("-number").first()
    changed = latest is None or latest.content_hash != fingerprint
    from_status = current.status
    comment = ""
    if changed:
        if restored_from is not None:
            responsible = set(restored_from.responsible_ids)
        elif latest is not None and latest.number > current.last_approved_revision:
            responsible = set(latest.responsible_ids)
        else:
            responsible = set()
        DraftRevision.objects.create(
            article=current,
            number=(latest.number + 1) if latest else 1,
            content=content,
            content_hash=fingerprint,
            saved_by=user,
            responsible_ids=sorted(responsible | {user.pk}),
        )
    if (
        current.status == Status.APPROVED
        and current.approval_hash() != current.approved_content_hash
    ):
        current.status = Status.DRAFT
        _clear_approval(current)
        comment = "Content changed: the approval no longer applies."
    if current.is_public():
        if current.status == Status.PUBLISHED and differs_from_live(current):
            current.status = Status.DRAFT
            comment = "New draft started; the published version stays live."
        elif current.status != Status.PUBLISHED and not differs_from_live(current):
            current.status = Status.PUBLISHED
            _clear_approval(current)
            comment = "The draft matches the published version again."
    current.save(update_fields=["lock_version", "status", *APPROVAL_FIELDS])
    schedules.cancel_outdated(current, user=user)
    if from_status != current.status:
        steps.log(
            current,
            user=user,
            action=Action.EDIT,
            from_status=from_status,
            comment=comment,
        )
    return current


@transaction.atomic
def submit_for_review(
    article: Article,
    *,
    user: AbstractBaseUser,
    comment: str = "",
    change_summary: str | None = None,
    correction: bool | None = None,
    reviewer: AbstractBaseUser | None = None,
) -> Article:
    """Send a draft to the medical reviewers (or the one `reviewer`), with the
    public note about this update (`change_summary`, `correction`; None keeps
    what the draft holds), which they approve with the text."""
    steps.require(user, "change_article", "submit articles for review")
    current = steps.lock(article)
    steps.refuse_unable_reviewer(current, reviewer)
    if not may_submit(current):
        raise TransitionNotAllowed(
            f"Only drafts can be submitted; “{current}” is {current.get_status_display().lower()}."
        )
    if not differs_from_live(current):
        raise TransitionNotAllowed(
            f"“{current}” has no changes from its published version. To confirm "
            "unchanged text, a reviewer records a periodic review instead."
        )
    summary = current.change_summary if change_summary is None else change_summary
    correction = current.is_correction if correction is None else correction
    summary = versioning.change_summary(current, summary, correction)
    if (summary, correction) != (current.change_summary, current.is_correction):
        current.change_summary, current.is_correction = summary, correction
        current.save(update_fields=["change_summary", "is_correction"])
        # The note is public text: its writer is responsible for it (four eyes).
        current = record_edit(current, user=user)
    from_status = current.status
    current.status = Status.IN_REVIEW
    current.save(update_fields=["status", "updated_at"])
    steps.log(
        current,
        user=user,
        action=Action.SUBMIT,
        from_status=from_status,
        comment=comment,
        addressed_to=reviewer,
    )
    return current


@transaction.atomic
def approve_medical_review(
    article: Article,
    *,
    user: AbstractBaseUser,
    comment: str = "",
    seen_content_hash: str | None = None,
) -> Article:
    """A medical reviewer signs off the exact text in review, if they did not write it."""
    steps.require(user, "review_article", "approve articles")
    current = steps.lock(article)
    if not in_review(current):
        raise TransitionNotAllowed("Only articles in review can be approved.")
    reviewer = steps.reviewer_profile(user)
    if conflict := four_eyes.approval_conflict(current, user):
        raise TransitionNotAllowed(conflict)
    content = current.approval_content()  # read once: citations and fingerprint
    steps.refuse_broken_citations(content)
    fingerprint = content_fingerprint(content)
    if seen_content_hash is not None and seen_content_hash != fingerprint:
        raise TransitionNotAllowed(
            "The text changed while you were reviewing it. Read the latest changes "
            "and approve again."
        )
    latest = current.revisions.order_by("-number").first()
    current.status = Status.APPROVED
    current.approved_by = user
    current.approved_at = timezone.now()
    current.approved_content_hash = fingerprint
    current.medical_reviewer = reviewer
    current.last_approved_revision = latest.number if latest else 0
    refuse_invalid(current, validate_unique=False)
    current.save(
        update_fields=[
            "status",
            "medical_reviewer",
            "last_approved_revision",
            *APPROVAL_FIELDS,
        ]
    )
    steps.log(
        current,
        user=user,
        action=Action.APPROVE,
        from_status=Status.IN_REVIEW,
        comment=comment,
    )
    return current


@transaction.atomic
def request_changes(
    article: Article, *, user: AbstractBaseUser, comment: str
) -> Article:
    """A medical reviewer sends the text back to the editors, saying what to change."""
    steps.require(user, "review_article", "request changes")
    if not comment.strip():
        raise TransitionNotAllowed("Say what needs to change: a comment is required.")
    current = steps.lock(article)
    if not in_review(current):
        raise TransitionNotAllowed("Only articles in review can be sent back.")
    current.status = Status.CHANGES_REQUESTED
    current.save(update_fields=["status", "updated_at"])
    steps.log(
        current,
        user=user,
        action=Action.REQUEST_CHANGES,
        from_status=Status.IN_REVIEW,
        comment=comment,
    )
    return current


@transaction.atomic
def publish(
    article: Article,
    *,
    user: AbstractBaseUser,
    comment: str = "",
) -> Article:
    """Make the approved text public as a new immutable version, with the
    public note about the update that the reviewer approved with it."""
    steps.require(user, "publish_article", "publish articles")
    current = steps.lock(article, public=True)
    steps.refuse_unpublishable(current)
    refuse_invalid(current, validate_unique=False, validate_constraints=False)
    versioning.change_summary(current, current.change_summary, current.is_correction)
    version = versioning.next_version(
        current,
        kind=ArticleVersion.Kind.PUBLICATION,
        reviewer=current.medical_reviewer,
        approved_by=current.approved_by,
        approved_at=current.approved_at,
        user=user,
    )
    current.live_version = version
    current.status = Status.PUBLISHED
    current.first_published_at = version.first_published_at
    current.withdrawn_at = None
    current.save(
        update_fields=["live_version", "status", "first_published_at", "withdrawn_at"]
    )
    refresh.published(current, version)
    schedules.cancel_outdated(current, user=user)
    steps.log(
        current,
        user=user,
        action=Action.PUBLISH,
        from_status=Status.APPROVED,
        comment=comment,
        version=version,
    )
    return current


@transaction.atomic
def unpublish(article: Article, *, user: AbstractBaseUser, comment: str) -> Article:
    """Withdraw an article from the public site at once; every version is kept.
    The reason (`comment`) is required: it is what the log tells the next
    editor, reviewer or auditor about why readers lost this page."""
    steps.require(user, "publish_article", "withdraw articles")
    require_withdrawal_reason(comment)
    current = steps.lock(article, public=True)
    if not is_live(current):
        raise TransitionNotAllowed(f"“{current}” is not published.")
    version = current.live_version
    from_status = current.status
    current.live_version = None
    current.withdrawn_at = timezone.now()
    if current.status == Status.PUBLISHED:
        current.status = Status.DRAFT
    current.save(update_fields=["live_version", "withdrawn_at", "status"])
    refresh.withdrawn(current)
    schedules.cancel_outdated(current, user=user)
    steps.log(
        current,
        user=user,
        action=Action.UNPUBLISH,
        from_status=from_status,
        comment=comment,
        version=version,
    )
    return current


@transaction.atomic
def restore_draft(
    article: Article, revision: DraftRevision, *, user: AbstractBaseUser
) -> Article:
    """Put an earlier draft's content back into the working copy, as a new edit
    whose writers are those of the restored text plus the restorer."""
    steps.require(user, "change_article", "restore drafts")
    current = steps.lock(article)
    if revision.article_id != current.pk:
        raise TransitionNotAllowed("That revision belongs to another article.")
    content = revision.content
    topic = Topic.objects.filter(slug=content["topic"]).first()
    author = Person.objects.filter(slug=content["author"]).first()
    if topic is None or author is None:
        raise TransitionNotAllowed(
            f"Revision {revision.number} names a topic or author that no longer "
            "exists; restore the text by hand instead."
        )
    try:
        # Restoring history: references keep the shape they were saved in.
        write_article(current, content, topic=topic, author=author, as_it_was=True)
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from error
    from_status = current.status
    current = record_edit(current, user=user, restored_from=revision)
    steps.log(
        current,
        user=user,
        action=Action.RESTORE,
        from_status=from_status,
        comment=f"Restored the content of revision {revision.number}.",
    )
    return current


# name: (button label, transition, permission, the state it starts from)
TRANSITIONS = {
    "submit": ("Submit for review", submit_for_review, "change_article", may_submit),
    "approve": ("Approve", approve_medical_review, "review_article", in_review),
    "request_changes": (
        "Request changes",
        request_changes,
        "review_article",
        in_review,
    ),
    "publish": ("Publish", publish, "publish_article", may_publish),
    "unpublish": ("Withdraw from site", unpublish, "publish_article", is_live),
    "reconfirm": (
        "Confirm periodic review",
        reconfirm_review,
        "review_article",
        is_live,
    ),
}


def available_transitions(article: Article, user: AbstractBaseUser) -> list[str]:
    """The transitions `user` may start on `article` now, by name: what the
    admin offers as buttons (the transition itself still checks everything)."""
    return [
        name
        for name, (_, _, permission, applies) in TRANSITIONS.items()
        if applies(article)
        and user.has_perm(f"articles.{permission}")
        and not (name == "approve" and four_eyes.approval_conflict(article, user))
    ]
