"""The only code that changes an article's review state or its public version.

    draft ──submit──▶ in review ──approve──▶ approved ──publish──▶ published
      ▲                  │                                          │
      └── edit ◀── changes requested ◀──request changes             │
      ▲                                                             │
      └──────────── edit (the live version stays public) ◀──────────┘

Each transition checks the user's permission and the article's state, locks
the article row, stamps who and when, and writes a ReviewEvent, all in one
transaction. The admin, the management commands and the demo loader call
these functions; none of them sets `status` or `live_version` itself.

Four eyes: nobody approves text they wrote or edited since the last approval,
superusers included. An approval holds only for the exact text approved (its
content fingerprint); any later edit voids it.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import (
    FAQ,
    Article,
    ArticleVersion,
    DraftRevision,
    KeyTakeaway,
    Person,
    Reference,
    ReviewEvent,
    Topic,
    add_months,
    content_fingerprint,
)
from articles.publishing import refresh
from articles.text.control_characters import control_character_problem

Status = Article.Status
Action = ReviewEvent.Action


class TransitionNotAllowed(Exception):
    """The article is not in a state where this transition is allowed."""


def _lock(article: Article) -> Article:
    """Re-read the article under a row lock so two transitions cannot interleave."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _validate(obj, **options) -> None:
    """Model validation inside a transition; its complaints become refusals."""
    try:
        obj.full_clean(**options)
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from error


def _require(user: AbstractBaseUser, permission: str, doing: str) -> None:
    if not user.has_perm(f"articles.{permission}"):
        raise PermissionDenied(f"You do not have permission to {doing}.")


MAX_COMMENT_LENGTH = 5_000


def _log(article, *, user, action, from_status, comment="", version=None):
    """Record a transition; every transition runs in one transaction, so a
    refused comment here undoes the whole step."""
    if problem := control_character_problem(comment):
        raise TransitionNotAllowed(f"The comment: {problem}")
    if len(comment) > MAX_COMMENT_LENGTH:
        raise TransitionNotAllowed(
            f"The comment is {len(comment):,} characters long; keep it to "
            f"{MAX_COMMENT_LENGTH:,} (the review log is not the place for documents)."
        )
    return ReviewEvent.objects.create(
        article=article,
        version=version,
        action=action,
        from_status=from_status,
        to_status=article.status,
        user=user,
        comment=comment,
        content_hash=article.approval_hash(),
    )


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


def contributor_ids_since_last_approval(article: Article) -> set[int]:
    """Accounts whose writing in the current text no reviewer has approved yet."""
    latest = article.revisions.order_by("-number").first()
    if latest is None or latest.number <= article.last_approved_revision:
        return set()
    return set(latest.responsible_ids)


def four_eyes_conflict(article: Article, user: AbstractBaseUser) -> str:
    """Why `user` may not approve this article's current text, or "" if they may.

    Nobody approves text they wrote or edited since its last approval (a
    restored draft keeps its writers), nor an article under their own byline
    or one a reader could not tell apart from it (Person.is_same_person).
    """
    if user.pk in contributor_ids_since_last_approval(article):
        return (
            "You wrote or edited this text since it was last approved, so another "
            "reviewer must approve it (four-eyes rule)."
        )
    person = Person.objects.filter(user=user).first()
    if person is not None and person.is_same_person(article.author):
        return (
            "This article carries your name as its author, so another reviewer "
            "must approve it (four-eyes rule)."
        )
    return ""


