"""The working copy of an article that editors change (Article), the one
definition of which articles visitors may see (public_article_q), and the
fingerprint an approval holds for. Visitors never read these rows: they read
the live ArticleVersion (articles.models.versions).
"""

import datetime
import hashlib
import json
from calendar import monthrange

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from markdownx.models import MarkdownxField

from articles.models.checks import check_text_fields
from articles.models.people import Person, Tag, Topic
from articles.text.callouts import CALLOUT_HELP, callout_problems
from articles.text.images import image_problems, library_keys
from articles.text.rendering import MAX_MARKDOWN_LENGTH, render_markdown


def public_article_q(to_article: str = "") -> Q:
    """Which rows visitors may see: the only spelling of visibility in the
    models. Every other rule (ArticleQuerySet.public(), Article.is_public(),
    ArticleVersionQuerySet.live(), TopicQuerySet.with_public_articles()) is
    built on this one; change it here and they all follow.

    An article is public while it has a live version: Article.live_version,
    which articles.review.workflow sets only to a version it publishes (or
    re-confirms on periodic review) and clears when the article is withdrawn. `to_article` is the
    lookup path from the filtered model to that Article, e.g. "live_for__"
    from the version an article has live.
    """
    return Q(**{f"{to_article}live_version__isnull": False})


class ArticleQuerySet(models.QuerySet):
    def public_q(self) -> Q:
        """public_article_q() for Article itself."""
        return public_article_q()

    def public(self):
        """Articles a visitor may see (public_article_q)."""
        return self.filter(self.public_q())

    def with_bylines(self):
        """Fetch topic and bylines in the same query, for pages that print them."""
        return self.select_related("topic", "author", "medical_reviewer")


