"""Content of the health Q&A site: topics, bylines, articles and their parts."""

import datetime
import hashlib
import json
import re
from calendar import monthrange

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from markdownx.models import MarkdownxField

from articles.text.callouts import CALLOUT_HELP, callout_problems
from articles.text.control_characters import control_character_problem
from articles.text.names import name_key as reader_name_key
from articles.text.rendering import MAX_MARKDOWN_LENGTH, render_markdown

# The longest text an editor may write in each free-text field. Checked by the
# models' clean(), so the admin, the importer and the backup loader all apply
# them with the same message; a limit keeps one paste of a whole book (or a
# hostile megabyte) from reaching the renderer, the search index and the page.
MAX_FAQ_ANSWER_LENGTH = 20_000
MAX_BIO_LENGTH = 5_000
MAX_PROFILE_LINKS_LENGTH = 2_000
MAX_TOPIC_DESCRIPTION_LENGTH = 1_000


def check_text(instance, limits: dict[str, int] | None = None) -> None:
    """Refuse control characters in any text field the editor fills, and texts
    over their limit, saying where the character is or how long the text is."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not field.editable or not isinstance(
            field, (models.CharField, models.TextField)
        ):
            continue
        problem = control_character_problem(getattr(instance, field.attname) or "")
        if problem:
            errors[field.name] = problem
    for name, limit in (limits or {}).items():
        length = len(getattr(instance, name) or "")
        if length > limit and name not in errors:
            errors[name] = (
                f"This text is {length:,} characters long; the limit is "
                f"{limit:,}. Shorten it or split it up."
            )
    if errors:
        raise ValidationError(errors)


class TopicQuerySet(models.QuerySet):
    def with_public_articles(self):
        """Topics a visitor can open: those with at least one live article. An
        EXISTS per topic, not a DISTINCT over every version (5 ms against 150
        at 100,000 articles)."""
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
        check_text(self, {"description": MAX_TOPIC_DESCRIPTION_LENGTH})


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
        check_text(self)


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
        check_text(
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


class ArticleQuerySet(models.QuerySet):
    def public_q(self) -> Q:
        return Q(live_version__isnull=False)

    def public(self):
        """Articles a visitor may see: those with a live, approved and published version."""
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
        "safe list of tags." + CALLOUT_HELP,
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
        check_text(self, {"body": MAX_MARKDOWN_LENGTH})
        if self.body.strip() and not strip_tags(render_markdown(self.body)).strip():
            raise ValidationError(
                {
                    "body": "Nothing of this text would be shown: only markup "
                    "that is removed for safety (scripts, styles, frames) is left."
                }
            )
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
        problems = callout_problems(self.body)
        if problems:
            raise ValidationError({"body": problems})

    def is_public(self) -> bool:
        """True if a visitor may see this article; the same rule as ArticleQuerySet.public()."""
        return self.live_version_id is not None

    def content(self) -> dict:
        """Everything a published version would show: the text, the address, the
        topic, the author byline as printed and the review interval (it sets
        "Next review due"). Versions store the same shape."""
        return {
            "title": self.title,
            "short_answer": self.short_answer,
            "body": self.body,
            "faqs": [
                {"question": faq.question, "answer": faq.answer}
                for faq in self.faqs.order_by("position")
            ],
            "key_takeaways": [t.text for t in self.key_takeaways.order_by("position")],
            "references": [
                {"citation": r.citation, "url": r.url}
                for r in self.references.order_by("position")
            ],
            "slug": self.slug,
            "topic": self.topic.slug,
            "author": self.author.slug,
            "author_name": self.author.name,
            "author_credentials": self.author.credentials,
            "review_interval_months": self.review_interval_months,
        }

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


# Columns of a version that only its own page needs.
LONG_VERSION_FIELDS = (
    "body",
    "body_html",
    "search_vector",
    "rank_vector",
    "references",
    "key_takeaways",
)


class ArticleVersionQuerySet(models.QuerySet):
    def live(self):
        """Versions visitors see now: the live version of each public article."""
        return self.filter(live_for__isnull=False)

    def listing(self):
        """Without the long texts (body, HTML, search index): for lists, links and
        sitemaps, which show titles and short answers only."""
        return self.defer(*LONG_VERSION_FIELDS)

    def overdue_for_review(self, today: datetime.date):
        """Live versions whose periodic medical review date has passed."""
        return self.live().filter(next_review_due__lt=today)


class ArticleVersion(models.Model):
    """An immutable snapshot of a published article: what visitors were shown.

    Every version that was ever public is kept, so the site can answer "what did
    we tell people on date X?". The HTML is rendered once, when it is created.
    """

    class Kind(models.TextChoices):
        PUBLICATION = "publication", "New text published"
        REREVIEW = "rereview", "Periodic review, text unchanged"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    short_answer = models.TextField()
    body = models.TextField()
    body_html = models.TextField()
    # An article may have no FAQs, takeaways or references: empty lists are valid.
    faqs = models.JSONField(default=list, blank=True)
    key_takeaways = models.JSONField(default=list, blank=True)
    references = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="versions")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=120)
    author_credentials = models.CharField(max_length=120, blank=True)
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(max_length=120)
    reviewer_credentials = models.CharField(max_length=120, blank=True)
    revision_number = models.PositiveIntegerField(
        default=0, help_text="The draft revision whose text this version published."
    )
    contributor_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="Accounts that edited this text since the previous version.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    first_published_at = models.DateTimeField()
    content_updated_at = models.DateTimeField()
    last_reviewed_on = models.DateField()
    next_review_due = models.DateField()
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    change_summary = models.CharField(
        max_length=200,
        blank=True,
        help_text="The public one-line summary of what changed in this version.",
    )
    is_correction = models.BooleanField(
        default=False, help_text="This version corrects an error in the previous one."
    )
    # PostgreSQL full-text index of the words (articles.publishing.search fills it once,
    # when the version is created); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The same index for the title, FAQ questions and short answer only: search
    # ranks matches with this small vector, not the whole text's.
    rank_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        indexes = [
            models.Index(fields=["slug"]),
            models.Index(fields=["next_review_due"]),
            # The home page's "recently updated": read in this order, stopping
            # after a dozen live ones, instead of sorting every version.
            models.Index(fields=["-content_updated_at"], name="version_updated_idx"),
            # The sitemap index's lastmod: the newest live publication, read
            # from the top of this index instead of every live version.
            models.Index(fields=["-published_at"], name="version_published_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__gt=F("last_reviewed_on")),
                name="version_review_due_after_review",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Published versions are immutable; publish a new version.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        raise TypeError("Published versions are kept forever.")

    @classmethod
    def from_article(cls, article: Article) -> "ArticleVersion":
        """An unsaved snapshot of the working copy's text and bylines.

        Publishing stamps and saves it; the staff preview renders it unsaved, so
        a preview shows exactly what publishing would store.
        """
        content = article.content()
        reviewer = article.medical_reviewer
        return cls(
            article=article,
            title=content["title"],
            slug=article.slug,
            short_answer=content["short_answer"],
            body=content["body"],
            body_html=render_markdown(content["body"]),
            faqs=[
                {**faq, "answer_html": render_markdown(faq["answer"])}
                for faq in content["faqs"]
            ],
            key_takeaways=content["key_takeaways"],
            references=content["references"],
            content_hash=content_fingerprint(content),
            topic=article.topic,
            author=article.author,
            author_name=article.author.name,
            author_credentials=article.author.credentials,
            reviewer=reviewer,
            reviewer_name=reviewer.name if reviewer else "",
            reviewer_credentials=reviewer.credentials if reviewer else "",
            review_interval_months=content["review_interval_months"],
            change_summary=article.change_summary,
            is_correction=article.is_correction,
        )

    def content(self) -> dict:
        """What this version shows, in the same shape as Article.content()."""
        return {
            "title": self.title,
            "short_answer": self.short_answer,
            "body": self.body,
            "faqs": [
                {"question": f["question"], "answer": f["answer"]} for f in self.faqs
            ],
            "key_takeaways": list(self.key_takeaways),
            "references": [
                {"citation": r["citation"], "url": r["url"]} for r in self.references
            ],
            "slug": self.slug,
            "topic": self.topic.slug,
            "author": self.author.slug,
            "author_name": self.author_name,
            "author_credentials": self.author_credentials,
            "review_interval_months": self.review_interval_months,
        }

    @property
    def is_update(self) -> bool:
        """A later publication of new text (not the first one, not a periodic
        review): the page and the feed show its change summary as an update."""
        return self.kind == self.Kind.PUBLICATION and self.number > 1

    def faq_items(self) -> list[dict]:
        """FAQs with the anchor each one has on the page (#faq-1, #faq-2, ...)."""
        return [
            {**faq, "anchor": f"faq-{number}"}
            for number, faq in enumerate(self.faqs, start=1)
        ]


class ReviewEvent(models.Model):
    """One line of an article's audit log: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved"
        REQUEST_CHANGES = "request_changes", "Changes requested"
        PUBLISH = "publish", "Published"
        UNPUBLISH = "unpublish", "Withdrawn"
        RECONFIRM = "reconfirm", "Periodic review confirmed"
        EDIT = "edit", "Edited"
        RESTORE = "restore", "Earlier draft restored"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        ArticleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    comment = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class DraftRevision(models.Model):
    """The working copy's text after one save: draft history that can be restored,
    and the record of who edited since the last approval (four eyes)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    responsible_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="Accounts whose unapproved writing is in this text: the savers "
        "since the last approval, or, after a restore, those of the restored text.",
    )

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_unique_number"
            ),
        ]

    def __str__(self):
        return f"Revision {self.number} of “{self.article}”"


