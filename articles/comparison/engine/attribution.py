"""Who is quoted, by whom: attribution cues per article, with spans.

Cues: "X said" (and noted, added, told, reported…), the inverted "…,” said X", "X told AFP"
(AFP carries X), "Reuters quoted X as saying" (Reuters carries X), "according to X".
The speaker is read off the clause next to the verb: the words after the last clause
boundary, or, after an apposition ("Mohammad Alloush, the head of …, said"), the name before
it. A pronoun ("he said") is resolved to the latest named, non-outlet source before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .document import prepare
from .results import Citation

_VERB_RE = re.compile(
    r"\b(according\s+to|said|says|told|tells|added|adds|noted|notes|explained|stated|reported"
    r"|reports|quoted|quotes|concluded|suggested|reiterated|elaborated|announced|claimed"
    r"|insisted|argued|warned|stressed|confirmed|denied|admitted|acknowledged|wrote)\b",
    re.IGNORECASE,
)
# A verb right after one of these is no attribution: "was reported", "to say", "the third
# announced this year".
_PASSIVE = {
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "widely",
    "to",
    "as",
    "not",
    "the",
    "a",
    "an",
    "first",
    "second",
    "third",
    "fourth",
    "last",
    "newly",
    "officially",
    "publicly",
}
_AUXILIARY = {
    "has",
    "had",
    "have",
    "also",
    "already",
    "further",
    "later",
    "then",
    "previously",
    "reportedly",
    "once",
    "again",
    "would",
    "will",
    "earlier",
    "repeatedly",
    "openly",
    "recently",
}
_LEADING = {
    "however",
    "even",
    "though",
    "although",
    "but",
    "and",
    "while",
    "hence",
    "so",
    "yet",
    "meanwhile",
    "also",
    "then",
    "that",
    "because",
    "moreover",
    "nevertheless",
}
_CLAUSE_WORDS = {"that", "which", "who", "whom", "when", "while", "because", "if", "whether"}
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "one", "another"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
OUTLETS = {
    "afp",
    "reuters",
    "sputnik",
    "ap",
    "associated press",
    "tass",
    "sana",
    "press tv",
    "al jazeera",
    "bbc",
    "cnn",
    "xinhua",
    "anadolu",
    "irna",
    "fars",
    "mehr",
    "ria novosti",
    "interfax",
}
_BOUNDARY = ',;:“”"«»()[]—–'
_QUOTES = "“”\"«»'’"
_PHRASE_STOP = ',;:“”"«»'
_WORD_RE = re.compile(r"\S+")
MAX_SOURCE_WORDS = 12


def _words(text: str, offset: int) -> list[tuple[str, int, int]]:
    return [(m.group(), offset + m.start(), offset + m.end()) for m in _WORD_RE.finditer(text)]


_PUNCTUATION = _BOUNDARY + _QUOTES + ".!?"
_TRIMMED = " \t\n\u00a0" + _PUNCTUATION


def _bare(word: str) -> str:
    return word.strip(_PUNCTUATION).lower()


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces, quotes and punctuation."""
    strip = _TRIMMED
    while start < end and body[start] in strip:
        start += 1
    while end > start and body[end - 1] in strip:
        end -= 1
    return start, end


def _is_name_like(text: str) -> bool:
    """A proper name ("Mohammad Alloush", "The High Negotiations Committee"), not a description."""
    words = text.split()
    if not words:
        return False
    first = words[0].lower()
    if first.endswith(("'s", "’s")):
        return False
    if first in _DETERMINERS:
        return len(words) > 1 and words[1][:1].isupper()
    return words[0][:1].isupper()


def _clause_before(body: str, start: int, end: int) -> tuple[int, int] | None:
    """The noun phrase that ends right before a verb, between start and end."""
    words = _words(body[start:end], start)
    while words and _bare(words[-1][0]) in _AUXILIARY:
        words.pop()
    if not words:
        return None
    if words[-1][0][-1:] in _QUOTES or words[-1][0].endswith((",”", ',"', "”,", '",')):
        return None  # "…,” said X": the speaker follows the verb
    if words[-1][0].endswith(","):
        # An apposition: "A, the head of B, said" or "A of B, said".
        segments = _segments([*words[:-1], (words[-1][0][:-1], words[-1][1], words[-1][2] - 1)])
        if not segments:
            return None
        last = segments[-1]
        text = body[last[0] : last[1]]
        if not _is_name_like(text) and len(segments) > 1:
            previous = body[segments[-2][0] : segments[-2][1]]
            if _is_name_like(previous) and len(previous.split()) <= 6:
                last = segments[-2]
        return _np(body, last[0], last[1])
    segments = _segments(words)
    return _np(body, segments[-1][0], segments[-1][1]) if segments else None


