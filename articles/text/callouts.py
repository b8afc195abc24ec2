"""Care cards and callouts: urgency blocks that editors write in Markdown.

An editor opens a block with a line of three slashes and its type, and closes
it with a line of three slashes::

    /// urgent | Get advice from 111 now if:
    - you have a high temperature
    ///

The three care cards (``non-urgent``, ``urgent``, ``emergency``) are a heading
and a bulleted list, like the NHS website's care cards; ``important`` and
``info`` callouts hold any Markdown. Text after ``|`` replaces the default
heading. Each block starts with a visually hidden prefix ("Urgent advice: ")
so a screen reader says what sighted readers get from the colour.

The syntax comes from pymdown-extensions' ``pymdownx.blocks``, not from
Python-Markdown's own ``admonition`` extension. Admonitions need every line of
content indented by four spaces; a textarea makes that awkward, and a line that
loses its indent silently ends the callout. A block here needs no indent, has
a visible closing line (so a missing one can be reported), takes the heading
as its ``|`` argument, and builds exactly the markup below through the Block
API instead of rewriting admonition output. pymdown-extensions is widely used
(MkDocs Material builds on it) and maintained.

The generated classes carry a random prefix that only this render knows.
``CalloutExtension.attribute_filter`` (given to nh3) keeps a class attribute
only when every class in it has that prefix and names a card class, and strips
the prefix. So the card classes come out, while a ``class`` that an editor
types in raw HTML, or passes through the blocks' ``attrs`` option, is removed.

``callout_problems`` reports what an editor should fix: unknown or misspelt
block types, blocks that are never closed, care cards without a bulleted list,
and links in emergency cards.
"""

import difflib
import re
import secrets
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from django.conf import settings
from markdown import util
from pymdownx import util as pymdownx_util
from pymdownx.blocks import (
    BlocksExtension,
    BlocksMgrExtension,
    BlocksProcessor,
    BlocksTreeprocessor,
)
from pymdownx.blocks.block import Block

from articles.text.converter import markdown_converter


@dataclass(frozen=True)
class Kind:
    """One block type: what editors type after ``///`` and how it renders."""

    name: str
    family: str  # "care-card" or "callout": the CSS block and the word in messages
    label: str  # how messages name it: 'The urgent card "..."'
    hidden_prefix: str
    default_heading: str | None


KINDS = {
    kind.name: kind
    for kind in [
        Kind(
            "non-urgent",
            "care-card",
            "non-urgent card",
            "Non-urgent advice: ",
            "Speak to your clinician if:",
        ),
        Kind(
            "urgent",
            "care-card",
            "urgent card",
            "Urgent advice: ",
            "Get urgent medical advice if:",
        ),
        # The heading names the number; see emergency_heading().
        Kind("emergency", "care-card", "emergency card", "Emergency advice: ", None),
        Kind("important", "callout", "important callout", "Important: ", "Important"),
        Kind("info", "callout", "information callout", "Information: ", None),
    ]
}

# Every class the renderer may emit; nothing else survives the sanitiser.
CALLOUT_CLASSES = frozenset(
    {"visually-hidden"}
    | {f"{family}{part}" for family in ("care-card", "callout") for part in ("", "__heading", "__content")}
    | {f"{kind.family}--{kind.name}" for kind in KINDS.values()}
)  # fmt: skip

# Help text shown next to the Markdown editor (simple HTML, as Django renders
# help_text). It cannot name the emergency number: settings are read per call.
CALLOUT_HELP = (
    "<p>Care cards and callouts: a line <code>/// type</code>, the content, then "
    "a line <code>///</code>. Care cards (<code>non-urgent</code>, "
    "<code>urgent</code>, <code>emergency</code>) need a bulleted list; "
    "emergency cards show the emergency number and may not contain links. "
    "<code>important</code> and <code>info</code> take any text. To change a "
    "heading, add it after <code>|</code>.</p>"
    "<pre>"
    "/// non-urgent\n- a cough that lasts more than 3 weeks\n///\n\n"
    "/// urgent | Ask for an urgent appointment if:\n- you have a high temperature\n"
    "///\n\n"
    "/// emergency\n- you have chest pain\n///\n\n"
    "/// important\nDo not take ibuprofen if you are pregnant.\n///\n\n"
    "/// info\nMost colds get better in 7 to 10 days.\n///"
    "</pre>"
)


def emergency_heading() -> str:
    """The emergency card's default heading names the site's emergency number."""
    number = str(getattr(settings, "SITE_EMERGENCY_NUMBER", "999") or "").strip()
    if not number:
        return "Call emergency services now if:"
    return f"Call {number} now if:"


def default_heading(kind: Kind) -> str | None:
    if kind.name == "emergency":
        return emergency_heading()
    return kind.default_heading


