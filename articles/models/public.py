"""Rows derived for, or written only for, the public site: related links, the
stored page HTML, the public-content generation counter, and the pages about
the site itself. Kept apart from the editorial models because most of them are
recomputed from those and can be thrown away.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from articles.models.articles import Article
from articles.models.checks import check_text_fields
from articles.models.versions import ArticleVersion
from articles.text.images import image_problems
from articles.text.relevance import parse_synonyms
from articles.text.rendering import MAX_MARKDOWN_LENGTH, render_markdown


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


class SynonymGroup(models.Model):
    """Words that mean the same to a reader ("hypertension = high blood
    pressure"): editors keep these so related questions find each other
    whichever words their texts use."""

    phrases = models.CharField(
        max_length=300,
        unique=True,
        help_text=(
            "Two or more words or phrases that mean the same, separated by "
            '"=", e.g. "hypertension = high blood pressure".'
        ),
    )

    class Meta:
        ordering = ["phrases"]
        verbose_name = "synonym group"

    def __str__(self):
        return self.phrases

    def clean(self):
        if not parse_synonyms([self.phrases]):
            raise ValidationError(
                {"phrases": 'Give at least two different phrases, separated by "=".'}
            )


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
    # Names this database's review log for the partner API's change feed
    # (articles/api/v1.py): loading a backup writes the log again with new
    # ids, so it gets a new name and partners' old cursors are refused.
    history_epoch = models.CharField(max_length=16, default="", blank=True)

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
        # A site page has no reference list: "[1]" there is text.
        self.body_html = render_markdown(self.body, cite_ids=None)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:site_page", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_text_fields(self, {"body": MAX_MARKDOWN_LENGTH})
        # No images here: nobody reviews these pages' pictures.
        if problems := image_problems(self.body, library=False):
            raise ValidationError({"body": problems})
