"""Who may change the public details that no medical reviewer approves: the
people behind bylines and the topics articles are filed under.

A version freezes the bylines it prints, but a person's profile page, the
JSON-LD of every article and the next version's "Medically reviewed by" read
the person's row, and topic pages read the topic's. So:

- A person linked to an account is changed only by that account (their own
  profile) or an administrator. A person without an account may be changed by
  editors only until a version has named them; after that, by administrators.
- Only administrators link a person to an account or verify credentials; any
  change to a name, credentials or registration clears the verification.
- Editors may create a topic and rename it while no public article is filed
  under it; descriptions, and renames of a public topic, are administrators'.
- Every change is logged with who, when, the old and the new value
  (PublicDetailChange), shown on the person's or topic's admin page.

The admin asks here which fields a user may change and calls record_changes()
after each save; nothing else writes these rows.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from articles.models import ArticleVersion, Person, PublicDetailChange, Topic

PERSON_PUBLIC_FIELDS = [
    "name",
    "slug",
    "credentials",
    "job_title",
    "specialty",
    "registration",
    "bio",
    "profile_links",
]
# A verification is of these exact values; changing one clears it.
VERIFIED_FIELDS = {"name", "credentials", "registration"}
TOPIC_PUBLIC_FIELDS = ["name", "slug", "description"]


def _is_administrator(user: AbstractBaseUser) -> bool:
    return user.is_active and user.is_superuser


def has_been_named(person: Person) -> bool:
    """True once any version (live or past) printed this person as a byline."""
    return ArticleVersion.objects.filter(Q(author=person) | Q(reviewer=person)).exists()


def may_change_person(user: AbstractBaseUser, person: Person | None) -> bool:
    """Whether `user` may change this person's public details (None: add one)."""
    if _is_administrator(user):
        return True
    if person is None:
        return user.has_perm("articles.add_person")
    if person.user_id is not None:
        return person.user_id == user.pk
    return user.has_perm("articles.change_person") and not has_been_named(person)


def person_refusal(user: AbstractBaseUser, person: Person) -> str:
    """Why `user` may not change this person, for the admin's read-only page."""
    if person.user_id is not None:
        return (
            "This is the public profile of a staff account: only its owner or an "
            "administrator may change it."
        )
    return (
        "This byline has appeared on the public site, so its name, credentials "
        "and profile are changed by an administrator (every change is logged)."
    )


def topic_is_public(topic: Topic) -> bool:
    return Topic.objects.with_public_articles().filter(pk=topic.pk).exists()


def topic_fields_for(user: AbstractBaseUser, topic: Topic | None) -> list[str]:
    """The topic fields `user` may write: administrators all; editors a new
    topic's name and address, or those of a topic with no public article."""
    if _is_administrator(user):
        return list(TOPIC_PUBLIC_FIELDS)
    if topic is None:
        allowed = user.has_perm("articles.add_topic")
    else:
        allowed = user.has_perm("articles.change_topic") and not topic_is_public(topic)
    return ["name", "slug"] if allowed else []


def snapshot(obj: Model, fields: list[str]) -> dict[str, str]:
    """The values of `fields` now, to compare after a save."""
    return {name: str(getattr(obj, name) or "") for name in fields}


@transaction.atomic
def record_changes(
    obj: Person | Topic, *, user: AbstractBaseUser, before: dict[str, str]
) -> list[PublicDetailChange]:
    """Log each public detail of `obj` that differs from `before` (empty for a
    new row); a changed name, credentials or registration voids the
    credentials' verification."""
    fields = PERSON_PUBLIC_FIELDS if isinstance(obj, Person) else TOPIC_PUBLIC_FIELDS
    after = snapshot(obj, fields)
    content_type = ContentType.objects.get_for_model(obj)
    changes = [
        PublicDetailChange(
            content_type=content_type,
            object_id=obj.pk,
            field=name,
            old_value=before.get(name, ""),
            new_value=after[name],
            changed_by=user,
        )
        for name in fields
        if after[name] != before.get(name, "")
    ]
    PublicDetailChange.objects.bulk_create(changes)
    changed = {change.field for change in changes}
    if (
        isinstance(obj, Person)
        and obj.credentials_verified
        and changed & VERIFIED_FIELDS
    ):
        _set_verification(obj, user=user, verified=False)
    return changes


def _set_verification(person: Person, *, user, verified: bool) -> None:
    old = _verification_text(person)
    person.credentials_verified_by = user if verified else None
    person.credentials_verified_at = timezone.now() if verified else None
    person.save(update_fields=["credentials_verified_by", "credentials_verified_at"])
    PublicDetailChange.objects.create(
        content_type=ContentType.objects.get_for_model(person),
        object_id=person.pk,
        field="credentials verified",
        old_value=old,
        new_value=_verification_text(person),
        changed_by=user,
    )


def _verification_text(person: Person) -> str:
    if not person.credentials_verified:
        return ""
    return (
        f"{person.credentials} / {person.registration or 'no registration'}, "
        f"by {person.credentials_verified_by} on "
        f"{timezone.localdate(person.credentials_verified_at):%Y-%m-%d}"
    )


@transaction.atomic
def verify_credentials(person: Person, *, user: AbstractBaseUser) -> Person:
    """An administrator records that they checked this person's credentials
    and registration (for example on the professional register)."""
    if not _is_administrator(user):
        raise PermissionDenied("Only administrators verify credentials.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    _set_verification(person, user=user, verified=True)
    return person


def verifier_name(person: Person) -> str:
    """How the profile names who verified the credentials: their own byline,
    their full name, or the editorial office (never a login name)."""
    verifier = person.credentials_verified_by
    if verifier is None:
        return ""
    byline = Person.objects.filter(user=verifier).first()
    if byline is not None:
        return byline.byline
    return verifier.get_full_name() or "the editorial office"


def changes_of(obj: Model):
    """The logged changes of one person or topic, newest first."""
    return PublicDetailChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("changed_by")
