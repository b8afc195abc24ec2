"""Images in an editor's Markdown: only the image library's, each on a line
of its own (``![](image:KEY)``, made into a figure by figures.py).

Any other image (``![alt](address)``) would vanish from the page without a
word, since the sanitiser lets through only the library's files. Two answers:

- image_problems() names each such image and its line, for the models'
  clean(), so the admin, the importer and a backup load refuse it with the
  same message.
- render_preview() is the admin's live preview: the page's own rendering,
  figures included, with a visible notice where an image would be left out.

Images are found in the parsed tree, not by searching the text, so
``![x](y)`` inside code is left alone; the text is searched only to say on
which line an image is.
"""

import re
import secrets

from django.utils.html import format_html
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from articles.text.callouts import CalloutExtension
from articles.text.converter import markdown_converter
from articles.text.figures import library_key
from articles.text.rendering import render_markdown

# After the inline patterns have made the images (priority 20) and the heading
# ids are set (toc, 5), so a preview notice never becomes part of an id.
TREE_PRIORITY = 2
# How an image reads in the text: ![alt](address) or ![alt][label].
IMAGE_SOURCE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])?")
LONGEST_QUOTE = 80

NOTICE = '<span class="image-notice">{}</span>'


class ImageFinder(Treeprocessor):
    """Records each image (alt text, address, whether it is a paragraph of
    its own); with a token, replaces each that is not a library figure by a
    placeholder that render_preview() turns into a notice."""

    def __init__(self, md, extension: "ImageExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        found, token = self.extension.found, self.extension.token
        alone = {
            id(p[0])
            for p in root.iter("p")
            if len(p) == 1
            and not (p.text or "").strip()
            and not (p[0].tail or "").strip()
        }
        made = {id(img) for figure in root.iter("figure") for img in figure.iter("img")}
        for element in root.iter("img"):
            src = element.get("src", "")
            if id(element) in made:
                continue  # a figure made from the library (figures.py)
            found.append((element.get("alt", ""), src, id(element) in alone))
            if token:
                element.tag = "span"
                element.attrib.clear()
                element.text = util.AtomicString(f"{token}_{len(found) - 1}_")


class ImageExtension(Extension):
    """The images of one render, in document order."""

    def __init__(self, token: str = "", **kwargs):
        self.found: list[tuple[str, str, bool]] = []
        self.token = token
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(ImageFinder(md, self), "image_finder", TREE_PRIORITY)


def _quote(text: str) -> str:
    return text if len(text) <= LONGEST_QUOTE else text[: LONGEST_QUOTE - 1] + "…"


def library_keys(markdown_text: str) -> list[str]:
    """The keys of the library images the text names, in order, once each
    (found in the parsed text: ``![](image:x)`` inside code is not one)."""
    if "image:" not in (markdown_text or ""):
        return []
    images = ImageExtension()
    markdown_converter(CalloutExtension(), images).convert(markdown_text)
    keys = (library_key(src) for _, src, _ in images.found)
    return list(dict.fromkeys(key for key in keys if key))


def image_problems(markdown_text: str, *, library: bool = True) -> list[str]:
    """One message per image the text may not have, naming it and its line;
    an empty list when there is none. With `library`, an image of the image
    library (``![](image:KEY)``) on a line of its own is allowed; whether
    the library holds KEY is the models' to check."""
    if "![" not in (markdown_text or ""):  # every image starts so
        return []
    images = ImageExtension()
    markdown_converter(CalloutExtension(), images).convert(markdown_text)
    sources = list(IMAGE_SOURCE.finditer(markdown_text))
    problems, start = [], 0
    for alt, src, alone in images.found:
        key = library_key(src) if library else None
        if key and alone:
            continue
        if key:
            why = "Put each library image on a line of its own:"
        elif library:
            why = (
                "Only pictures from the image library can be shown (upload it "
                "there and use the line it gives): remove"
            )
        else:
            why = "Images are not supported on this page: remove"
        later = [match for match in sources if match.start() >= start]
        # The image's own text: the next one with its alt text, else the next one.
        match = next(
            (m for m in later if m["alt"].replace("\\", "") == alt.replace("\\", "")),
            later[0] if later else None,
        )
        if match is None:
            problems.append(f"{why} {_quote(f'![{alt}]({src})')}.")
            continue
        start = match.end()
        line = markdown_text.count("\n", 0, match.start()) + 1
        problems.append(f"{why} {_quote(match[0])} on line {line}.")
    return problems


def _notice(alt: str, src: str) -> str:
    described = f" (“{alt}”)" if alt.strip() else ""
    if library_key(src):
        why = "it is not in the image library, or not on a line of its own"
    else:
        why = "only pictures from the image library can be shown"
    return format_html(
        NOTICE, f"Image{described} not shown: {why}, so saving will refuse it."
    )


def render_preview(text: str, images: dict[str, dict] | None = None) -> str:
    """render_markdown() for the admin's live preview: the same safe HTML
    (library figures included, from `images`: key -> snapshot), with a
    notice where an image would silently be left out."""
    # A random token per render: text an editor types can never produce it.
    found = ImageExtension(token=f"imagenotice{secrets.token_hex(8)}")
    html = render_markdown(text, found, images=images)
    images = found
    if not images.found:
        return html
    return re.sub(
        rf"(?:<span>)?{images.token}_(\d+)_(?:</span>)?",
        lambda match: _notice(*images.found[int(match[1])][:2]),
        html,
    )
