"""An uploaded file made safe to publish, or refused with a reason.

Only what Pillow decodes as JPEG, PNG or WebP is accepted: SVG (which can
carry script), anything renamed, polyglots and truncated files fail to
decode or decode as something else. The accepted picture is decoded to pixels
and encoded again, so nothing of the upload survives but the picture: no
EXIF (a phone's GPS position), no comments, no bytes after the image's end.
Its size is checked from the header before any pixel is decoded, so a small
file claiming 50,000 x 50,000 pixels (a decompression bomb) costs nothing.
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 7,746 x 5,164 photo; far above any article figure
MAX_SIDE = 12_000
RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)
JPEG_QUALITY = 85
WEBP_QUALITY = 80


TOO_LARGE = (
    "The picture is {size}; the largest we accept is "
    f"{MAX_PIXELS // 1_000_000} million pixels, at most {MAX_SIDE:,} on a side."
)


class RefusedImage(ValueError):
    """Why an upload cannot be used, in words an editor can act on."""


@dataclass(frozen=True)
class Encoded:
    """One encoded picture: its bytes, what they are, and their fingerprint."""

    data: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ACCEPTED_FORMATS[self.format]

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_upload(data: bytes) -> Encoded:
    """The picture in `data`, encoded again in its own format, or RefusedImage."""
    if not data:
        raise RefusedImage("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise RefusedImage(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; "
            f"the largest we accept is {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, (width, height) = probe.format, probe.size
            frames = getattr(probe, "n_frames", 1)
    except Image.DecompressionBombError:
        raise RefusedImage(
            TOO_LARGE.format(size="over a hundred million pixels")
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise RefusedImage(
            "This is not a JPEG, PNG or WebP picture (SVG and other formats "
            "are not accepted)."
        ) from None
    if kind == "MPO" and frames > 1:
        # A phone's JPEG with a second, smaller picture in it (a "multi
        # picture" file): the first is the photo.
        kind, frames = "JPEG", 1
    if kind not in ACCEPTED_FORMATS:
        raise RefusedImage(
            f"This is a {kind} file; upload a JPEG, PNG or WebP picture instead."
        )
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise RefusedImage(TOO_LARGE.format(size=f"{width:,} x {height:,} pixels"))
    if frames > 1:
        raise RefusedImage("Animated pictures are not accepted; upload a still one.")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()  # every pixel decoded: a truncated file fails here
            upright = ImageOps.exif_transpose(picture)
            return encode(upright, kind)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise RefusedImage("The picture is damaged or incomplete.") from None


def _pixels_for(picture: Image.Image, kind: str) -> Image.Image:
    """Only the pixels, in a mode the format stores: no metadata travels."""
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit greys (scans, X-ray exports) to 8 bits, not clipped to white.
        picture = picture.convert("I").point(lambda v: v / 256).convert("L")
    if kind == "JPEG":
        mode = "RGB" if picture.mode not in ("L",) else "L"
    else:
        has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
            picture.mode == "P" and "transparency" in picture.info
        )
        mode = "RGBA" if has_alpha else ("L" if picture.mode in ("L", "1") else "RGB")
    clean = Image.new(mode, picture.size)
    clean.paste(picture.convert(mode))
    return clean


def encode(picture: Image.Image, kind: str) -> Encoded:
    pixels = _pixels_for(picture, kind)
    out = io.BytesIO()
    if kind == "JPEG":
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif kind == "PNG":
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return Encoded(out.getvalue(), kind, *pixels.size)


def renditions(original: Encoded) -> list[Encoded]:
    """The sizes pages offer in srcset: each width below the original's and
    the original's own, in WebP and in the original's format (the original
    itself, as cleaned)."""
    widths = [w for w in RENDITION_WIDTHS if w < original.width] + [original.width]
    made = []
    with Image.open(io.BytesIO(original.data)) as picture:
        picture.load()
        for width in widths:
            height = max(1, round(original.height * width / original.width))
            sized = (
                picture
                if width == original.width
                else picture.resize((width, height), Image.Resampling.LANCZOS)
            )
            for kind in dict.fromkeys(["WEBP", original.format]):
                same = width == original.width and kind == original.format
                made.append(original if same else encode(sized, kind))
    return made
