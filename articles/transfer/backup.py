"""Everything out, and back in: the JSON export format (see README, "Export and load").

export_data() writes topics, tags, synonym groups, people, the site's own
pages, and each article with its working copy, FAQs, takeaways, references,
tags, editor's related picks, review state, every published version, the
review log, the draft history and the comments on parts of the text. Left out: readers'
problem reports (they hold readers' contact details), link checks (the worker
makes them again), emails and schedules. load_data() puts such a
file into a database that does not hold any of its articles yet, in one
transaction: a file that does not fit changes nothing.

Loading (backup_load.py) restores recorded history; it is not an editorial act,
so it writes review state (status, approvals, live version, the log) as
recorded instead of replaying articles.review.workflow, which would stamp new
reviewers and dates on old decisions: the one place outside the workflow that
sets review state, and only into a database that holds none of these articles.
Content rows go through the same writer as the workflow
(models/content_writer.py); loaded changes reach visitors through
publishing.refresh, like any other change. Accounts are referred to
by username; a username the database lacks is created as an inactive account
with no password, which an administrator can later activate.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.validators import URLValidator
from django.utils import timezone

from articles.models import (
    Article,
    Person,
    SitePage,
    SynonymGroup,
    Tag,
    Topic,
)
from articles.review import bylines

WEB_ADDRESS = URLValidator(schemes=["http", "https"])

FORMAT_NAME = "health-answers-export"
# Version 2: fingerprints cover the author byline as printed and the review
# interval, and articles carry the reviewed note about their update. Version 1
# files still load (their fingerprints are checked in the old shape). Keys
# that are optional on load (tags, synonyms, related picks, site pages,
# comments, library images and their files) do not
# change the version: a file without them loads, and the loader ignores keys it
# does not know; only a change in the meaning of existing data needs a new one.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)

ARTICLE_FIELDS = [
    "slug",
    "title",
    "short_answer",
    "body",
    "review_interval_months",
    "status",
    "approved_content_hash",
    "last_approved_revision",
    "lock_version",
]
# The reviewed note about the next update; optional on load (version 1 lacks it).
ARTICLE_UPDATE_NOTE = {"change_summary": "", "is_correction": False}
ARTICLE_TIMES = ["approved_at", "first_published_at", "withdrawn_at", "created_at"]
VERSION_FIELDS = [
    "number",
    "kind",
    "title",
    "slug",
    "short_answer",
    "body",
    "faqs",
    "key_takeaways",
    "references",
    "content_hash",
    "author_name",
    "author_credentials",
    "reviewer_name",
    "reviewer_credentials",
    "revision_number",
    "contributor_ids",
]
# The public change log; optional on load, since earlier exports lack it.
VERSION_CHANGE_LOG = {"change_summary": "", "is_correction": False}
VERSION_TIMES = [
    "approved_at",
    "published_at",
    "first_published_at",
    "content_updated_at",
]
VERSION_DATES = ["last_reviewed_on", "next_review_due"]
PERSON_PROFILE_FIELDS = [
    "job_title",
    "specialty",
    "registration",
    "bio",
    "profile_links",
]


class LoadError(ValueError):
    """The file cannot be loaded; the message says why. Nothing was changed."""


def _require_keys(record: dict, keys, where: str) -> None:
    if not isinstance(record, dict):
        raise LoadError(f"{where} must be an object.")
    missing = [key for key in keys if key not in record]
    if missing:
        raise LoadError(f"{where} lacks {', '.join(missing)}.")


def _lookup(table: dict, key, kind: str, where: str):
    if key is None:
        return None
    if key not in table:
        raise LoadError(f"{where}: unknown {kind} {key!r}.")
    return table[key]


def _time(value):
    return value.isoformat() if value else None


def _parse_time(value, where):
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise LoadError(f"{where}: {value!r} is not a date and time.") from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _parse_date(value, where):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise LoadError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _username(user):
    return user.get_username() if user else None


def export_data() -> dict:
    """The whole editorial database as plain JSON-ready data."""
    usernames = set()

    def user(u):
        if u is not None:
            usernames.add(u.get_username())
        return _username(u)

    User = get_user_model()
    user_by_id = {u.pk: u for u in User.objects.all()}
    articles = []
    for article in Article.objects.select_related(
        "topic", "author", "medical_reviewer", "approved_by", "live_version"
    ).order_by("pk"):
        record = {
            name: getattr(article, name)
            for name in [*ARTICLE_FIELDS, *ARTICLE_UPDATE_NOTE]
        }
        record |= {name: _time(getattr(article, name)) for name in ARTICLE_TIMES}
        record |= {
            "topic": article.topic.slug,
            "author": article.author.slug,
            "medical_reviewer": article.medical_reviewer.slug
            if article.medical_reviewer
            else None,
            "approved_by": user(article.approved_by),
            "live_version": article.live_version.number
            if article.live_version
            else None,
            "faqs": [
                {"position": f.position, "question": f.question, "answer": f.answer}
                for f in article.faqs.all()
            ],
            "key_takeaways": [
                {"position": t.position, "text": t.text}
                for t in article.key_takeaways.all()
            ],
            "references": [
                {"position": r.position, **r.as_content()}
                for r in article.references.all()
            ],
            "tags": sorted(tag.slug for tag in article.tags.all()),
            "related_picks": [
                {"position": pick.position, "question": pick.target.slug}
                for pick in article.related_picks.select_related("target")
            ],
            "versions": [],
            "revisions": [],
            "events": [],
            "comments": [],
        }
        for version in article.versions.select_related(
            "topic", "author", "reviewer", "approved_by", "published_by"
        ).order_by("number"):
            item = {
                name: getattr(version, name)
                for name in [*VERSION_FIELDS, *VERSION_CHANGE_LOG]
            }
            item["review_interval_months"] = version.review_interval_months
            # HTML is never exported: loading renders it again from the Markdown.
            item["faqs"] = [
                {"question": f["question"], "answer": f["answer"]} for f in version.faqs
            ]
            item["contributors"] = [
                user(user_by_id.get(pk)) for pk in version.contributor_ids
            ]
            del item["contributor_ids"]
            if version.images:
                item["images"] = version.images
            item |= {name: _time(getattr(version, name)) for name in VERSION_TIMES}
            item |= {name: getattr(version, name).isoformat() for name in VERSION_DATES}
            item |= {
                "topic": version.topic.slug,
                "author": version.author.slug,
                "reviewer": version.reviewer.slug,
                "approved_by": user(version.approved_by),
                "published_by": user(version.published_by),
            }
            record["versions"].append(item)
        for revision in article.revisions.select_related("saved_by").order_by("number"):
            record["revisions"].append(
                {
                    "number": revision.number,
                    "content": revision.content,
                    "content_hash": revision.content_hash,
                    "saved_by": user(revision.saved_by),
                    "saved_at": _time(revision.saved_at),
                    "responsible": [
                        user(user_by_id.get(pk)) for pk in revision.responsible_ids
                    ],
                }
            )
        for event in article.events.select_related("user", "version").order_by(
            "at", "id"
        ):
            record["events"].append(
                {
                    "action": event.action,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "user": user(event.user),
                    "at": _time(event.at),
                    "comment": event.comment,
                    "content_hash": event.content_hash,
                    "version": event.version.number if event.version else None,
                }
            )
        # Numbered in creation order, so a thread comes before its replies.
        numbers = {}
        for comment in article.part_comments.select_related(
            "author", "resolved_by"
        ).order_by("id"):
            numbers[comment.pk] = len(numbers) + 1
            record["comments"].append(
                {
                    "number": numbers[comment.pk],
                    "reply_to": numbers[comment.reply_to_id]
                    if comment.reply_to_id
                    else None,
                    "part": comment.part,
                    "part_label": comment.part_label,
                    "quote": comment.quote,
                    "text": comment.text,
                    "author": user(comment.author),
                    "created_at": _time(comment.created_at),
                    "content_hash": comment.content_hash,
                    "resolved_at": _time(comment.resolved_at),
                    "resolved_by": user(comment.resolved_by),
                }
            )
        articles.append(record)

    def change_log(obj):
        return [
            {
                "field": change.field,
                "old": change.old_value,
                "new": change.new_value,
                "by": user(change.changed_by),
                "at": _time(change.changed_at),
            }
            for change in bylines.changes_of(obj).order_by("changed_at", "id")
        ]

    people = []
    for person in Person.objects.select_related(
        "user", "credentials_verified_by"
    ).order_by("slug"):
        people.append(
            {
                "slug": person.slug,
                "name": person.name,
                "credentials": person.credentials,
                **{field: getattr(person, field) for field in PERSON_PROFILE_FIELDS},
                "user": user(person.user),
                "credentials_verified_by": user(person.credentials_verified_by),
                "credentials_verified_at": _time(person.credentials_verified_at),
                "changes": change_log(person),
            }
        )
    users = [
        {
            "username": u.get_username(),
            "email": u.email,
            "first_name": u.first_name,
            "last_name": u.last_name,
        }
        for u in User.objects.filter(username__in=usernames).order_by("username")
    ]
    # Imported here: backup_images uses this module's LoadError.
    from articles.transfer.backup_images import export_images

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "users": users,
        "topics": [
            {
                "slug": t.slug,
                "name": t.name,
                "description": t.description,
                "changes": change_log(t),
            }
            for t in Topic.objects.order_by("slug")
        ],
        "tags": [
            {"slug": t.slug, "name": t.name} for t in Tag.objects.order_by("slug")
        ],
        "synonym_groups": list(
            SynonymGroup.objects.order_by("phrases").values_list("phrases", flat=True)
        ),
        "people": people,
        "site_pages": [
            {"slug": p.slug, "title": p.title, "body": p.body}
            for p in SitePage.objects.order_by("slug")
        ],
        "articles": articles,
        **export_images(),
    }
