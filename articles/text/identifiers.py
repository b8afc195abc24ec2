"""DOIs and PubMed ids as editors paste them, made canonical.

Editors copy identifiers from wherever they read the source: "doi:10.1001/...",
"https://doi.org/10.1001/...", "PMID: 31978945", a PubMed address. The parsers
accept those shapes, return the bare identifier the database stores, and raise
ValueError with a message an editor can act on. Standard library only: the
models, the importer and the page all use it.
"""

import re
from urllib.parse import quote, unquote

# A DOI is "10." + a registrant code of 4-9 digits (with optional ".sub" parts)
# + "/" + a suffix of any printable characters (Crossref and DataCite). Old
# Wiley DOIs contain <, > and ;, so the suffix is not narrowed further.
DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
DOI_PREFIXES = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
MAX_DOI_LENGTH = 200

# PubMed ids are positive whole numbers, 1 to 8 digits today.
PMID = re.compile(r"[1-9]\d{0,7}")
PMID_PREFIXES = re.compile(
    r"^(?:pmid:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|"
    r"ncbi\.nlm\.nih\.gov/pubmed)/)",
    re.IGNORECASE,
)

# A DOI or PMID written inside a citation or a line of plain text.
DOI_IN_TEXT = re.compile(
    r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)?(?P<doi>10\.\d{4,9}(?:\.\d+)*/[^\s\"<>]+)",
    re.IGNORECASE,
)
PMID_IN_TEXT = re.compile(
    r"(?:\bPMID:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/)(?P<pmid>[1-9]\d{0,7})\b",
    re.IGNORECASE,
)


def parse_doi(value: str) -> str:
    """The bare DOI in `value` ("10.1001/jama.2016.0287"), or "" for blank."""
    text = value.strip()
    if not text:
        return ""
    text = DOI_PREFIXES.sub("", text)
    if "%" in text:
        text = unquote(text)
    text = text.rstrip(".,;")
    if len(text) > MAX_DOI_LENGTH:
        raise ValueError(f"A DOI has at most {MAX_DOI_LENGTH} characters.")
    if not DOI.fullmatch(text):
        raise ValueError(
            "This is not a DOI: a DOI starts with “10.”, then a number of 4 to 9 "
            "digits, a slash and the rest (for example 10.1136/bmj.m1234)."
        )
    return text


def parse_pmid(value: str) -> str:
    """The bare PubMed id in `value` ("31978945"), or "" for blank."""
    text = PMID_PREFIXES.sub("", value.strip()).rstrip("/")
    if not text:
        return ""
    if not PMID.fullmatch(text):
        raise ValueError(
            "This is not a PubMed id (PMID): it is a whole number of 1 to 8 "
            "digits, such as 31978945."
        )
    return text


def doi_url(doi: str) -> str:
    """The DOI's permanent link, as Crossref asks it to be shown; characters
    that would end the path ("#", "?") or break the link are encoded."""
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else ""


def pmid_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


def find_doi(text: str) -> str:
    """The first DOI written in `text`, or ""."""
    match = DOI_IN_TEXT.search(text)
    return match["doi"].rstrip(".,;)]") if match else ""


def find_pmid(text: str) -> str:
    match = PMID_IN_TEXT.search(text)
    return match["pmid"] if match else ""
