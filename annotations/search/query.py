"""What is searched for: `parse_query` turns what a user typed into words and "quoted phrases",
within the limits below, and `ParsedQuery` writes them as a quoted FTS5 MATCH expression
(SQLite) or as `plainto_tsquery`/`phraseto_tsquery` (PostgreSQL), so user input never reaches
a query language. Pure apart from building Django's SearchQuery; never raises."""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
MAX_LIMIT = 100
CONFIG = "english"  # PostgreSQL text search configuration (FTS5 uses the porter stemmer)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What is searched for: words (all must match) and phrases (words side by side)."""

    text: str  # the query as searched (cleaned, at most MAX_QUERY_LENGTH characters)
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every word and phrase quoted, all of them required."""
        parts = [*self.words, *self.phrases]
        return " AND ".join('"' + part.replace('"', '""') + '"' for part in parts)

    def tsquery(self) -> SearchQuery:
        """The PostgreSQL query: plainto_tsquery of the words, phraseto_tsquery of each phrase."""
        queries = [SearchQuery(" ".join(self.words), config=CONFIG)] if self.words else []
        queries += [SearchQuery(p, search_type="phrase", config=CONFIG) for p in self.phrases]
        combined = queries[0]
        for query in queries[1:]:
            combined &= query
        return combined


_PHRASE = re.compile(r'"([^"]*)"')


def _has_word_character(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _clean(text: str) -> str:
    """Control, format, private-use and unassigned characters become spaces."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def parse_query(text: str) -> ParsedQuery:
    """Words and "quoted phrases" of what the user typed; operators mean nothing here.

    Pure: never raises. Quotes that pair up make phrases, others are ignored; a part with no
    letter or digit (`*`, `-`, `:`) is dropped; at most MAX_TERMS parts are kept.
    """
    text = " ".join(_clean(text).split())
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH].strip()
    phrases = [" ".join(p.split()) for p in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    phrases = [p for p in phrases if _has_word_character(p)]
    words = [w for w in rest.split() if _has_word_character(w)]
    words = list(dict.fromkeys(words))[:MAX_TERMS]
    phrases = list(dict.fromkeys(phrases))[: max(0, MAX_TERMS - len(words))]
    # A one-word phrase is a word.
    words += [p for p in phrases if " " not in p and p not in words]
    phrases = [p for p in phrases if " " in p]
    return ParsedQuery(text, tuple(words), tuple(phrases), truncated)