class ArticlePart(models.Model):
    """An ordered child row of an article (FAQ, key takeaway, reference)."""

    position = models.PositiveIntegerField(
        default=1, help_text="Order on the page: 1 comes first."
    )
    TEXT_LIMITS: dict[str, int] = {}

    class Meta:
        abstract = True
        ordering = ["position"]

    def clean(self):
        super().clean()
        check_text(self, self.TEXT_LIMITS)


class FAQ(ArticlePart):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300, help_text='Ends with "?".')
    answer = MarkdownxField(help_text="Markdown, one or two short paragraphs.")
    answer_html = models.TextField(editable=False, default="")

    class Meta(ArticlePart.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="faq_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(question=""), name="faq_question_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(answer=""), name="faq_answer_not_empty"
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render_markdown(self.answer)
        super().save(*args, **kwargs)

    TEXT_LIMITS = {"answer": MAX_FAQ_ANSWER_LENGTH}

    def clean(self):
        super().clean()
        problems = callout_problems(self.answer)
        if problems:
            raise ValidationError({"answer": problems})


class KeyTakeaway(ArticlePart):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="key_takeaways"
    )
    text = models.CharField(max_length=400)

    class Meta(ArticlePart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="keytakeaway_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="keytakeaway_text_not_empty"
            ),
        ]

    def __str__(self):
        return self.text


