"""Pictures made in memory for the image tests, good and hostile."""

import io
import struct
import zlib

from PIL import Image


def png_bytes(width=40, height=30, colour=(20, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(width=800, height=600, **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG", **save_options)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A photo as a phone saves it: where it was taken, and on what."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    return jpeg_bytes(exif=exif.tobytes())


def png_claiming(width: int, height: int) -> bytes:
    """A tiny file whose header claims width x height pixels (a bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def animated_webp() -> bytes:
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run"
)
# A JPEG whose comment segment carries HTML, as in JPEG/HTML polyglots.
POLYGLOT_COMMENT = b"<html><script>alert(document.domain)</script></html>"


def jpeg_polyglot() -> bytes:
    plain = jpeg_bytes()
    comment = b"\xff\xfe" + struct.pack(">H", len(POLYGLOT_COMMENT) + 2)
    return plain[:2] + comment + POLYGLOT_COMMENT + plain[2:]
