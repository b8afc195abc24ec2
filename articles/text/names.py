"""When two bylines name the same person, as a reader would see it.

"Dr Priya Raman", "priya  raman" and "Priya Ramán" look like one person to a
visitor, and so do names that swap a Latin letter for a Cyrillic or Greek one
that looks the same, or hide an invisible character. name_key() reduces a
name to what a reader can tell apart; two people with the same key are one
byline as far as the public and the four-eyes rule are concerned.
"""

import re
import unicodedata

# Letters from other scripts that print like Latin ones (the common part of
# Unicode's confusables list for Cyrillic and Greek).
LOOK_ALIKE_LETTERS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i",
        "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ɡ": "g", "ı": "i",
    }
)  # fmt: skip

# Titles a byline may carry or drop without becoming someone else.
HONORIFICS = {
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx",
    "sir", "dame", "nurse", "rev",
}  # fmt: skip


def name_key(name: str) -> str:
    """The name as a reader tells it apart: case, accents, punctuation,
    spacing, titles, invisible characters and look-alike letters removed."""
    decomposed = unicodedata.normalize("NFKD", name)
    visible = "".join(
        ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Cf")
    )
    letters = visible.casefold().translate(LOOK_ALIKE_LETTERS)
    words = re.sub(r"[\W_]+", " ", letters).split()
    return " ".join(word for word in words if word not in HONORIFICS)
