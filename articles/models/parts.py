"""The ordered child rows of an article's working copy: FAQs, key takeaways
and references. Publishing copies them into the version's JSON fields, so
visitors never read these rows either.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from markdownx.models import MarkdownxField

from articles.models.articles import Article
from articles.models.checks import MAX_FAQ_ANSWER_LENGTH, check_text_fields
from articles.text.callouts import callout_problems
from articles.text.images import image_problems
from articles.text.rendering import render_markdown


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
        check_text_fields(self, self.TEXT_LIMITS)


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
        problems = image_problems(self.answer) + callout_problems(self.answer)
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