def _reviewer_profile(user: AbstractBaseUser) -> Person:
    """The public byline of a reviewer; an approval must name a real clinician."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise TransitionNotAllowed(
            "Your account has no reviewer profile (name and credentials) to print "
            "as “Medically reviewed by”. Ask an administrator to link one."
        )
    return person


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
    _require(user, "change_article", "edit articles")
    current = _lock(article)
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
    if current.live_version_id is not None:
        if current.status == Status.PUBLISHED and differs_from_live(current):
            current.status = Status.DRAFT
            comment = "New draft started; the published version stays live."
        elif current.status != Status.PUBLISHED and not differs_from_live(current):
            current.status = Status.PUBLISHED
            _clear_approval(current)
            comment = "The draft matches the published version again."
    current.save(update_fields=["lock_version", "status", *APPROVAL_FIELDS])
    if from_status != current.status:
        _log(
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
) -> Article:
    """Send a draft to the medical reviewers, with the public note about this
    update (`change_summary`, `correction`; None keeps what the draft holds),
    which they approve with the text."""
    _require(user, "change_article", "submit articles for review")
    current = _lock(article)
    if current.status not in (Status.DRAFT, Status.CHANGES_REQUESTED):
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
    summary = _change_summary(current, summary, correction)
    if (summary, correction) != (current.change_summary, current.is_correction):
        current.change_summary, current.is_correction = summary, correction
        current.save(update_fields=["change_summary", "is_correction"])
        # The note is public text: its writer is responsible for it (four eyes).
        current = record_edit(current, user=user)
    from_status = current.status
    current.status = Status.IN_REVIEW
    current.save(update_fields=["status", "updated_at"])
    _log(
        current,
        user=user,
        action=Action.SUBMIT,
        from_status=from_status,
        comment=comment,
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
    _require(user, "review_article", "approve articles")
    current = _lock(article)
    if current.status != Status.IN_REVIEW:
        raise TransitionNotAllowed("Only articles in review can be approved.")
    reviewer = _reviewer_profile(user)
    conflict = four_eyes_conflict(current, user)
    if conflict:
        raise TransitionNotAllowed(conflict)
    fingerprint = current.approval_hash()
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
    _validate(current, validate_unique=False)
    current.save(
        update_fields=[
            "status",
            "medical_reviewer",
            "last_approved_revision",
            *APPROVAL_FIELDS,
        ]
    )
    _log(
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
    _require(user, "review_article", "request changes")
    if not comment.strip():
        raise TransitionNotAllowed("Say what needs to change: a comment is required.")
    current = _lock(article)
    if current.status != Status.IN_REVIEW:
        raise TransitionNotAllowed("Only articles in review can be sent back.")
    current.status = Status.CHANGES_REQUESTED
    current.save(update_fields=["status", "updated_at"])
    _log(
        current,
        user=user,
        action=Action.REQUEST_CHANGES,
        from_status=Status.IN_REVIEW,
        comment=comment,
    )
    return current


def _next_version(
    current: Article,
    *,
    kind,
    reviewer,
    approved_by,
    approved_at,
    user,
):
    now = timezone.now()
    previous = current.versions.order_by("-number").first()
    if kind == ArticleVersion.Kind.PUBLICATION:
        version = ArticleVersion.from_article(current)
        version.revision_number = current.last_approved_revision
        approved_revision = current.revisions.filter(
            number=current.last_approved_revision
        ).first()
        version.contributor_ids = (
            approved_revision.responsible_ids if approved_revision else []
        )
        version.content_updated_at = now
    else:
        # Same words as the live version; only the review stamps below change.
        version = ArticleVersion.objects.get(pk=current.live_version_id)
        version.pk = None
        version._state.adding = True
        version.change_summary, version.is_correction = "", False
    today = timezone.localdate(now)
    version.kind = kind
    version.number = (previous.number + 1) if previous else 1
    version.reviewer = reviewer
    version.reviewer_name = reviewer.name
    version.reviewer_credentials = reviewer.credentials
    version.approved_by = approved_by
    version.approved_at = approved_at
    version.published_by = user
    version.published_at = now
    version.first_published_at = current.first_published_at or now
    version.last_reviewed_on = timezone.localdate(approved_at)
    # The interval the reviewer approved (a periodic review keeps the live one).
    months = version.review_interval_months
    version.next_review_due = add_months(version.last_reviewed_on, months)
    if version.next_review_due <= today:
        version.next_review_due = add_months(today, months)
    _validate(version, validate_unique=False, validate_constraints=False)
    version.save()
    return version


MAX_CHANGE_SUMMARY = 200


def _change_summary(current: Article, summary: str, correction: bool) -> str:
    """The public line saying what a new version changed: required once an
    article has been published before, one line, new for each update, and a
    correction needs one."""
    summary = " ".join((summary or "").split())
    if problem := control_character_problem(summary):
        raise TransitionNotAllowed(f"The summary of what changed: {problem}")
    last_publication = (
        current.versions.filter(kind=ArticleVersion.Kind.PUBLICATION)
        .order_by("-number")
        .only("change_summary")
        .first()
    )
    if last_publication is not None and not summary:
        raise TransitionNotAllowed(
            "Write a one-line public summary of what changed (for example "
            "“Updated advice on bleeding after sex”); readers see it on the page "
            "and the medical reviewer approves it with the text."
        )
    if correction and last_publication is None:
        raise TransitionNotAllowed(
            "A first publication cannot be a correction: there is nothing public "
            "to correct yet."
        )
    if last_publication is not None and summary == last_publication.change_summary:
        raise TransitionNotAllowed(
            "The summary of what changed still describes the previous update "
            f"(“{summary}”); say what this one changes."
        )
    if len(summary) > MAX_CHANGE_SUMMARY:
        raise TransitionNotAllowed(
            f"The summary of what changed is {len(summary)} characters long; "
            f"keep it to one line of at most {MAX_CHANGE_SUMMARY}."
        )
    return summary


@transaction.atomic
def publish(
    article: Article,
    *,
    user: AbstractBaseUser,
    comment: str = "",
) -> Article:
    """Make the approved text public as a new immutable version, with the
    public note about the update that the reviewer approved with it."""
    _require(user, "publish_article", "publish articles")
    current = _lock(article)
    if current.status != Status.APPROVED:
        raise TransitionNotAllowed(
            f"Only approved articles can be published; “{current}” is "
            f"{current.get_status_display().lower()}."
        )
    if current.approval_hash() != current.approved_content_hash:
        raise TransitionNotAllowed(
            "The text changed after it was approved; it needs a new review."
        )
    if current.medical_reviewer.is_same_person(current.author):
        raise TransitionNotAllowed(
            "The author byline is the approving reviewer's own; another reviewer "
            "must approve it (four-eyes rule)."
        )
    _validate(current, validate_unique=False, validate_constraints=False)
    _change_summary(current, current.change_summary, current.is_correction)
    version = _next_version(
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
    _log(
        current,
        user=user,
        action=Action.PUBLISH,
        from_status=Status.APPROVED,
        comment=comment,
        version=version,
    )
    return current


@transaction.atomic
def unpublish(
    article: Article, *, user: AbstractBaseUser, comment: str = ""
) -> Article:
    """Withdraw an article from the public site at once; every version is kept."""
    _require(user, "publish_article", "withdraw articles")
    current = _lock(article)
    if current.live_version_id is None:
        raise TransitionNotAllowed(f"“{current}” is not published.")
    version = current.live_version
    from_status = current.status
    current.live_version = None
    current.withdrawn_at = timezone.now()
    if current.status == Status.PUBLISHED:
        current.status = Status.DRAFT
    current.save(update_fields=["live_version", "withdrawn_at", "status"])
    refresh.withdrawn(current)
    _log(
        current,
        user=user,
        action=Action.UNPUBLISH,
        from_status=from_status,
        comment=comment,
        version=version,
    )
    return current


@transaction.atomic
def reconfirm_review(
    article: Article, *, user: AbstractBaseUser, comment: str = ""
) -> Article:
    """A reviewer confirms the live text is still right: new review dates, same words."""
    _require(user, "review_article", "record a periodic review")
    current = _lock(article)
    live = current.live_version
    if live is None:
        raise TransitionNotAllowed("Only published articles have periodic reviews.")
    reviewer = _reviewer_profile(user)
    if user.pk in live.contributor_ids or reviewer.is_same_person(live.author):
        raise TransitionNotAllowed(
            "You wrote or edited the published text, so another reviewer must "
            "confirm it (four-eyes rule)."
        )
    now = timezone.now()
    version = _next_version(
        current,
        kind=ArticleVersion.Kind.REREVIEW,
        reviewer=reviewer,
        approved_by=user,
        approved_at=now,
        user=user,
    )
    current.live_version = version
    current.save(update_fields=["live_version", "updated_at"])
    refresh.rereviewed(current, version)
    _log(
        current,
        user=user,
        action=Action.RECONFIRM,
        from_status=current.status,
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
    _require(user, "change_article", "restore drafts")
    current = _lock(article)
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
    current.title = content["title"]
    current.short_answer = content["short_answer"]
    current.body = content["body"]
    current.slug = content["slug"]
    current.topic = topic
    current.author = author
    current.review_interval_months = content.get(
        "review_interval_months", current.review_interval_months
    )
    current.change_summary = content.get("change_summary", "")
    current.is_correction = content.get("is_correction", False)
    _validate(current, validate_constraints=False)
    current.save()
    current.faqs.all().delete()
    current.key_takeaways.all().delete()
    current.references.all().delete()
    for position, faq in enumerate(content["faqs"], start=1):
        FAQ.objects.create(article=current, position=position, **faq)
    for position, text in enumerate(content["key_takeaways"], start=1):
        KeyTakeaway.objects.create(article=current, position=position, text=text)
    for position, reference in enumerate(content["references"], start=1):
        Reference.objects.create(article=current, position=position, **reference)
    from_status = current.status
    current = record_edit(current, user=user, restored_from=revision)
    _log(
        current,
        user=user,
        action=Action.RESTORE,
        from_status=from_status,
        comment=f"Restored the content of revision {revision.number}.",
    )
    return current


def overdue_versions(today: datetime.date | None = None):
    """Live versions past their periodic review date, most overdue first."""
    today = today or timezone.localdate()
    return (
        ArticleVersion.objects.overdue_for_review(today)
        .select_related("article", "reviewer")
        .order_by("next_review_due", "title")
    )
