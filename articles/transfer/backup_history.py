"""Loading an article's history from an export (backup.py describes the
format): its draft revisions, its review log and the comments on parts of its
text, each as recorded. All three are optional, so a file from before comments
were exported loads with none. backup_load.py loads the rest, in the same
transaction.
"""

from django.core.exceptions import ValidationError

from articles.models import Article, DraftRevision, PartComment, ReviewEvent
from articles.text.control_characters import control_character_problem
from articles.transfer.backup import LoadError, _lookup, _parse_time, _require_keys

COMMENT_KEYS = ["number", "part", "part_label", "text", "author", "created_at"]


def load_history(
    article: Article, record: dict, *, versions: dict, user, where: str
) -> dict[str, int]:
    """The article's revisions, log entries and comments; returns how many of each."""
    revisions = record.get("revisions", [])
    for item in revisions:
        DraftRevision.objects.create(
            article=article,
            number=item["number"],
            content=item["content"],
            content_hash=item["content_hash"],
            saved_by=user(item["saved_by"], where),
            saved_at=_parse_time(item["saved_at"], where),
            responsible_ids=[
                user(name, where).pk for name in item.get("responsible", [])
            ],
        )
    events = record.get("events", [])
    for item in events:
        ReviewEvent.objects.create(
            article=article,
            version=_lookup(versions, item.get("version"), "version", where),
            action=item["action"],
            from_status=item["from_status"],
            to_status=item["to_status"],
            user=user(item["user"], where),
            at=_parse_time(item["at"], where),
            comment=item.get("comment", ""),
            content_hash=item.get("content_hash", ""),
        )
    comments = _load_comments(article, record.get("comments", []), user, where)
    return {"revisions": len(revisions), "events": len(events), "comments": comments}


def _load_comments(article: Article, items, user, where: str) -> int:
    """Threads and their replies, with their authors, times and resolution."""
    loaded = {}
    for item in items:
        _require_keys(item, COMMENT_KEYS, f"{where}: a comment")
        number = item["number"]
        here = f"{where}, comment {number!r}"
        if number in loaded:
            raise LoadError(f"{here} appears twice.")
        thread = item.get("reply_to")
        if thread is not None and thread not in loaded:
            raise LoadError(
                f"{here} replies to comment {thread!r}, which is not an earlier "
                "comment on this article."
            )
        if thread is not None and loaded[thread].reply_to_id is not None:
            raise LoadError(
                f"{here} replies to comment {thread!r}, which is itself a reply "
                "(replies are not nested)."
            )
        author = user(item["author"], here)
        if author is None:
            raise LoadError(f"{here} has no author.")
        text = item["text"]
        if not isinstance(text, str) or not text.strip():
            raise LoadError(f"{here} has no text.")
        if problem := control_character_problem(text):
            raise LoadError(f"{here}: {problem}")
        created_at = _parse_time(item["created_at"], here)
        if created_at is None:
            raise LoadError(f"{here} has no created_at time.")
        resolved_by = user(item.get("resolved_by"), here)
        resolved_at = _parse_time(item.get("resolved_at"), here)
        if bool(resolved_by) != bool(resolved_at):
            raise LoadError(f"{here}: a resolution needs both who and when.")
        comment = PartComment(
            article=article,
            reply_to=loaded.get(thread),
            part=item["part"],
            part_label=item["part_label"],
            quote=item.get("quote", ""),
            text=text,
            author=author,
            created_at=created_at,
            content_hash=item.get("content_hash", ""),
            resolved_at=resolved_at,
            resolved_by=resolved_by,
        )
        try:
            comment.full_clean(exclude=["article", "reply_to", "author", "resolved_by"])
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise LoadError(f"{here}: {problems}") from None
        comment.save()
        loaded[number] = comment
    return len(loaded)
