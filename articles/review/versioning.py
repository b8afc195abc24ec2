"""Building a new immutable version at publication or periodic review, and the
public one-line note of what it changed. Called only by the workflow."""

from django.utils import timezone

from articles.models import Article, ArticleVersion, add_months
from articles.review.steps import TransitionNotAllowed, refuse_invalid
from articles.text.control_characters import control_character_problem


def next_version(
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
    refuse_invalid(version, validate_unique=False, validate_constraints=False)
    version.save()
    return version


MAX_CHANGE_SUMMARY = 200


def change_summary(current: Article, summary: str, correction: bool) -> str:
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
