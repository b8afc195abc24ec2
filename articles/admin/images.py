"""The image library in the admin: editors upload, everyone on the staff
looks. This admin's own add and change views are the only upload form
(django-markdownx's upload view stays unmounted: it takes SVG and anyone's
files); they check permissions and CSRF like every admin view."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html, format_html_join

from articles.images import library, processing
from articles.models import Article, LibraryImage
from articles.review import workflow
from articles.text.figures import file_url

DESCRIPTION = ["alt_text", "caption", "credit", "licence"]


class LibraryImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Picture",
        help_text=(
            "JPEG, PNG or WebP, up to "
            f"{processing.MAX_UPLOAD_BYTES // 1024 // 1024} MB. It is re-encoded: "
            "location and camera details are removed."
        ),
    )

    class Meta:
        model = LibraryImage
        fields = ["upload", *DESCRIPTION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["upload"].required = False
            self.fields["upload"].label = "Replace the picture"
        self.cleaned_picture = None

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if upload.size > processing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest "
                f"we accept is {processing.MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            )
        data = upload.read()
        try:
            self.cleaned_picture = processing.clean_upload(data)
        except processing.RefusedImage as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload


def articles_showing(image) -> list[Article]:
    """Articles whose texts show this image, however the Markdown writes it
    (found by parsing, as Article.content() finds it)."""
    source = f"image:{image.key}"
    candidates = Article.objects.filter(
        Q(body__contains=source) | Q(faqs__answer__contains=source)
    ).distinct()
    return [article for article in candidates if image.key in article.image_keys()]


@admin.register(LibraryImage)
class LibraryImageAdmin(admin.ModelAdmin):
    form = LibraryImageForm
    list_display = ["thumbnail", "alt_text", "use_in_text_short", "size", "uploaded_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = [
        "preview",
        "use_in_text",
        "size",
        "files",
        "uploaded_by",
        "uploaded_at",
    ]

    def get_fields(self, request, obj=None):
        fields = ["upload", "alt_text", "caption", "credit", "licence"]
        return (
            fields if obj is None else ["preview", *fields, *self.readonly_fields[1:]]
        )

    @admin.display(description="Picture")
    def thumbnail(self, image):
        smallest = image.current_renditions().filter(format="WEBP").first()
        if smallest is None:
            return "-"
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy">',
            file_url(smallest.file.name),
            max(1, round(80 * image.height / image.width)),
        )

    @admin.display(description="Picture")
    def preview(self, image):
        largest = image.current_renditions().filter(format="WEBP").last()
        if largest is None:
            return "-"
        width = min(image.width, 480)
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}">',
            file_url(largest.file.name),
            image.alt_text,
            width,
            max(1, round(width * image.height / image.width)),
        )

    @admin.display(description="Markdown")
    def use_in_text_short(self, image):
        return format_html("<code>{}</code>", image.markdown)

    @admin.display(description="Use in the text")
    def use_in_text(self, image):
        return format_html(
            "<code>{}</code> on a line of its own, in an article's body or an FAQ "
            "answer. Its alt text and caption are part of what the reviewer "
            "approves: changing them, or the picture, asks for a new review.",
            image.markdown,
        )

    @admin.display(description="Size")
    def size(self, image) -> str:
        return f"{image.width} x {image.height} px, {image.format}"

    @admin.display(description="Files")
    def files(self, image):
        return format_html_join(
            ", ",
            '<a href="{}">{} px {}</a>',
            (
                (file_url(r.file.name), r.width, r.format)
                for r in image.current_renditions()
            ),
        )

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in DESCRIPTION}
        if not change:
            saved = library.add_image(form.cleaned_picture, user=request.user, **fields)
            obj.pk = saved.pk
            obj.__dict__.update(saved.__dict__)
            return
        super().save_model(request, obj, form, change)
        if form.cleaned_picture is not None:
            library.replace_picture(obj, form.cleaned_picture, user=request.user)
        if form.cleaned_picture is not None or form.has_changed():
            self._texts_changed(request, obj)

    def delete_model(self, request, obj):
        showing = articles_showing(obj)
        super().delete_model(request, obj)
        self._record_edits(request, showing)

    def delete_queryset(self, request, queryset):
        showing = [article for image in queryset for article in articles_showing(image)]
        super().delete_queryset(request, queryset)
        self._record_edits(request, showing)

    def _record_edits(self, request, showing) -> None:
        """A deleted image leaves the articles that showed it changed: their
        approvals no longer apply (their live pages keep the old files)."""
        for article in {article.pk: article for article in showing}.values():
            workflow.record_edit(article, user=request.user)

    def _texts_changed(self, request, image) -> None:
        """The articles showing this image now show other content: each is
        an edit of theirs, so an approval of the old content no longer
        applies and a live version keeps the old picture until a new review."""
        showing = articles_showing(image)
        self._record_edits(request, showing)
        if showing:
            self.message_user(
                request,
                f"{len(showing)} article(s) show this image; their approvals of "
                "the old picture or words no longer apply, and their live pages "
                "keep the old ones until a new review.",
                messages.WARNING,
            )
