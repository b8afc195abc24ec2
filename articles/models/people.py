"""Topics, tags and bylines: the details around articles that no medical
reviewer approves, and the log of changes to the public ones
(PublicDetailChange). Kept apart from articles because they are edited on
their own, and topics and people have pages of their own.
"""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from articles.models.checks import (
    MAX_BIO_LENGTH,
    MAX_PROFILE_LINKS_LENGTH,
    MAX_TOPIC_DESCRIPTION_LENGTH,
    check_text_fields,
)
from articles.text.names import name_key as reader_name_key


class TopicQuerySet(models.QuerySet):
    def with_public_articles(self):
        """Topics a visitor can open: those with at least one live article. An
        EXISTS per topic, not a DISTINCT over every version (5 ms against 150
        at 100,000 articles). A topic is that of the live version, which is
        the one visitors see, not the working copy's."""
        from articles.models.versions import ArticleVersion

        live = ArticleVersion.objects.live().filter(topic_id=OuterRef("pk"))
        return self.filter(Exists(live.order_by()))


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True,
        help_text="One or two plain sentences shown on the topic page. Public "
        "text no medical reviewer approves, so only administrators write it.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="topic_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_text_fields(self, {"description": MAX_TOPIC_DESCRIPTION_LENGTH})


class Tag(models.Model):
    """A keyword shared across topics (e.g. "sleep", "medicines"): it helps find
    related questions; visitors do not see it."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        check_text_fields(self)


class Person(models.Model):
    """A public byline: an author or a medical reviewer, with credentials."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credentials = models.CharField(
        max_length=120,
        blank=True,
        help_text='Post-nominal letters as they should appear, e.g. "MD, FACOG".',
    )
    job_title = models.CharField(
        max_length=120,
        blank=True,
        help_text='Their role, e.g. "General practitioner" or "Health writer".',
    )
    specialty = models.CharField(
        max_length=120, blank=True, help_text='e.g. "Obstetrics and gynaecology".'
    )
    registration = models.CharField(
        max_length=120,
        blank=True,
        help_text='Professional registration, if any, e.g. "GMC 7654321".',
    )
    bio = models.TextField(
        blank=True,
        help_text="A short public biography in plain text; a blank line starts "
        "a new paragraph.",
    )
    profile_links = models.TextField(
        blank=True,
        help_text="Public profiles elsewhere (a register entry, a university "
        "page), one https:// address per line.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The staff account of this person, if they have one.",
    )
    # Set only by administrators (articles.review.bylines.verify_credentials) and
    # cleared by any change to the name, credentials or registration.
    credentials_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    credentials_verified_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    name_key = models.CharField(
        max_length=120,
        editable=False,
        db_index=True,
        default="",
        help_text="The name as a reader tells it apart (articles.text.names).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_empty"),
        ]

    def __str__(self):
        return self.byline

    def save(self, *args, **kwargs):
        self.name_key = reader_name_key(self.name)[:120]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})

    @property
    def byline(self) -> str:
        """Name with credentials, as printed under an article."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def is_same_person(self, other: "Person | None") -> bool:
        """True if `other` is this byline, or one a reader cannot tell apart
        from it (articles.text.names): the four-eyes rule compares people this way."""
        if other is None:
            return False
        return other.pk == self.pk or reader_name_key(other.name) == reader_name_key(
            self.name
        )

    def look_alikes(self):
        """Other people whose name a reader could not tell apart from this one."""
        return list(
            Person.objects.exclude(pk=self.pk)
            .filter(name_key=reader_name_key(self.name)[:120])
            .only("name", "slug")
        )

    @property
    def credentials_verified(self) -> bool:
        return self.credentials_verified_at is not None

    def links(self) -> list[str]:
        """The profile links, one per line, blank lines ignored."""
        return [
            line.strip() for line in self.profile_links.splitlines() if line.strip()
        ]

    def clean(self):
        super().clean()
        check_text_fields(
            self,
            {"bio": MAX_BIO_LENGTH, "profile_links": MAX_PROFILE_LINKS_LENGTH},
        )
        if self.name and not reader_name_key(self.name):
            raise ValidationError({"name": "Give the person's name in letters."})
        same = self.look_alikes() if self.name else []
        if same:
            raise ValidationError(
                {
                    "name": f"“{same[0].name}” ({same[0].slug}) already has a "
                    "byline, and readers could not tell these names apart. Use "
                    "that person, or give this one a name that tells them apart "
                    "(for example with a middle initial)."
                }
            )
        bad = [
            link
            for link in self.links()
            if not re.fullmatch(r"https?://[^\s<>\"']+", link)
        ]
        if bad:
            raise ValidationError(
                {
                    "profile_links": "Each line must be one web address starting "
                    f"with https:// or http://; not: {', '.join(bad[:3])}"
                }
            )


class PublicDetailChange(models.Model):
    """One change to a public detail outside any reviewed version (a person's
    name, credentials or bio, a topic's name or description): who, when, the
    old and the new value. Written by articles.review.bylines; never edited."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    changed = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=60)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "change to public details"
        verbose_name_plural = "changes to public details"

    def __str__(self):
        return f"{self.field} changed by {self.changed_by} at {self.changed_at:%Y-%m-%d %H:%M}"
