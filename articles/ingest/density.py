"""Function-word density: how much of a line is grammar rather than names and nouns.

jusText's insight: running story text is dense in function words (articles, prepositions,
pronouns, auxiliaries), while widget labels, menus, names, related-story headlines and section
tags are not. The lists are data (data/function_words.json), short and cleaned of content
words, one per language. A line's language is often unknown while the page is read, so the
density can be taken against one language or against all of them together.
Only the first `PROBE` characters are read: linear and bounded on any input.
"""

import json
from functools import cache
from pathlib import Path

from .text import words

DATA = Path(__file__).parent / "data" / "function_words.json"
PROBE = 600  # characters of a line judged (about a hundred words: plenty for a density)
_APOSTROPHES = ("'", "’")

# A headline or link title rarely holds more than this share of function words; a story
# sentence of some length rarely holds less (measured on the dev pages: headlines and related
# links 0.00-0.27, story sentences of eight words or more mostly 0.30-0.60).
HEADLINE_DENSITY = 0.25


@cache
def table() -> dict[str, frozenset[str]]:
    """Each language's function words (lower case)."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        lang: frozenset(word.casefold() for word in items)
        for lang, items in raw.items()
        if not lang.startswith("_")
    }


@cache
def any_language() -> frozenset[str]:
    """The function words of every listed language together."""
    return frozenset().union(*table().values())


def function_words(lang: str = "") -> frozenset[str]:
    """The list for `lang`, or every language's together when it has none (or is "")."""
    return table().get(lang) or any_language()


def _is_function_word(token: str, stop: frozenset[str]) -> bool:
    if token in stop:
        return True
    for mark in _APOSTROPHES:  # French and Italian elision: "l'Assemblée", "dell'anno"
        head, found, _ = token.partition(mark)
        if found and head + "'" in stop:
            return True
    return False


def density(text: str, lang: str = "") -> float:
    """The share of a line's words that are function words (0.0 for a line with no words)."""
    tokens = words(text[:PROBE].casefold())
    if not tokens:
        return 0.0
    stop = function_words(lang)
    return sum(1 for token in tokens if _is_function_word(token, stop)) / len(tokens)


def is_headline_sparse(text: str, lang: str = "") -> bool:
    """Few function words, as in a headline, a link title or a label: never enough on its
    own to set a line aside, only as one signal among others."""
    return density(text, lang) <= HEADLINE_DENSITY
