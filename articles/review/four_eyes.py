"""The four-eyes rule, spelled once: nobody approves, publishes under or
re-confirms text they wrote or edited, nor an article under their own byline
or one a reader could not tell apart from it (Person.is_same_person). The
workflow enforces it; the admin asks it which buttons to show."""

from django.contrib.auth.models import AbstractBaseUser

from articles.models import Article, Person

RULE = "another reviewer must {doing} it (four-eyes rule)."


def conflict(
    *,
    reviewer: Person | None,
    author: Person,
    writer_ids=(),
    user: AbstractBaseUser | None = None,
    doing: str = "approve",
) -> str:
    """Why `reviewer` (acting as `user`, if a person is acting now) may not
    sign off text by `author` written by `writer_ids`, or "" if they may."""
    if user is not None and user.pk in set(writer_ids):
        return f"You wrote or edited this text, so {RULE.format(doing=doing)}"
    if reviewer is not None and reviewer.is_same_person(author):
        if user is None:
            return "The author byline is the approving reviewer's own; " + RULE.format(
                doing=doing
            )
        return f"This article carries your name as its author, so {RULE.format(doing=doing)}"
    return ""


def contributor_ids_since_last_approval(article: Article) -> set[int]:
    """Accounts whose writing in the current text no reviewer has approved yet."""
    latest = article.revisions.order_by("-number").first()
    if latest is None or latest.number <= article.last_approved_revision:
        return set()
    return set(latest.responsible_ids)


def approval_conflict(article: Article, user: AbstractBaseUser) -> str:
    """Why `user` may not approve this article's current text, or "" if they
    may: writing since the last approval counts (a restored draft keeps its
    writers)."""
    return _approval_conflict(article, user, Person.objects.filter(user=user).first())


def approvable_by(user: AbstractBaseUser, articles) -> list[Article]:
    """The articles among `articles` whose current text `user` may approve:
    approval_conflict() for each, with the reviewer's profile read once."""
    reviewer = Person.objects.filter(user=user).first()
    return [a for a in articles if not _approval_conflict(a, user, reviewer)]


def _approval_conflict(article, user, reviewer: Person | None) -> str:
    return conflict(
        reviewer=reviewer,
        author=article.author,
        writer_ids=contributor_ids_since_last_approval(article),
        user=user,
    )


def reconfirm_conflict(article: Article, user: AbstractBaseUser) -> str:
    """Why `user` may not confirm the live text in a periodic review, or ""."""
    live = article.live_version
    return conflict(
        reviewer=Person.objects.filter(user=user).first(),
        author=live.author,
        writer_ids=live.contributor_ids,
        user=user,
        doing="confirm",
    )
