"""The article change form's parts: ordered inlines, the form itself, the
plain-text import form and the review-queue filter. Every form here stores
line breaks as "\\n" (NormalisedNewlines)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from articles.models import (
    FAQ,
    Article,
    KeyTakeaway,
    Person,
    RelatedPick,
    Topic,
)
from articles.review import four_eyes, periodic, plain_language
from articles.text.newlines import normalise_newlines
from articles.transfer.plain_text import (
    MAX_INPUT_CHARS,
    ArticleImportError,
    decode_text,
    parse_article,
)

NEW_ROW_POSITION_HELP = (
    "Order on the page: 1 comes first. Leave it empty to add the row last."
)


class NormalisedNewlines:
    """Text with "\\n" line breaks, before any field is checked; text sent back
    unchanged stays exactly as stored.

    Browsers send each line break of a textarea as "\\r\\n"; stored text uses
    "\\n" (articles/text/newlines.py). Normalising the submitted data, not the
    cleaned values, makes length limits count what is stored and lets a row
    whose only difference is its line breaks count as unchanged. Text fields
    also lose the whitespace at their ends (Django strips it), which would
    change a stored body ending in a line break, as the demo articles do,
    whenever its form is saved; so text sent back exactly as stored keeps it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        names = [
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField)
        ]
        data = self.data.copy()  # a request's QueryDict cannot be changed
        for name in names:
            if hasattr(data, "setlist"):
                values = data.getlist(name)
                if values:
                    data.setlist(name, [_normalised(value) for value in values])
            elif name in data:
                data[name] = _normalised(data[name])
        self.data = data

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return cleaned
        for name, value in cleaned.items():
            stored = getattr(instance, name, None)
            if isinstance(value, str) and isinstance(stored, str):
                stored = normalise_newlines(stored)
                if value != stored and self[name].data == stored:
                    cleaned[name] = stored
        return cleaned


def _normalised(value):
    return normalise_newlines(value) if isinstance(value, str) else value


class ArticlePartForm(NormalisedNewlines, forms.ModelForm):
    """An inline row's form (the inline names the model and fields)."""