class CalloutBlock(Block):
    """A care card or callout; subclasses set ``NAME`` and ``KIND``."""

    KIND: Kind
    ARGUMENT = None  # optional: the heading

    def on_validate(self, parent: etree.Element) -> bool:
        # The blocks' own "attrs" option would let editors set ids and classes.
        self.options["attrs"] = {}
        return True

    def on_create(self, parent: etree.Element) -> etree.Element:
        kind = self.KIND
        prefix = self.config["class_prefix"]

        def classes(*names: str) -> dict[str, str]:
            return {"class": " ".join(prefix + name for name in names)}

        self.heading = (self.argument or "").strip() or default_heading(kind)
        self.closed = False
        card = etree.SubElement(
            parent, "div", classes(kind.family, f"{kind.family}--{kind.name}")
        )
        if self.heading:
            holder = etree.SubElement(card, "h3", classes(f"{kind.family}__heading"))
        else:
            holder = card
        hidden = etree.SubElement(holder, "span", classes("visually-hidden"))
        # Atomic: the heading is plain text, never Markdown or HTML.
        hidden.text = util.AtomicString(kind.hidden_prefix)
        hidden.tail = util.AtomicString(self.heading) if self.heading else None
        self.content = etree.SubElement(card, "div", classes(f"{kind.family}__content"))
        self.card = card
        self.config["blocks"].append(self)
        return card

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.content

    def on_end(self, block: etree.Element) -> None:
        self.closed = True


class CalloutBlocksProcessor(BlocksProcessor):
    """pymdownx's block processor, with the text before an opener parsed first.

    When an opener is not on the first line of a Markdown block, the upstream
    ``test`` caches the new block in ``self.cached_block`` and then parses the
    text before it. If that text itself opens a block (``>/// emergency``
    inside a quote, say), the inner ``test``/``run`` overwrite and consume the
    cache, so the outer ``run`` finds nothing cached, consumes nothing, and
    Python-Markdown offers it the same block again, forever. Here the new
    block is validated first, the text before it parsed next, and the block
    cached last, just before ``run`` takes it. (The bug is pymdown-extensions'
    own, as of 13.1: its admonition block hangs on ``>/// note`` ``///``
    ``/// note`` just the same.)
    """

    def test(self, parent: etree.Element, block: str) -> bool:
        # Are we hungry for more?
        if self.get_parent(parent) is not None:
            return True
        m = self.start.search(block)
        if m is None or pymdownx_util.nearing_depth_limit(self.parser, parent):
            return False
        name = m.group(2).lower()
        if name not in self.blocks:
            return False
        generic_block = self.blocks[name](
            len(m.group(1)), self.trackers[name], self, self.config[name]
        )
        options, the_rest = self.split_header(block[m.end() :], generic_block.length)
        if options is None or not generic_block._validate(
            parent, m.group(3), **options
        ):
            return False
        if m.start() > 0:
            # May open, fill and close blocks of its own, using the cache.
            self.parser.parseBlocks(parent, [block[: m.start()]])
        self.cached_block = (generic_block, the_rest)
        return True


class CalloutBlocksMgrExtension(BlocksMgrExtension):
    """Registers ``CalloutBlocksProcessor`` instead of pymdownx's processor."""

    def extendMarkdown(self, md) -> None:
        md.registerExtension(self)
        pymdownx_util.escape_chars(md, ["/"])
        self.extension = CalloutBlocksProcessor(md.parser, md)
        # As upstream: right after list indentation is processed.
        md.parser.blockprocessors.register(self.extension, "blocks", 89.99)
        tree = BlocksTreeprocessor(md, self.extension)
        md.treeprocessors.register(tree, "blocks_on_inline_end", 19.99)


class CalloutExtension(BlocksExtension):
    """The ``///`` blocks for one render, with their own secret class prefix."""

    def __init__(self, **kwargs):
        self.class_prefix = f"c{secrets.token_hex(8)}-"
        # Every block in document order, for callout_problems().
        self.blocks: list[CalloutBlock] = []
        super().__init__(**kwargs)

    def register_block_mgr(self, md) -> BlocksProcessor:
        if "blocks" in md.parser.blockprocessors:
            return super().register_block_mgr(md)
        manager = CalloutBlocksMgrExtension()
        manager.extendMarkdown(md)
        return manager.extension

    def extendMarkdownBlocks(self, md, block_mgr):
        config = {"class_prefix": self.class_prefix, "blocks": self.blocks}
        for kind in KINDS.values():
            block_class = type(
                "CalloutBlock", (CalloutBlock,), {"NAME": kind.name, "KIND": kind}
            )
            block_mgr.register(block_class, config)

    def attribute_filter(self, tag: str, attribute: str, value: str) -> str | None:
        """For nh3: keep a class only if this render generated all of it."""
        if attribute != "class":
            return value
        tokens = value.split()
        names = [token.removeprefix(self.class_prefix) for token in tokens]
        if tokens and all(
            token.startswith(self.class_prefix) and name in CALLOUT_CLASSES
            for token, name in zip(tokens, names, strict=True)
        ):
            return " ".join(names)
        return None


