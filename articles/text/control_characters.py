"""The one definition of the invisible characters no text of ours may carry.

Control characters (other than tab and line breaks), C1 controls and lone
surrogates arrive by copying out of other programs. XML 1.0 cannot carry most
of them (one in a title once took the whole RSS feed down), PostgreSQL refuses
NUL, and a reader cannot see any of them. Models refuse them in what editors
type; the importer, the search box and the feed strip them.
"""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character_problem(value: str) -> str:
    """What is wrong with `value`'s characters, or "" if nothing is."""
    found = CONTROL_CHARACTERS.search(value)
    if found is None:
        return ""
    return (
        f"This text contains an invisible control character "
        f"(U+{ord(found.group()):04X}) at character {found.start() + 1:,}; "
        "remove it (it often comes from copying out of another program)."
    )


def strip_control_characters(value: str, replacement: str = "") -> str:
    """`value` with each control character replaced by `replacement`."""
    return CONTROL_CHARACTERS.sub(replacement, value)
