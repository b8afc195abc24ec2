"""Markdown as the plain words a reader sees: for the search index, search
snippets and related-question profiles."""

import re

_MARKDOWN_RULES = [
    # Script and style blocks: the page's sanitiser drops them with their content.
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL), " "),
    (re.compile(r"<[^>]*>"), " "),  # other HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)?"), r"\1"),  # links, images: the text
    (re.compile(r"\]\([^)]*\)?"), " "),  # what is left of a link cut in two
    (re.compile(r"https?://\S*"), " "),  # bare addresses
    (re.compile(r"^[ \t]*(?:[-+>]+[ \t]+)+", re.MULTILINE), ""),  # bullets, quotes
    (re.compile(r":?-{3,}:?"), " "),  # table and horizontal rules
    (re.compile(r"[#*_|`~\\\[\]]+"), " "),  # headings, emphasis, tables, code
]


def plain_text(markdown: str) -> str:
    """Markdown as plain words on one line: what the index stores and snippets
    show, without symbols a reader never sees on the page."""
    text = markdown
    for pattern, replacement in _MARKDOWN_RULES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())