# Validation ---------------------------------------------------------------

# A line of three or more slashes, as pymdownx.blocks sees block starts and ends.
MARKER_LINE = re.compile(r" {0,3}(/{3,}) *(.*?)\s*")
OPENER = re.compile(r"([\w-]+) *(?:\|.*)?")
RAW_LINK = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
RAW_LIST = re.compile(r"<ul\b", re.IGNORECASE)
HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
TYPE_NAMES = ", ".join(KINDS)


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _marker_problems(text: str) -> list[str]:
    """Block lines that do not do what they seem to: unknown types, an indented
    first line (read as block options), a block nested in one with the same
    number of slashes, and closing lines with nothing open."""
    problems = []
    open_lengths = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        marker = MARKER_LINE.fullmatch(line)
        if marker is None:
            continue
        slashes, rest = len(marker[1]), marker[2]
        shown = line.strip()
        if not rest:
            if open_lengths and open_lengths[-1] == slashes:
                open_lengths.pop()
            elif not open_lengths:
                problems.append(
                    f'Line {number}: "{shown}" closes a block, but no block is open. '
                    "Remove it, or start a block above it."
                )
            continue
        if slashes in open_lengths:
            problems.append(
                f'Line {number}: "{shown}" starts a block inside another block '
                f'that also uses {slashes} slashes, so the first "{"/" * slashes}" '
                "line closes the outer block. Give the outer block more slashes, "
                'e.g. "////" on its opening and closing lines.'
            )
        open_lengths.append(slashes)
        opener = OPENER.fullmatch(rest)
        name = opener[1].lower() if opener else rest.split()[0].lower()
        if opener is None or name not in KINDS:
            guess = difflib.get_close_matches(name, KINDS, n=1)
            hint = f' Did you mean "{guess[0]}"?' if guess else ""
            problems.append(
                f'Line {number}: "{shown}" is not a block type we know.{hint} '
                f"Use one of {TYPE_NAMES}, with an optional heading after "
                '"|", e.g. "/// urgent | Get advice from 111 if:".'
            )
        elif number < len(lines) and re.match(r" {4,}\S", lines[number]):
            problems.append(
                f'Line {number + 1}: the line after "{shown}" is indented, so '
                "Markdown reads it as settings for the block, not as its content. "
                "Remove the indent."
            )
    return problems


def _stashed_html(md, element: etree.Element) -> list[str]:
    """The raw HTML an editor wrote inside ``element`` (Markdown stashes it)."""
    found = []
    for node in element.iter():
        for text in (node.text, node.tail if node is not element else None):
            for index in map(int, util.HTML_PLACEHOLDER_RE.findall(text or "")):
                if index >= len(md.htmlStash.rawHtmlBlocks):
                    continue
                raw = md.htmlStash.rawHtmlBlocks[index]
                if isinstance(raw, etree.Element):
                    raw = etree.tostring(raw, encoding="unicode", method="html")
                found.append(raw)
    return found


def _links(md, element: etree.Element) -> list[str]:
    """How each link inside ``element`` reads: its text, else its address."""
    links = []
    for node in element.iter("a"):
        words = util.HTML_PLACEHOLDER_RE.sub("", "".join(node.itertext())).strip()
        links.append(words or node.get("href", ""))
    for raw in _stashed_html(md, element):
        for tag in RAW_LINK.findall(raw):
            href = HREF.search(tag)
            links.append(href[1] if href else tag)
    return [link[:60] for link in links]


def callout_problems(markdown_text: str) -> list[str]:
    """Messages for the editor about the care cards and callouts in a text;
    an empty list when there is nothing to fix."""
    if not markdown_text:
        return []
    problems = _marker_problems(markdown_text)
    callouts = CalloutExtension()
    md = markdown_converter(callouts)
    md.convert(markdown_text)
    counts = {"care-card": 0, "callout": 0}
    for block in callouts.blocks:
        kind = block.KIND
        counts[kind.family] += 1
        position = f"the {ordinal(counts[kind.family])} {kind.family.replace('-', ' ')}"
        if block.heading:
            name = f'The {kind.label} "{block.heading}" ({position})'
        else:
            name = f"The {kind.label} ({position})"
        if not block.closed:
            problems.append(
                f'{name} is never closed. Add a line "{"/" * block.length}" '
                "where it ends."
            )
        if kind.family == "care-card" and not (
            block.content.find(".//ul") is not None
            or any(RAW_LIST.search(raw) for raw in _stashed_html(md, block.content))
        ):
            problems.append(
                f"{name} has no bulleted list. Write each sign on its own line "
                'starting with "- ".'
            )
        if kind.name == "emergency" and (links := _links(md, block.card)):
            quoted = ", ".join(f'"{link}"' for link in links)
            problems.append(
                f"{name} contains {'a link' if len(links) == 1 else 'links'} "
                f"({quoted}). Emergency cards may not contain links: people in "
                "an emergency should call, not click."
            )
    return problems
