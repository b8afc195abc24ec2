"""Content of the health Q&A site: topics, bylines, articles and their parts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from articles.rendering import render_markdown


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the topic page."
    )

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


class Person(models.Model):
    """A public byline: an author or a medical reviewer, with credentials."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    credentials = models.CharField(
        max_length=120,
        blank=True,
        help_text='Post-nominal letters as they should appear, e.g. "MD, FACOG".',
    )
    bio = models.TextField(blank=True, help_text="A short public biography.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The staff account of this person, if they have one.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_empty"),
        ]

    def __str__(self):
        return self.byline

    @property
    def byline(self) -> str:
        """Name with credentials, as printed under an article."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ArticleQuerySet(models.QuerySet):
    def public_q(self) -> Q:
        return Q(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def public(self):
        """Articles a visitor may see: published, with a publication time not in the future."""
        return self.filter(self.public_q())

    def with_bylines(self):
        """Fetch topic and bylines in the same query, for pages that print them."""
        return self.select_related("topic", "author", "medical_reviewer")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        "question",
        max_length=200,
        help_text='The question the article answers, as a reader would ask it, ending in "?".',
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the page address."
    )
    short_answer = models.TextField(
        max_length=500,
        help_text="One or two plain sentences that answer the question directly. "
        "Shown first, in a highlighted box, and as the page description.",
    )
    body = MarkdownxField(
        help_text="Markdown. Start sections with '## Heading'; numbered lists with "
        "'1. ', bullets with '- ', tables with '| a | b |' rows. HTML is limited to a "
        "safe list of tags.",
    )
    body_html = models.TextField(editable=False, default="")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="articles_written"
    )
    medical_reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="articles_reviewed",
        null=True,
        blank=True,
        help_text="The clinician named as medical reviewer. Required to publish.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the article was first published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "title"]
        permissions = [
            ("publish_article", "Can publish and unpublish articles"),
            ("review_article", "Can medically review articles"),
        ]
        indexes = [models.Index(fields=["status", "-updated_at"])]
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
                condition=~Q(status="published")
                | Q(published_at__isnull=False, medical_reviewer__isnull=False),
                name="published_article_has_date_and_reviewer",
                violation_error_message=(
                    "A published article needs a publication date and a medical reviewer."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def is_public(self) -> bool:
        """True if a visitor may see this article; the same rule as ArticleQuerySet.public()."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class ArticlePart(models.Model):
    """An ordered child row of an article (FAQ, key takeaway, reference)."""

    position = models.PositiveIntegerField(
        default=1, help_text="Order on the page: 1 comes first."
    )

    class Meta:
        abstract = True
        ordering = ["position"]


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

    @property
    def anchor(self) -> str:
        """The fragment id of this FAQ on the article page, stable across edits of its text."""
        return f"faq-{self.position}"


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