class Reference(ArticlePart):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    citation = models.CharField(
        max_length=500,
        help_text="Author or organisation, title, publisher, year.",
    )
    url = models.URLField("URL", max_length=500, blank=True)

    class Meta(ArticlePart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="reference_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(citation=""), name="reference_citation_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__startswith="https://")
                | Q(url__startswith="http://"),
                name="reference_url_is_web_address",
            ),
        ]

    def __str__(self):
        return self.citation


class RelatedPick(models.Model):
    """A related question an editor chose for an article; shown before the
    computed ones, while the picked article is public."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_picks"
    )
    target = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="related question",
    )
    position = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target"], name="relatedpick_unique_target"
            ),
            models.CheckConstraint(
                condition=~Q(article=F("target")), name="relatedpick_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.target}"


class RelatedLink(models.Model):
    """A link shown on a public article page, computed by articles.publishing.related when
    something is published or withdrawn: never per request."""

    class Kind(models.TextChoices):
        PICKED = "picked", "Picked by an editor"
        COMPUTED = "computed", "Computed"
        FAQ = "faq", "Full answer to an FAQ"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField()
    faq_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="For FAQ links: which FAQ (1, 2, ...)."
    )

    class Meta:
        ordering = ["article", "position"]
        indexes = [models.Index(fields=["target"])]

    def __str__(self):
        return f"{self.article} → {self.target} ({self.kind})"


class PublicState(models.Model):
    """One row counting changes to what visitors can see (articles.web.page_cache):
    page-cache keys and ETags carry the count, so no process serves an old page.
    Plain integers, so reading it on every request is one cheap query."""

    generation = models.PositiveBigIntegerField(default=0)
    changed_us = models.BigIntegerField(
        default=0, help_text="When it last changed, in microseconds since 1970."
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Public content generation {self.generation}"


class ArticlePage(models.Model):
    """A public article page's <head> tags and main block as HTML, rendered by
    articles.publishing.stored_pages when a version is published or its links change, so a visit
    reads one row and renders no Markdown and no per-item template loops.

    Derived data: a row whose version is no longer live, or that was rendered
    by other templates (`renderer`), is ignored and rendered again.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="page"
    )
    version = models.ForeignKey(
        ArticleVersion, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    description = models.TextField()
    head_html = models.TextField()
    content_html = models.TextField()
    renderer = models.CharField(
        max_length=64, help_text="Fingerprint of the templates that rendered it."
    )
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Rendered page of {self.article}"


class SitePage(models.Model):
    """A page about the site itself (editorial policy, how content is reviewed),
    written in the admin and shown at /about/<slug>/; the footer links to them."""

    EDITORIAL_POLICY = "editorial-policy"
    HOW_WE_REVIEW = "how-we-review"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=f'The page address. The footer links to "{EDITORIAL_POLICY}" and '
        f'"{HOW_WE_REVIEW}".',
    )
    body = MarkdownxField(help_text="Markdown, as in articles.")
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="site_page_title_not_empty"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:site_page", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_text(self, {"body": MAX_MARKDOWN_LENGTH})
