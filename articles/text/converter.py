"""The Python-Markdown set-up that every render of an editor's text shares.

One place for the extensions and the heading ids, so the renderer
(articles/text/rendering.py) and the care-card checks (articles/text/callouts.py)
parse a text the same way. It imports neither of them: the caller passes in the
extensions that belong to one render, such as its CalloutExtension.
"""

import markdown
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension

# Ids the page itself uses; a body heading must not take one (the skip link
# targets #main, "People also ask" links to #faq-1, ...).
PAGE_IDS = {"main", "short-answer-heading", "takeaways-heading", "faqs-heading",
            "references-heading", "related-heading", "also-ask-heading",
            "report-heading"}  # fmt: skip


# Prefixes of ids the page numbers itself: FAQs, references and citations.
PAGE_ID_PREFIXES = ("faq-", "ref-", "cite-")


def is_page_id(value: str) -> bool:
    """True for an id the page itself uses or numbers (see PAGE_IDS)."""
    return value in PAGE_IDS or value.startswith(PAGE_ID_PREFIXES)


def _heading_id(value: str, separator: str) -> str:
    """Heading ids share one namespace with the page: short, plain, and never
    one of the page's own ids."""
    slug = slugify(value)[:60] or "section"
    return f"section-{slug}" if is_page_id(slug) else slug


def markdown_converter(*extensions: Extension) -> markdown.Markdown:
    """A Markdown converter for one text; ``extensions`` (that render's callout
    blocks) come after the shared ones."""
    return markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            TocExtension(slugify=_heading_id, toc_depth="2-6"),
            *extensions,
        ],
        output_format="html",
    )
