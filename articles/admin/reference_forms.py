"""The article form's references: one stacked row per source, in parts, and
the citation check of the text saved with them.

ReferenceFormSet refuses a save whose body or FAQ answers cite a reference
that the saved list would not have ("[4]" with three references), reading the
body from the article form and the answers from the FAQ formset saved in the
same request (ArticleAdmin._create_formsets hands every formset its siblings).
A reference nothing cites is only advice: ArticleAdmin shows it after saving.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from articles.admin.article_forms import ArticlePartForm, OrderedPartFormSet
from articles.models import Article, Reference
from articles.text.citations import CitationReport, citation_problems, citations_of


class ReferenceFormSet(OrderedPartFormSet):
    def clean(self):
        super().clean()
        kept = self.kept_forms()
        texts = [("The body", self.instance.body)]
        faqs = next(
            (s for s in getattr(self, "siblings", []) if s.model.__name__ == "FAQ"),
            None,
        )
        if faqs is not None and faqs.is_valid():
            answers = [
                form.cleaned_data.get("answer", "") for form in faqs.kept_forms()
            ]
            texts += [
                (f"FAQ {n} answer", answer) for n, answer in enumerate(answers, 1)
            ]
        report = citation_problems(texts, len(kept))
        if report.refusals:
            raise ValidationError(report.refusals)


class ReferenceInline(admin.StackedInline):
    model = Reference
    form = ArticlePartForm
    formset = ReferenceFormSet
    extra = 1
    fields = [
        "position",
        ("kind", "year"),
        "authors",
        "title",
        "publisher",
        ("doi", "pmid"),
        ("url", "accessed_on"),
        "citation",
    ]
    # A reference typed without a scheme ("www.nhs.uk/...") is a secure web address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def citation_report(article: Article) -> CitationReport:
    """The citation check of the saved working copy (its advice follows a save)."""
    return citations_of(article.content())