class Article(models.Model):
    """The working copy editors change. Visitors never read it: they read its
    live ArticleVersion, an immutable snapshot of text a reviewer approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        "question",
        max_length=200,
        help_text='The question the article answers, as a reader would ask it, ending in "?".',
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the page address. Changing it takes effect when "
        "the next version is published.",
    )
    short_answer = models.TextField(
        max_length=500,
        help_text="One or two plain sentences that answer the question directly. "
        "Shown first, in a highlighted box, and as the page description.",
    )
    body = MarkdownxField(
        help_text="Markdown. Start sections with '## Heading'; numbered lists with "
        "'1. ', bullets with '- ', tables with '| a | b |' rows. HTML is limited to a "
        "safe list of tags. Cite a reference by its number: [1], [1, 3] or [2-4]."
        + CALLOUT_HELP,
    )
    body_html = models.TextField(editable=False, default="")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="articles_written"
    )
    tags = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="articles",
        help_text="Keywords used to suggest related questions.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="How often a clinician must re-check the published article. "
        "It sets the public “Next review due” date, so it is reviewed with the text.",
    )
    change_summary = models.CharField(
        "public summary of this update",
        max_length=200,
        blank=True,
        help_text="One line readers see as “Updated: …” (and in Page history and "
        "the feed) when this text replaces a published version; required then. "
        "The medical reviewer approves it with the text.",
    )
    is_correction = models.BooleanField(
        "this update corrects an error",
        default=False,
        help_text="Readers see it listed under Corrections. Reviewed with the text.",
    )
    # Everything below is owned by articles.review.workflow; the admin shows it read-only.
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        editable=False,
    )
    medical_reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="articles_reviewed",
        null=True,
        blank=True,
        editable=False,
        help_text="The clinician who approved the current text.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_content_hash = models.CharField(max_length=64, blank=True, editable=False)
    last_approved_revision = models.PositiveIntegerField(default=0, editable=False)
    live_version = models.OneToOneField(
        "ArticleVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="live_for",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "title"]
        permissions = [
            ("publish_article", "Can publish and unpublish articles"),
            ("review_article", "Can medically review articles"),
        ]
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            # The admin list's default order: its first page read from the
            # index, not a sort of every article (100,000 in the benchmark).
            models.Index(fields=["-updated_at", "title"], name="article_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="article_title_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(slug=""), name="article_slug_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(short_answer=""), name="article_short_answer_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(live_version__isnull=False),
                name="published_article_has_live_version",
                violation_error_message="A published article needs a live version.",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    Q(approved_by__isnull=False, medical_reviewer__isnull=False)
                    & ~Q(approved_content_hash="")
                ),
                name="approved_article_has_approver_and_hash",
                violation_error_message="An approved article needs its approver and "
                "the fingerprint of the text they approved.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store the rendered body. Updating an existing row writes only the
        editable fields unless `update_fields` names others, so a stale copy of
        an article can never undo a review decision; articles.review.workflow names
        the workflow fields it changes."""
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if (
            update_fields is None
            and not self._state.adding
            and not kwargs.get("force_insert")
        ):
            update_fields = [
                f.name
                for f in self._meta.concrete_fields
                if f.editable and not f.primary_key
            ]
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body_html", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # First, so an oversized body never reaches the checks below.
        check_text_fields(self, {"body": MAX_MARKDOWN_LENGTH})
        problems = image_problems(self.body)
        # An image-only body says why it is refused below, not that nothing shows.
        if (
            not problems
            and self.body.strip()
            and not strip_tags(render_markdown(self.body)).strip()
        ):
            raise ValidationError(
                {
                    "body": "Nothing of this text would be shown: only markup "
                    "that is removed for safety (scripts, styles, frames) is left."
                }
            )
        from articles.models.versions import ArticleVersion

        taken = (
            ArticleVersion.objects.live()
            .filter(slug=self.slug)
            .exclude(article_id=self.pk)
            .exists()
        )
        if self.slug and taken:
            raise ValidationError(
                {"slug": "Another published article uses this address."}
            )
        problems += callout_problems(self.body) + unknown_images(self.body)
        if problems:
            raise ValidationError({"body": problems})

    def is_public(self) -> bool:
        """True if a visitor may see this article: public_article_q() read off
        this row's own column, without a query."""
        return self.live_version_id is not None

    def image_keys(self) -> list[str]:
        """The library images the body and FAQ answers show, in order."""
        texts = [self.body, *(faq.answer for faq in self.faqs.all())]
        return list(dict.fromkeys(key for text in texts for key in library_keys(text)))

    def content(self) -> dict:
        """Everything a published version would show: the text, the address, the
        topic, the author byline as printed and the review interval (it sets
        "Next review due"), and the library images it shows, if any (so a new
        picture or alt text voids an approval). Versions store the same shape."""
        content = {
            "title": self.title,
            "short_answer": self.short_answer,
            "body": self.body,
            "faqs": [
                {"question": faq.question, "answer": faq.answer}
                for faq in self.faqs.order_by("position")
            ],
            "key_takeaways": [t.text for t in self.key_takeaways.order_by("position")],
            "references": [
                r.as_content() for r in self.references.order_by("position")
            ],
            "slug": self.slug,
            "topic": self.topic.slug,
            "author": self.author.slug,
            "author_name": self.author.name,
            "author_credentials": self.author.credentials,
            "review_interval_months": self.review_interval_months,
        }
        keys = self.image_keys()
        if keys:
            from articles.models.images import snapshots

            found = snapshots(keys)
            content["images"] = [found[key] for key in keys if key in found]
        return content

    def content_hash(self) -> str:
        return content_fingerprint(self.content())

    def approval_content(self) -> dict:
        """What a medical reviewer approves: the content, and the public note
        about this update that will be printed with it."""
        return {
            **self.content(),
            "change_summary": self.change_summary,
            "is_correction": self.is_correction,
        }

    def approval_hash(self) -> str:
        """The fingerprint an approval holds for; any change to it voids the approval."""
        return content_fingerprint(self.approval_content())


def unknown_images(text: str) -> list[str]:
    """A message for each library image the text names that the library
    does not hold."""
    keys = library_keys(text)
    if not keys:
        return []
    from articles.models.images import LibraryImage

    known = set(LibraryImage.objects.filter(key__in=keys).values_list("key", flat=True))
    return [
        f"There is no image {key!r} in the image library: upload it there first "
        "and copy the line it gives."
        for key in keys
        if key not in known
    ]


def content_fingerprint(content: dict) -> str:
    """SHA-256 of an article's content; an approval is valid only for this exact value."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, monthrange(year, month)[1])
    )