class OrderedPartFormSet(BaseInlineFormSet):
    """Inline rows with a position: new rows are numbered after the existing ones,
    two rows may not share a number, and rows can swap places in one save.

    The first blank row shows the next free number. A row added with "Add
    another" is a copy of empty_form, so its position is left empty instead
    of the model's default (which every copy would share): an empty position
    on a new row means "last", and clean() numbers such rows in page order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = [obj.position for obj in self.get_queryset()]
        start = max(taken, default=0) + 1
        self.initial_extra = [{"position": start + i} for i in range(self.extra)]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is None:
            position = form.fields["position"]
            position.required, position.initial = False, None
            position.help_text = NEW_ROW_POSITION_HELP

    def clean(self):
        super().clean()
        seen = set()
        unnumbered = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            position = form.cleaned_data.get("position")
            if position is None:
                if "position" not in form.errors:
                    unnumbered.append(form)
                continue
            if position in seen:
                raise ValidationError(
                    f"Two rows have position {position}. Give each row its own number."
                )
            seen.add(position)
        taken = seen | {obj.position for obj in self.get_queryset()}
        for number, form in enumerate(unnumbered, start=max(taken, default=0) + 1):
            form.cleaned_data["position"] = form.instance.position = number

    def kept_forms(self) -> list:
        """The valid rows this save keeps (not deleted, not a blank extra row)."""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and self._should_delete_form(form))
            and (form.has_changed() or form.instance.pk is not None)
        ]

    def validate_unique(self):
        # Positions are checked across the submitted rows in clean(); the rows'
        # own database check would refuse a swap of two existing positions.
        pass

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            # Park the rows that move on unused numbers first, so a swap never
            # meets the unique (article, position) constraint half-way.
            # Rows about to be deleted are parked too: a moved row may take the
            # position of one that is deleted in the same save.
            parked_base = 1_000_000
            for form in self.initial_forms:
                if "position" in form.changed_data or self._should_delete_form(form):
                    self.model.objects.filter(pk=form.instance.pk).update(
                        position=parked_base + form.instance.pk
                    )
            return super().save(commit=True)


class KeyTakeawayInline(admin.TabularInline):
    model = KeyTakeaway
    form = ArticlePartForm
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "text"]


class FAQInline(admin.StackedInline):
    model = FAQ
    form = ArticlePartForm
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "question", "answer"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class RelatedPickInline(admin.TabularInline):
    model = RelatedPick
    fk_name = "article"
    formset = OrderedPartFormSet
    extra = 1
    fields = ["position", "target"]
    autocomplete_fields = ["target"]
    verbose_name = "related question picked by an editor"
    verbose_name_plural = (
        "related questions picked by editors (shown first, while they are public)"
    )


def plain_language_report(article: Article):
    """Advisory plain-language findings for the saved working copy, part by part."""
    return plain_language.check_parts(
        [
            ("Short answer", article.short_answer),
            ("Body", article.body),
            *(
                (f"FAQ {number} answer", faq.answer)
                for number, faq in enumerate(article.faqs.all(), 1)
            ),
        ]
    )


class ArticleAdminForm(NormalisedNewlines, forms.ModelForm):
    """Refuses a save based on an older copy of the article (optimistic locking)."""

    edit_lock = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # What editors write; everything else belongs to articles.review.workflow.
        fields = [
            "title",
            "slug",
            "topic",
            "short_answer",
            "body",
            "author",
            "review_interval_months",
            "change_summary",
            "is_correction",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_lock"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Lock the row until this request's transaction ends, so two saves of
        # the same article are checked one after the other.
        stored = (
            Article.objects.select_for_update()
            .values_list("lock_version", flat=True)
            .get(pk=self.instance.pk)
        )
        if cleaned.get("edit_lock") != stored:
            raise ValidationError(
                "Someone else saved this article after you opened it, so your "
                "changes were NOT saved. They are still in the form below: copy "
                "what you need, reload the page to see the other changes, and "
                "apply yours again.",
                code="stale",
            )
        return cleaned


class ImportTextForm(NormalisedNewlines, forms.Form):
    """Plain text to import: pasted, or uploaded as a .txt file."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        required=False,
        max_length=MAX_INPUT_CHARS,
        help_text="Paste the article as plain text, title first.",
    )
    upload = forms.FileField(
        required=False, label="Or upload a .txt file", help_text="UTF-8 plain text."
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        help_text="Leave empty to file it under “Imported (to sort)”.",
    )
    author = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        help_text="Leave empty for the “Editorial team” byline.",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            if upload.size > MAX_INPUT_CHARS * 4:
                raise ValidationError("The file is too large to import.")
            try:
                cleaned["text"] = decode_text(upload.read(), name=upload.name)
            except ArticleImportError as error:
                raise ValidationError(str(error)) from None
        if not cleaned.get("text", "").strip() and not self.errors:
            raise ValidationError("Paste the article's text or choose a .txt file.")
        if cleaned.get("text"):
            try:
                cleaned["parsed"] = parse_article(cleaned["text"])
            except ArticleImportError as error:
                raise ValidationError(str(error)) from None
        return cleaned


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Waiting for my review"),
            ("in_review", "In review (everyone's)"),
            ("approved", "Approved, not yet published"),
            ("overdue", "Overdue for periodic review"),
            (
                "due_soon",
                f"Periodic review due within {periodic.REVIEW_DUE_SOON_DAYS} days",
            ),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "mine":
            # The four-eyes rule is Python (review/four_eyes.py); review
            # queues are short, so checking each article in review is cheap.
            in_review = queryset.filter(status=Article.Status.IN_REVIEW)
            allowed = four_eyes.approvable_by(
                request.user, in_review.select_related("author")
            )
            return in_review.filter(pk__in=[article.pk for article in allowed])
        if self.value() == "in_review":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        if self.value() == "approved":
            return queryset.filter(status=Article.Status.APPROVED)
        if self.value() == "overdue":
            return queryset.filter(live_version__next_review_due__lt=today)
        if self.value() == "due_soon":
            due = periodic.due_soon_versions(today).values("pk")
            return queryset.filter(live_version__in=due)
        return queryset


# Shown on the article page but changed only by articles.review.workflow.
WORKFLOW_READONLY_FIELDS = [
    "status",
    "medical_reviewer",
    "approved_by",
    "approved_at",
    "live_version_link",
    "first_published_at",
    "withdrawn_at",
    "created_at",
    "updated_at",
]
