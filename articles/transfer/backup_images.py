"""The image library in an export: each library image with its renditions,
and the bytes of every file a library image or a published version names
(base64), so a restored site shows the same pictures at the same addresses.

Loading trusts no file: each must be named by the SHA-256 of its bytes and
decode as the format its name says; a version's image snapshots must name
files the export carries (and are part of its fingerprint, checked by the
loader like its words).
"""

import base64
import binascii
import datetime
import hashlib
import io
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from articles.models import ArticleVersion, ImageRendition, LibraryImage
from articles.transfer.backup import LoadError

NAME = re.compile(r"images/[0-9a-f]{2}/([0-9a-f]{64})\.(jpg|png|webp)")
FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
IMAGE_FIELDS = ["key", "alt_text", "caption", "credit", "licence", "content_hash"]
IMAGE_FIELDS += ["format", "width", "height"]


def export_images() -> dict:
    """{"library_images": [...], "image_files": {name: base64}}."""
    images, names = [], set()
    for image in LibraryImage.objects.prefetch_related("renditions").order_by("key"):
        renditions = [
            [r.content_hash, r.format, r.width, r.height, r.file.name]
            for r in sorted(image.renditions.all(), key=lambda r: r.file.name)
        ]
        names.update(r[4] for r in renditions)
        images.append(
            {name: getattr(image, name) for name in IMAGE_FIELDS}
            | {"uploaded_at": image.uploaded_at.isoformat(), "renditions": renditions}
        )
    for snapshots in ArticleVersion.objects.exclude(images=[]).values_list(
        "images", flat=True
    ):
        names.update(f[0] for snapshot in snapshots for f in snapshot["files"])
    files = {}
    for name in sorted(names):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                files[name] = base64.b64encode(stored.read()).decode("ascii")
    return {"library_images": images, "image_files": files}


def load_files(files: dict) -> set[str]:
    """Write the export's files (checked); returns their names."""
    if not isinstance(files, dict):
        raise LoadError("image_files must be an object of file names.")
    for name, encoded in files.items():
        match = NAME.fullmatch(str(name))
        if not match or not isinstance(encoded, str):
            raise LoadError(f"{name!r} is not the name of a library image file.")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise LoadError(f"The file {name} is not valid base64.") from None
        if hashlib.sha256(data).hexdigest() != match[1]:
            raise LoadError(f"The file {name} does not match its name's fingerprint.")
        try:
            with Image.open(
                io.BytesIO(data), formats=list(FORMATS.values())
            ) as picture:
                kind = picture.format
                picture.verify()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ):
            raise LoadError(f"The file {name} is not a picture we accept.") from None
        if kind != FORMATS[match[2]]:
            raise LoadError(f"The file {name} is a {kind} file, not {match[2]}.")
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(data))
            if saved != name:
                raise LoadError(f"The file {name} could not be stored under its name.")
    return set(files)


def load_library(records: list, files: set[str], user) -> None:
    """The library images, keys kept (articles name them). An image whose
    key this site already has must be the same picture."""
    for record in records:
        if not isinstance(record, dict):
            raise LoadError("Each library image must be an object.")
        key = record.get("key", "")
        existing = LibraryImage.objects.filter(key=key).first()
        if existing is not None:
            if existing.content_hash != record.get("content_hash"):
                raise LoadError(
                    f"This site's image {key!r} is another picture than the file's."
                )
            continue
        try:
            uploaded_at = datetime.datetime.fromisoformat(record["uploaded_at"])
        except (KeyError, TypeError, ValueError):
            raise LoadError(f"Image {key!r}: uploaded_at is not a time.") from None
        image = LibraryImage(
            **{name: record[name] for name in IMAGE_FIELDS},
            uploaded_by=user,
            uploaded_at=uploaded_at,
        )
        image.full_clean()
        image.save()
        for content_hash, kind, width, height, name in record.get("renditions", []):
            if name not in files:
                raise LoadError(f"Image {key!r} names {name}, which the file lacks.")
            ImageRendition.objects.create(
                image=image,
                content_hash=content_hash,
                format=kind,
                width=width,
                height=height,
                file=name,
            )


KEY = re.compile(r"[a-z0-9-]{3,40}")


def _well_formed(snapshot, files: set[str]) -> bool:
    """The shape LibraryImage.snapshot() writes, naming only files this
    export carries, with at least one in the picture's own format."""
    try:
        entries = snapshot["files"]
        return (
            KEY.fullmatch(snapshot["key"]) is not None
            and isinstance(snapshot["alt_text"], str)
            and snapshot["alt_text"].strip() != ""
            and snapshot["format"] in FORMATS.values()
            and all(
                isinstance(snapshot[n], int) and snapshot[n] > 0
                for n in ("width", "height")
            )
            and all(isinstance(snapshot.get(n, ""), str) for n in IMAGE_FIELDS[2:5])
            and all(
                name in files
                and NAME.fullmatch(name)
                and isinstance(width, int)
                and width > 0
                and kind in FORMATS.values()
                for name, width, kind in entries
            )
            and any(kind == snapshot["format"] for _, _, kind in entries)
        )
    except (KeyError, TypeError, ValueError):
        return False


def version_images(item: dict, files: set[str], where: str) -> list[dict]:
    """A version's image snapshots from the file, each well formed."""
    snapshots = item.get("images", [])
    if not isinstance(snapshots, list) or not all(
        _well_formed(snapshot, files) for snapshot in snapshots
    ):
        raise LoadError(
            f"{where}: an image is not in the export's shape, or names a file "
            "the export does not carry."
        )
    return snapshots
