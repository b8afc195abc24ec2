"""Comments on parts of the text: a reviewer points at the short answer, a
body section, FAQ n, takeaway n or reference n; the editors reply or resolve.
Comments are advice around the review, never a gate: approving does not wait
for them. They are kept with the article, resolved rather than deleted."""

import re

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, PartComment
from articles.review import steps
from articles.review.steps import TransitionNotAllowed
from articles.text.newlines import normalise_newlines
from articles.text.references import reference_text

_SECTION = re.compile(r"^## +(.+)$", re.MULTILINE)


def parts_of(content: dict) -> list[tuple[str, str, str]]:
    """(key, label, text) for each part of `content` a comment can point at."""
    body = content.get("body") or ""
    parts = [
        ("title", "Question", content.get("title") or ""),
        ("short_answer", "Short answer", content.get("short_answer") or ""),
        ("body", "Body (as a whole)", body),
    ]
    headings = list(_SECTION.finditer(body))
    for number, match in enumerate(headings, 1):
        end = headings[number].start() if number < len(headings) else len(body)
        parts.append(
            (
                f"body:{number}",
                f"Body section “{match[1].strip()}”",
                body[match.start() : end],
            )
        )
    for number, faq in enumerate(content.get("faqs") or [], 1):
        parts.append(
            (
                f"faq:{number}",
                f"FAQ {number}: {faq.get('question', '')}",
                faq.get("answer", ""),
            )
        )
    for number, takeaway in enumerate(content.get("key_takeaways") or [], 1):
        parts.append((f"takeaway:{number}", f"Key takeaway {number}", takeaway))
    for number, reference in enumerate(content.get("references") or [], 1):
        parts.append(
            (
                f"reference:{number}",
                f"Reference {number}",
                reference_text(reference),
            )
        )
    return parts


def _require_staff_role(user: AbstractBaseUser) -> None:
    if not (
        user.has_perm("articles.review_article")
        or user.has_perm("articles.change_article")
    ):
        raise PermissionDenied("You do not have permission to comment on articles.")


def _checked(text: str) -> str:
    text = normalise_newlines(text).strip()
    if not text:
        raise TransitionNotAllowed("Write the comment first: it is empty.")
    steps.refuse_bad_comment(text)
    return text


def add_comment(
    article: Article, *, user: AbstractBaseUser, part: str, text: str
) -> PartComment:
    """A new comment on one part of the current working copy."""
    _require_staff_role(user)
    found = {
        key: (label, quoted)
        for key, label, quoted in parts_of(article.approval_content())
    }
    if part not in found:
        raise TransitionNotAllowed(
            "Choose which part of the text the comment is about."
        )
    label, quoted = found[part]
    return PartComment.objects.create(
        article=article,
        part=part,
        part_label=label[:200],
        quote=" ".join(quoted.split())[:300],
        text=_checked(text),
        author=user,
        content_hash=article.approval_hash(),
    )


def reply(comment: PartComment, *, user: AbstractBaseUser, text: str) -> PartComment:
    """An answer in the comment's thread (replies are not nested further)."""
    _require_staff_role(user)
    thread = comment.reply_to or comment
    if thread.resolved_at is not None:
        raise TransitionNotAllowed("That comment is resolved; add a new one instead.")
    return PartComment.objects.create(
        article=thread.article,
        part=thread.part,
        part_label=thread.part_label,
        reply_to=thread,
        text=_checked(text),
        author=user,
        content_hash=thread.article.approval_hash(),
    )


def resolve(comment: PartComment, *, user: AbstractBaseUser) -> PartComment:
    """Close a thread: the point is dealt with. It stays in the history."""
    _require_staff_role(user)
    thread = comment.reply_to or comment
    if thread.resolved_at is None:
        thread.resolved_at = timezone.now()
        thread.resolved_by = user
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def threads(article: Article, *, open_only: bool = True):
    """Top-level comments with their replies, oldest first."""
    queryset = article.part_comments.filter(reply_to=None)
    if open_only:
        queryset = queryset.filter(resolved_at=None)
    return queryset.select_related("author", "resolved_by").prefetch_related(
        Prefetch("replies", queryset=PartComment.objects.select_related("author"))
    )
