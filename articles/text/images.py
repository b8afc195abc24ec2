"""Images in an editor's Markdown, which the site does not support yet.

The sanitiser's allow-list (rendering.py) has no <img>, so an image written as
``![alt](address)`` would vanish from the page without a word. Two answers:

- image_problems() names each image and its line, for the models' clean(), so
  the admin, the importer and a backup load refuse it with the same message.
- render_preview() is the admin's live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION):
  the page's own rendering, with a visible notice where an image would be.

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
from articles.text.rendering import render_markdown

# After the inline patterns have made the images (priority 20) and the heading
# ids are set (toc, 5), so a preview notice never becomes part of an id.
TREE_PRIORITY = 2
# How an image reads in the text: ![alt](address) or ![alt][label].
IMAGE_SOURCE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])?")
LONGEST_QUOTE = 80

NOTICE = '<span class="image-notice">{}</span>'


class ImageFinder(Treeprocessor):
    """Records each image (alt text, address); with a token, replaces it by
    a placeholder that render_preview() turns into a notice."""

    def __init__(self, md, extension: "ImageExtension"):
        super().__init__(md)
        self.extension = extension

    def run(self, root) -> None:
        found, token = self.extension.found, self.extension.token
        for element in root.iter("img"):
            found.append((element.get("alt", ""), element.get("src", "")))
            if token:
                element.tag = "span"
                element.attrib.clear()
                element.text = util.AtomicString(f"{token}_{len(found) - 1}_")


class ImageExtension(Extension):
    """The images of one render, in document order."""

    def __init__(self, token: str = "", **kwargs):
        self.found: list[tuple[str, str]] = []
        self.token = token
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(ImageFinder(md, self), "image_finder", TREE_PRIORITY)


def _quote(text: str) -> str:
    return text if len(text) <= LONGEST_QUOTE else text[: LONGEST_QUOTE - 1] + "…"


def image_problems(markdown_text: str) -> list[str]:
    """One message per image in the text, naming it and its line; an empty
    list when there is none."""
    if "![" not in (markdown_text or ""):  # every image starts so
        return []
    images = ImageExtension()
    markdown_converter(CalloutExtension(), images).convert(markdown_text)
    sources = list(IMAGE_SOURCE.finditer(markdown_text))
    problems, start = [], 0
    for alt, src in images.found:
        later = [match for match in sources if match.start() >= start]
        # The image's own text: the next one with its alt text, else the next one.
        match = next(
            (m for m in later if m["alt"].replace("\\", "") == alt.replace("\\", "")),
            later[0] if later else None,
        )
        if match is None:
            problems.append(
                "Images are not supported in the text yet: remove "
                f"{_quote(f'![{alt}]({src})')}."
            )
            continue
        start = match.end()
        line = markdown_text.count("\n", 0, match.start()) + 1
        problems.append(
            "Images are not supported in the text yet: remove "
            f"{_quote(match[0])} on line {line}."
        )
    return problems


def _notice(alt: str) -> str:
    described = f" (“{alt}”)" if alt.strip() else ""
    return format_html(
        NOTICE,
        f"Image{described} not shown: images are not supported in the text yet, "
        "so saving will ask you to remove it.",
    )


def render_preview(text: str) -> str:
    """render_markdown() for the admin's live preview: the same safe HTML,
    with a notice where an image would silently be left out."""
    # A random token per render: text an editor types can never produce it.
    images = ImageExtension(token=f"imagenotice{secrets.token_hex(8)}")
    html = render_markdown(text, images)
    if not images.found:
        return html
    return re.sub(
        rf"(?:<span>)?{images.token}_(\d+)_(?:</span>)?",
        lambda match: _notice(images.found[int(match[1])][0]),
        html,
    )
