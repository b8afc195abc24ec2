"""The only code that changes an article's publication state.

Each transition checks the state and the user's permission, runs in a
transaction with the article row locked, and saves. The admin and the
management commands call these functions; they never set `status` themselves.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article


class TransitionNotAllowed(Exception):
    """The article is not in a state where this transition makes sense."""


def _locked(article: Article) -> Article:
    """Re-read the article under a row lock so two transitions cannot interleave."""
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def publish(article: Article, *, user: AbstractBaseUser) -> Article:
    """Make a draft public; it needs a named medical reviewer and publish permission."""
    if not user.has_perm("articles.publish_article"):
        raise PermissionDenied("You do not have permission to publish articles.")
    current = _locked(article)
    if current.status == Article.Status.PUBLISHED:
        raise TransitionNotAllowed(f"“{current}” is already published.")
    if current.medical_reviewer_id is None:
        raise TransitionNotAllowed(
            f"“{current}” has no medical reviewer; name one before publishing."
        )
    current.status = Article.Status.PUBLISHED
    if current.published_at is None:
        current.published_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["status", "published_at", "updated_at"])
    return current


@transaction.atomic
def unpublish(article: Article, *, user: AbstractBaseUser) -> Article:
    """Take a published article off the public site; its text is kept as a draft."""
    if not user.has_perm("articles.publish_article"):
        raise PermissionDenied("You do not have permission to unpublish articles.")
    current = _locked(article)
    if current.status != Article.Status.PUBLISHED:
        raise TransitionNotAllowed(f"“{current}” is not published.")
    current.status = Article.Status.DRAFT
    current.full_clean()
    current.save(update_fields=["status", "updated_at"])
    return current