def _segments(words: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Split words at clause boundaries (commas, quotes, colons): spans of the pieces."""
    pieces: list[tuple[int, int]] = []
    current: list[tuple[str, int, int]] = []
    for word, s, e in words:
        if word[:1] in _BOUNDARY + '“"«' and current:
            pieces.append((current[0][1], current[-1][2]))
            current = []
        current.append((word, s, e))
        if word[-1:] in _BOUNDARY + '”"»':
            pieces.append((current[0][1], current[-1][2]))
            current = []
    if current:
        pieces.append((current[0][1], current[-1][2]))
    return pieces


def _np(body: str, start: int, end: int) -> tuple[int, int] | None:
    """Cut a clause to its noun phrase: after the last "that"/"who"…, no leading connective."""
    start, end = _trim(body, start, end)
    words = _words(body[start:end], start)
    for index in range(len(words) - 1, -1, -1):
        if _bare(words[index][0]) in _CLAUSE_WORDS:
            # "groups which have stated": the phrase before "which" speaks
            words = words[index + 1 :] or words[:index]
            break
    while words and _bare(words[0][0]) in _LEADING:
        words = words[1:]
    words = words[-MAX_SOURCE_WORDS:]
    if not words:
        return None
    span = _trim(body, words[0][1], words[-1][2])
    return span if span[0] < span[1] else None


def _phrase_after(body: str, start: int, end: int, names_only: bool = False) -> tuple[int, int]:
    """The phrase right after a verb, up to a clause boundary or a "that"/"who"."""
    words = _words(body[start:end], start)
    taken: list[tuple[str, int, int]] = []
    for word, s, e in words:
        bare = _bare(word)
        if bare in _CLAUSE_WORDS or (bare in {"as", "on", "at"} and taken):
            break
        if names_only and not word[:1].isupper() and taken:
            break
        if word[:1] in _PHRASE_STOP and taken:
            break
        taken.append((word, s, e))
        if word[-1:] in _PHRASE_STOP + ".!?" or len(taken) >= MAX_SOURCE_WORDS:
            break
    if not taken:
        return start, start
    return _trim(body, taken[0][1], taken[-1][2])


def attributions(key: str, body: str, sentences: Iterable[tuple[int, int]]) -> tuple[Citation, ...]:
    """Every attribution cue in the given sentence spans of one body, in reading order."""
    found: list[Citation] = []
    last_named: str | None = None
    for sentence_start, sentence_end in sentences:
        text = body[sentence_start:sentence_end]
        for match in _VERB_RE.finditer(text):
            verb_start, verb_end = sentence_start + match.start(), sentence_start + match.end()
            before = body[sentence_start:verb_start].split()
            if (
                before
                and _bare(before[-1]) in _PASSIVE
                and not match.group(1).lower().startswith("according")
            ):
                continue
            item = _read(key, body, sentence_start, sentence_end, verb_start, verb_end)
            if item is None:
                continue
            resolved = None
            if item.source and item.source.lower() in _PRONOUNS - {"it", "they", "we", "i"}:
                resolved = last_named
            elif item.source and _is_named_speaker(item.source):
                last_named = item.source
            found.append(_with_resolution(item, resolved))
    return tuple(found)


def attributions_of(key: str, body: str) -> tuple[Citation, ...]:
    """The attribution cues of one article alone, as the index finds them (boilerplate masked)."""
    doc = prepare(key, body, ())
    return attributions(key, body, [(s, e) for _, _, s, e in doc.sentences])


def _is_named_speaker(source: str) -> bool:
    """A source a later "he" or "she" may stand for: one person, not an outlet or a text."""
    lowered = source.lower()
    if lowered in _PRONOUNS or lowered in OUTLETS:
        return False
    if "statement" in lowered or "report" in lowered:
        return False
    last = source.split()[-1]
    return not (last[:1].islower() and last.endswith("s"))  # "the rebel officials"


def _with_resolution(item: Citation, resolved: str | None) -> Citation:
    if resolved is None:
        return item
    return Citation(
        item.key,
        item.verb,
        item.verb_start,
        item.verb_end,
        item.source,
        item.source_start,
        item.source_end,
        item.via,
        item.via_start,
        item.via_end,
        item.start,
        item.end,
        item.sentence_start,
        item.sentence_end,
        resolved,
    )


def _read(
    key: str, body: str, sentence_start: int, sentence_end: int, verb_start: int, verb_end: int
) -> Citation | None:
    verb = " ".join(body[verb_start:verb_end].lower().split())
    source: tuple[int, int] | None
    via: tuple[int, int] | None = None
    if verb == "according to":
        source = _phrase_after(body, verb_end, sentence_end)
    elif verb in {"quoted", "quotes"}:
        via = _clause_before(body, sentence_start, verb_start)
        source = _phrase_after(body, verb_end, sentence_end, names_only=True)
    else:
        source = _clause_before(body, sentence_start, verb_start)
        if source is None:
            source = _phrase_after(body, verb_end, sentence_end)
        if verb in {"told", "tells"}:
            via = _phrase_after(body, verb_end, sentence_end)
    if source is not None and source[0] >= source[1]:
        source = None
    if via is not None and via[0] >= via[1]:
        via = None
    if source is None and via is None:
        return None
    edges = [verb_start, verb_end]
    for span in (source, via):
        if span is not None:
            edges.extend(span)
    return Citation(
        key=key,
        verb=verb,
        verb_start=verb_start,
        verb_end=verb_end,
        source=body[source[0] : source[1]] if source else None,
        source_start=source[0] if source else None,
        source_end=source[1] if source else None,
        via=body[via[0] : via[1]] if via else None,
        via_start=via[0] if via else None,
        via_end=via[1] if via else None,
        start=min(edges),
        end=max(edges),
        sentence_start=sentence_start,
        sentence_end=sentence_end,
    )
