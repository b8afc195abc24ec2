"""The ordered child rows of an article's working copy: FAQs, key takeaways
and references. Publishing copies them into the version's JSON fields, so
visitors never read these rows either.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from markdownx.models import MarkdownxField

from articles.models.articles import Article
from articles.models.checks import MAX_FAQ_ANSWER_LENGTH, check_text_fields
from articles.text.callouts import callout_problems
from articles.text.identifiers import MAX_DOI_LENGTH, parse_doi, parse_pmid
from articles.text.images import image_problems
from articles.text.references import REFERENCE_FIELDS, reference_content
from articles.text.rendering import render_markdown

# The earliest year a cited source may give (older classics are cited by edition).
FIRST_YEAR = 1800


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
        from articles.models.articles import unknown_images

        problems = (
            image_problems(self.answer)
            + callout_problems(self.answer)
            + unknown_images(self.answer)
        )
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
    """A source the article rests on, in parts (authors, title, journal, year,
    DOI, PMID, address), or as the citation was written before references had
    parts. Snapshot into the version by Article.content() via as_content()."""

    class Kind(models.TextChoices):
        STUDY = "study", "Study"
        GUIDELINE = "guideline", "Guideline"
        REVIEW = "review", "Review"
        WEB_PAGE = "web", "Web page"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    authors = models.CharField(
        max_length=300, blank=True, help_text="People or organisation, as cited."
    )
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField("journal or publisher", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Room for the pasted forms ("https://doi.org/...", "PMID: ..."); clean()
    # stores the bare identifier.
    doi = models.CharField(
        "DOI",
        max_length=MAX_DOI_LENGTH + 50,
        blank=True,
        help_text="Such as 10.1136/bmj.m1234.",
    )
    pmid = models.CharField(
        "PMID", max_length=60, blank=True, help_text="PubMed id, such as 31978945."
    )
    url = models.URLField("URL", max_length=500, blank=True)
    accessed_on = models.DateField(
        "accessed", null=True, blank=True, help_text="When the web page was read."
    )
    citation = models.CharField(
        "citation as written",
        max_length=500,
        blank=True,
        help_text="Only when the parts are unknown: the citation as one line.",
    )

    class Meta(ArticlePart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="reference_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(citation="") | ~Q(title=""),
                name="reference_has_title_or_citation",
            ),
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__startswith="https://")
                | Q(url__startswith="http://"),
                name="reference_url_is_web_address",
            ),
        ]

    # A reference kept as it was may lack a link, as those from before
    # references needed one do: set by a backup load and, for unchanged rows,
    # by the article form (articles/admin/reference_forms.py).
    loaded_as_it_was = False

    def __str__(self):
        return self.title or self.citation

    def clean(self):
        super().clean()
        errors = {}
        for name, parse in (("doi", parse_doi), ("pmid", parse_pmid)):
            try:
                setattr(self, name, parse(getattr(self, name) or ""))
            except ValueError as problem:
                errors[name] = str(problem)
        if not (self.url or self.doi or self.pmid or errors or self.loaded_as_it_was):
            errors["url"] = (
                "Give a URL, a DOI or a PMID, so readers and reviewers can find "
                "this source."
            )
        has_parts = any([self.authors, self.title, self.publisher, self.year])
        if self.citation and has_parts:
            errors["citation"] = (
                "Give either the parts (authors, title, journal, year) or the "
                "citation as written, not both."
            )
        elif not self.citation and not self.title:
            errors["title"] = "Give the source's title."
        if self.year and not FIRST_YEAR <= self.year <= timezone.localdate().year:
            errors["year"] = (
                f"Give the year it was published, from {FIRST_YEAR} to this year."
            )
        if self.accessed_on and self.accessed_on > timezone.localdate():
            errors["accessed_on"] = "The date you read it cannot be in the future."
        if errors:
            raise ValidationError(errors)

    def as_content(self) -> dict:
        """This reference as the version stores it (references.reference_content)."""
        return reference_content(
            {name: getattr(self, name) for name in REFERENCE_FIELDS}
        )
