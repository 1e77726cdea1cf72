"""The matching key of a text: what "verbatim" compares."""

from articles.ingest.text import normalize_for_matching

from .document import WORD_RE


def match_key(text: str) -> str:
    """The folded words of a text joined by single spaces (punctuation dropped)."""
    return " ".join(WORD_RE.findall(normalize_for_matching(text).text))
