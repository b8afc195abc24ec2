"""The steps every workflow transition takes: lock the article, check the
permission, refuse with a message the admin and commands can show, and log."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, Person, ReviewEvent
from articles.models.comments import MAX_COMMENT_LENGTH
from articles.text.control_characters import control_character_problem


class TransitionNotAllowed(Exception):
    """The article is not in a state where this transition is allowed."""


def refuse_invalid(obj, **options) -> None:
    """Model validation inside a transition; its complaints become refusals."""
    try:
        obj.full_clean(**options)
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from error


def lock(article: Article) -> Article:
    """Re-read the article under a row lock so two transitions cannot interleave."""
    return Article.objects.select_for_update().get(pk=article.pk)


def require(user: AbstractBaseUser, permission: str, doing: str) -> None:
    if not user.has_perm(f"articles.{permission}"):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def refuse_bad_comment(comment: str) -> None:
    """The checks every comment passes, in the log or on a part of the text."""
    if problem := control_character_problem(comment):
        raise TransitionNotAllowed(f"The comment: {problem}")
    if len(comment) > MAX_COMMENT_LENGTH:
        raise TransitionNotAllowed(
            f"The comment is {len(comment):,} characters long; keep it to "
            f"{MAX_COMMENT_LENGTH:,} (the review log is not the place for documents)."
        )


def require_withdrawal_reason(reason: str) -> None:
    """A withdrawal says why; the bulk confirmation page asks before it starts."""
    if not reason.strip():
        raise TransitionNotAllowed(
            "Say why the article is withdrawn: a reason is required (it is kept in the log)."
        )


def log(article, *, user, action, from_status, comment="", version=None):
    """Record a transition; every transition runs in one transaction, so a
    refused comment here undoes the whole step."""
    refuse_bad_comment(comment)
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


def reviewer_profile(user: AbstractBaseUser) -> Person:
    """The public byline of a reviewer; an approval must name a real clinician."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise TransitionNotAllowed(
            "Your account has no reviewer profile (name and credentials) to print "
            "as “Medically reviewed by”. Ask an administrator to link one."
        )
    return person


Status = Article.Status


# The states each transition starts from: the transitions refuse others, and
# available_transitions() offers only these.
def may_submit(article: Article) -> bool:
    return article.status in (Status.DRAFT, Status.CHANGES_REQUESTED)


def in_review(article: Article) -> bool:
    return article.status == Status.IN_REVIEW


def may_publish(article: Article) -> bool:
    return article.status == Status.APPROVED


def is_live(article: Article) -> bool:
    return article.is_public()
