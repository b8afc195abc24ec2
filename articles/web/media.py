"""Library image files, served by the app (a local media folder by default;
with django-storages the files' own addresses point at the bucket instead).

A name is the SHA-256 of the file's bytes (images/library.py), so a file
never changes: it is cached for a year as immutable. Only names of the shape
the library makes are served, so the folder cannot be browsed or read for
anything else; files are served while they exist, also after their library
image was deleted, because a published version may still show them.
"""

import mimetypes
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

NAME = re.compile(r"images/[0-9a-f]{2}/[0-9a-f]{64}\.(?:jpg|png|webp)")
TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def library_file(request, name: str):
    if not NAME.fullmatch(name):
        raise Http404("No such image.")
    try:
        opened = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("No such image.") from None
    extension = name.rsplit(".", 1)[1]
    response = FileResponse(
        opened, content_type=TYPES.get(extension) or mimetypes.guess_type(name)[0]
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
