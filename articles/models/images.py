"""The image library: pictures editors can place in articles.

A LibraryImage is what editors manage (alt text, caption, credit, licence and
the current picture). Its files are ImageRenditions named by their content
hash and never overwritten or deleted: replacing the picture adds new files,
so a page published with the old ones keeps showing them.
"""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


def new_key() -> str:
    return secrets.token_hex(4)


def snapshots(keys) -> dict[str, dict]:
    """{key: snapshot} of the library images with these keys (unknown keys
    are left out: the models' clean() names them)."""
    found = LibraryImage.objects.filter(key__in=set(keys)).prefetch_related(
        "renditions"
    )
    return {image.key: image.snapshot() for image in found}


class LibraryImage(models.Model):
    # What the Markdown names: ![](image:KEY). Kept by export and load, so a
    # restored article still names its pictures.
    key = models.CharField(
        max_length=40,
        unique=True,
        default=new_key,
        editable=False,
        validators=[RegexValidator(r"^[a-z0-9-]{3,40}$")],
    )
    alt_text = models.CharField(
        max_length=250,
        help_text=(
            "What the picture shows, for people who cannot see it, e.g. "
            '"A red, raised rash on the inside of an elbow".'
        ),
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Who made it.")
    licence = models.CharField(
        max_length=200, blank=True, help_text='e.g. "CC BY 4.0" or "Our own".'
    )
    content_hash = models.CharField(max_length=64, editable=False)
    format = models.CharField(max_length=4, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "library image"

    def __str__(self) -> str:
        return self.alt_text

    def current_renditions(self):
        """The files of the current picture, smallest first."""
        return self.renditions.filter(content_hash=self.content_hash).order_by(
            "width", "format"
        )

    @property
    def markdown(self) -> str:
        return f"![](image:{self.key})"

    def snapshot(self) -> dict:
        """What an article shows of this image, and what its reviewer
        approves: the picture (by content hash and files) and its words."""
        files = sorted(
            [r.file.name, r.width, r.format]
            for r in self.renditions.all()
            if r.content_hash == self.content_hash
        )
        return {
            "key": self.key,
            "content_hash": self.content_hash,
            "alt_text": self.alt_text,
            "caption": self.caption,
            "credit": self.credit,
            "licence": self.licence,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "files": files,
        }


class ImageRendition(models.Model):
    # Deleting a library image deletes these rows, not the files; once
    # versions keep the renditions they published, those protect them.
    image = models.ForeignKey(
        LibraryImage, on_delete=models.CASCADE, related_name="renditions"
    )
    # The cleaned original these were made from (LibraryImage.content_hash
    # while it is the current picture).
    content_hash = models.CharField(max_length=64)
    format = models.CharField(max_length=4)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["image", "content_hash", "format", "width"],
                name="one_rendition_per_size_and_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.image} ({self.width} px, {self.format})"
