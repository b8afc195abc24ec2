"""Library images in an editor's Markdown: ``![](image:KEY)`` on a line of
its own becomes a figure (articles/images/ keeps the pictures).

The text layer knows no database: the caller passes each image's snapshot
(LibraryImage.snapshot(), the same dict a published version stores), so a
version renders the exact files and words that were approved, whatever the
library holds later. Only the files of those snapshots pass the sanitiser
(rendering.py asks allowed_attribute()): an address typed into the text,
even of another library file, is removed.
"""

import re
import xml.etree.ElementTree as etree

from django.conf import settings
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

LIBRARY_SOURCE = re.compile(r"image:([a-z0-9-]{3,40})")
TYPES = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
SIZES = "(min-width: 50rem) 46rem, 100vw"
LARGEST_SRC = 1280  # the img's own src: big enough for most screens
TREE_PRIORITY = 3  # after the inline patterns made the <img> (before image_finder)


def library_key(src: str) -> str | None:
    match = LIBRARY_SOURCE.fullmatch(src or "")
    return match[1] if match else None


def file_url(name: str) -> str:
    return settings.MEDIA_URL + name


def allowed_files(images: dict[str, dict] | None) -> frozenset[str]:
    """The addresses a render may show: the files of the snapshots given to
    it (what the reviewer approved), and nothing else of the library."""
    return frozenset(
        file_url(name)
        for image in (images or {}).values()
        for name, _, _ in image["files"]
    )


_CANDIDATE = re.compile(r"(\S+) \d+[wx]")


def allowed_attribute(
    tag: str, attribute: str, value: str, allowed: frozenset[str]
) -> str | None:
    """The sanitiser's rule for <img> and <source>: their addresses must be
    files of this render's approved snapshots, or the attribute is removed."""
    if attribute == "src":
        return value if value in allowed else None
    if attribute == "srcset":
        candidates = [_CANDIDATE.fullmatch(part.strip()) for part in value.split(",")]
        ok = candidates and all(c and c[1] in allowed for c in candidates)
        return value if ok else None
    return value


def _srcset(files, kind: str) -> str:
    return ", ".join(
        f"{file_url(name)} {width}w" for name, width, form in files if form == kind
    )


def build_figure(image: dict) -> etree.Element:
    """<figure><picture><source webp><img></picture><figcaption></figure>."""
    files = sorted(image["files"], key=lambda f: (f[1], f[2]))
    own = [f for f in files if f[2] == image["format"]]
    src = max(
        (f for f in own if f[1] <= LARGEST_SRC), key=lambda f: f[1], default=own[0]
    )
    figure = etree.Element("figure", {"class": "figure"})
    picture = etree.SubElement(figure, "picture")
    etree.SubElement(
        picture,
        "source",
        {"type": TYPES["WEBP"], "srcset": _srcset(files, "WEBP"), "sizes": SIZES},
    )
    height = max(1, round(image["height"] * src[1] / image["width"]))
    etree.SubElement(
        picture,
        "img",
        {
            "src": file_url(src[0]),
            "srcset": _srcset(files, image["format"]),
            "sizes": SIZES,
            "width": str(src[1]),
            "height": str(height),
            "alt": image["alt_text"],
            "loading": "lazy",
            "decoding": "async",
        },
    )
    credit = " ".join(
        part
        for part in (
            f"Credit: {image['credit']}." if image.get("credit") else "",
            f"Licence: {image['licence']}." if image.get("licence") else "",
        )
        if part
    )
    if image.get("caption") or credit:
        caption = etree.SubElement(figure, "figcaption")
        caption.text = image.get("caption", "")
        if credit:
            small = etree.SubElement(caption, "span", {"class": "figure-credit"})
            small.text = (" " if caption.text else "") + credit
    return figure


class FigureMaker(Treeprocessor):
    def __init__(self, md, extension: "FigureExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                image = self._alone_image(child)
                if image is not None:
                    parent.remove(child)
                    parent.insert(index, build_figure(image))

    def _alone_image(self, paragraph) -> dict | None:
        """The snapshot of a library image that is all of a paragraph."""
        if paragraph.tag != "p" or len(paragraph) != 1:
            return None
        img = paragraph[0]
        if (
            img.tag != "img"
            or (paragraph.text or "").strip()
            or (img.tail or "").strip()
        ):
            return None
        key = library_key(img.get("src", ""))
        return self.extension.images.get(key) if key else None


class FigureExtension(Extension):
    def __init__(self, images: dict[str, dict] | None = None, **kwargs):
        self.images = images or {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(FigureMaker(md, self), "figures", TREE_PRIORITY)
