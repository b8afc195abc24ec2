"""Adding pictures to the library and replacing them, through Django's
storage API (a local folder by default; S3-compatible storage through
django-storages, see docs/images.md).

Every file is named by the SHA-256 of its own bytes, so a name is never
reused for other bytes and files can be cached for ever. Nothing here deletes
a file: a replaced picture's renditions stay for the versions that show them.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from articles.images.processing import Encoded, clean_upload, renditions
from articles.models import ImageRendition, LibraryImage

FOLDER = "images"


def file_name(encoded: Encoded) -> str:
    digest = encoded.content_hash
    return f"{FOLDER}/{digest[:2]}/{digest}.{encoded.extension}"


def _store(image: LibraryImage, original: Encoded) -> None:
    for made in renditions(original):
        name = file_name(made)
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(made.data))
            assert saved == name, f"storage renamed {name} to {saved}"
        ImageRendition.objects.get_or_create(
            image=image,
            content_hash=original.content_hash,
            format=made.format,
            width=made.width,
            defaults={"height": made.height, "file": name},
        )


def _take(image: LibraryImage, original: Encoded) -> None:
    image.content_hash = original.content_hash
    image.format = original.format
    image.width, image.height = original.width, original.height


def _cleaned(picture: Encoded | bytes) -> Encoded:
    """Uploaded bytes made safe, or a picture clean_upload() already made
    (the admin form cleans once, to say why a file is refused)."""
    return picture if isinstance(picture, Encoded) else clean_upload(picture)


@transaction.atomic
def add_image(picture: Encoded | bytes, *, user, **fields) -> LibraryImage:
    """A new library image from an upload (RefusedImage if unusable);
    `fields` are alt_text, caption, credit, licence."""
    original = _cleaned(picture)
    image = LibraryImage(uploaded_by=user, **fields)
    _take(image, original)
    image.full_clean()
    image.save()
    _store(image, original)
    return image


@transaction.atomic
def replace_picture(
    image: LibraryImage, picture: Encoded | bytes, *, user
) -> LibraryImage:
    """Give `image` a new picture; the old files stay."""
    original = _cleaned(picture)
    _take(image, original)
    image.uploaded_by = user
    image.save()
    _store(image, original)
    return image
