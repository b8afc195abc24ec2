"""Markdown to safe HTML: the one place where editors' text becomes markup.

Python-Markdown turns the text into HTML (tables, sane lists, heading ids), then
nh3 keeps only the tags, attributes and URL schemes listed here. Anything else,
such as <script>, event handlers or javascript: links, is removed, so a page can
mark the result safe. The admin's live preview uses the same function, so an
editor sees exactly what a visitor will (articles/text/images.py adds only a
notice where an image that is not an approved library figure would vanish).

Care cards and callouts (``/// urgent`` ... ``///``) come from
articles/text/callouts.py; their classes are the only ones nh3 lets through.
Citations (``[1]``) come from articles/text/citations.py; their ids are the
only link ids it lets through.
The Markdown extensions and heading ids are set up in articles/text/converter.py.
"""

import re

import nh3
from markdown.extensions import Extension

from articles.text import figures
from articles.text.callouts import CalloutExtension
from articles.text.citations import CitationExtension
from articles.text.converter import is_page_id, markdown_converter

# What figures.py writes as classes, and the only ones kept on these tags.
FIGURE_CLASSES = {("figure", "figure"), ("span", "figure-credit")}
# An <img> or <source> whose address the sanitiser removed shows nothing.
_EMPTY_MEDIA = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>|<source(?![^>]*\ssrcset=)[^>]*>")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div",
    "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
    "figure", "figcaption", "picture", "source", "img",
}  # fmt: skip

# "class" is listed for the care cards' and callouts' markup only:
# CalloutExtension.attribute_filter removes every class it did not generate.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "div": {"class"},
    "h2": {"id"},
    "h3": {"id", "class"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
    "span": {"class"},
    "figure": {"class"},
    "img": {"src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}

# Relative links ("/other-question/", "#faq-1") have no scheme and stay allowed.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Tags whose content is dropped along with the tag, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template"}

# The longest article body or site page: refused by the models' clean() and
# the admin preview with a message; the renderer itself still copes.
MAX_MARKDOWN_LENGTH = 200_000


def render_markdown(
    text: str,
    *extensions: Extension,
    cite_ids: str | None = "cite",
    images: dict[str, dict] | None = None,
) -> str:
    """Render an editor's Markdown to HTML that is safe to show to visitors.
    `extensions` join this one render (the admin preview's image notices,
    articles/text/images.py); the sanitiser still has the last word.
    `cite_ids` starts the ids of this text's citations (articles/text/citations.py),
    so the body's and each FAQ answer's stay distinct on one page; None renders
    no citations (a site page has no reference list). `images` (key ->
    snapshot) are the library images this text may show as figures."""
    if not text:
        return ""
    callouts = CalloutExtension()
    citations = CitationExtension(prefix=cite_ids or "cite")
    cited = [citations] if cite_ids else []
    made = figures.FigureExtension(images)
    allowed = figures.allowed_files(images)
    html = markdown_converter(callouts, *cited, made, *extensions).convert(text)

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id" and tag == "a":
            return citations.attribute_filter(tag, attribute, value)
        if attribute == "id" and is_page_id(value):
            return None  # raw HTML naming a heading like one of the page's own ids
        if tag in ("img", "source"):
            return figures.allowed_attribute(tag, attribute, value, allowed)
        if attribute == "class" and (tag, value) in FIGURE_CLASSES:
            return value
        return callouts.attribute_filter(tag, attribute, value)

    return _EMPTY_MEDIA.sub(
        "",
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            clean_content_tags=DROPPED_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            attribute_filter=attribute_filter,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        ),
    )
