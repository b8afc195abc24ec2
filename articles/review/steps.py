"""The steps every workflow transition takes: lock the article, check the
permission, refuse with a message the admin and commands can show, and log."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, Person, ReviewEvent, content_fingerprint
from articles.models.comments import MAX_COMMENT_LENGTH
from articles.publishing import refresh
from articles.review import four_eyes, notices
from articles.text.citations import citations_of
from articles.text.control_characters import control_character_problem


class TransitionNotAllowed(Exception):
    """The article is not in a state where this transition is allowed."""


def refuse_invalid(obj, **options) -> None:
    """Model validation inside a transition; its complaints become refusals."""
    try:
        obj.full_clean(**options)
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from error


def lock(article: Article, *, public: bool = False) -> Article:
    """Re-read the article under a row lock so two transitions cannot interleave.

    A transition that changes what visitors see (`public`) first waits its turn
    at the public-content counter (publishing/refresh.py), which every public
    change takes first, so the worker's refresh and it lock rows in one order."""
    if public:
        refresh.take_turn()
    return Article.objects.select_for_update(no_key=True).get(pk=article.pk)


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


def log(
    article, *, user, action, from_status, comment="", version=None, addressed_to=None
):
    """Record a transition and queue the emails it calls for; every transition
    runs in one transaction, so a refused comment here undoes the whole step
    and nobody is told about a step that did not happen."""
    refuse_bad_comment(comment)
    event = ReviewEvent.objects.create(
        article=article,
        version=version,
        action=action,
        from_status=from_status,
        to_status=article.status,
        user=user,
        comment=comment,
        content_hash=article.approval_hash(),
        addressed_to=addressed_to,
    )
    notices.event_logged(event)
    return event


def refuse_unable_reviewer(article: Article, reviewer) -> None:
    """A submission addressed to one reviewer names one who may approve it."""
    if reviewer is None:
        return
    if not (reviewer.is_active and reviewer.has_perm("articles.review_article")):
        raise TransitionNotAllowed(
            f"{reviewer.get_full_name() or reviewer} is not an active medical reviewer."
        )
    if four_eyes.approval_conflict(article, reviewer):
        raise TransitionNotAllowed(
            f"{reviewer.get_full_name() or reviewer} wrote or edited this text, so "
            "they cannot approve it: choose another reviewer."
        )


def refuse_unpublishable(
    article: Article, *, only: str = "Only approved articles can be published"
) -> None:
    """What publishing needs, for a click and for a schedule alike: approved
    text, unchanged since the approval, whose reviewer is not its author."""
    if not may_publish(article):
        raise TransitionNotAllowed(
            f"{only}; “{article}” is {article.get_status_display().lower()}."
        )
    content = article.approval_content()  # read once: fingerprint and citations
    if content_fingerprint(content) != article.approved_content_hash:
        raise TransitionNotAllowed(
            "The text changed after it was approved; it needs a new review."
        )
    if conflict := four_eyes.conflict(
        reviewer=article.medical_reviewer, author=article.author
    ):
        raise TransitionNotAllowed(conflict)
    refuse_broken_citations(content)


def refuse_broken_citations(content: dict) -> None:
    """Text (an article's content) citing a reference it does not have is
    neither approved nor published (the admin form refuses to save it; an
    import or a restore may not)."""
    if refusals := citations_of(content).refusals:
        raise TransitionNotAllowed(" ".join(refusals))


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
