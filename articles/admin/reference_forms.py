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
from articles.models import FAQ, Article, Reference
from articles.text.citations import (
    citation_problems,
    citations_in,
)


class ReferenceForm(ArticlePartForm):
    def _post_clean(self):
        # A reference saved before references needed a link is kept as it is
        # while nobody changes it, so an urgent correction elsewhere in the
        # article can be saved; once an editor changes it, it needs one.
        self.instance.loaded_as_it_was = (
            bool(self.instance.pk) and not self.has_changed()
        )
        super()._post_clean()


class ReferenceFormSet(OrderedPartFormSet):
    def clean(self):
        super().clean()
        kept = self.kept_forms()
        texts = [("The body", self.instance.body)]
        faqs = next(
            (s for s in getattr(self, "siblings", []) if s.model is FAQ),
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
        if moved := self._repointed(kept, texts):
            raise ValidationError(moved)

    def _repointed(self, kept, texts) -> list[str]:
        """Citations that would name another source because a reference was
        removed or moved while the text citing it kept its numbers."""
        if self.instance.pk is None:
            return []
        saved = Article.objects.get(pk=self.instance.pk)
        before = list(saved.references.order_by("position"))
        after = sorted(kept, key=lambda form: form.cleaned_data["position"])
        old_texts = [
            saved.body,
            *saved.faqs.order_by("position").values_list("answer", flat=True),
        ]
        cited = [n for _, text in texts for n in citations_in(text)]
        if cited != [n for text in old_texts for n in citations_in(text)]:
            return []  # the editor renumbered the citations in this save
        problems = []
        for number in sorted(set(cited)):
            if number > min(len(before), len(after)):
                continue
            was, now = before[number - 1], after[number - 1].instance
            if was.pk != now.pk:
                problems.append(
                    f"[{number}] in the text would now cite “{now}” instead of "
                    f"“{was}”. Keep the references in their order, or change the "
                    "numbers in the text in the same save."
                )
        return problems


class ReferenceInline(admin.StackedInline):
    model = Reference
    form = ReferenceForm
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
