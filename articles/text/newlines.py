"""The one spelling of a line break in stored text: "\\n".

Browsers send every line break of a textarea as "\\r\\n" (the HTML standard's
form submission rules), files saved on Windows use "\\r\\n" and old Mac files a
lone "\\r". Stored text, published versions and their fingerprints use "\\n", so
a line break that arrived as "\\r\\n" would make every line of an edited draft
differ from the live version. Text is normalised where it enters: the admin
forms, the plain-text import and a backup load. Stored versions are never
rewritten: an approval and a fingerprint cover their exact text.
"""


def normalise_newlines(text: str) -> str:
    """`text` with each "\\r\\n" and each lone "\\r" replaced by "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
