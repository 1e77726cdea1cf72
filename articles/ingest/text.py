"""Plain-text helpers shared by the extraction rules: sentences, words, matching keys.

Everything here works on Python strings and code-point offsets; nothing imports Django.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

OPENING = "\"'“‘«(["
CLOSING = "\"'”’»)]"
TERMINAL = ".!?…"

# Words that end in a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt maj gov sen rep st mt jr sr vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec no fig approx dept est".split()
)

_WORD_RE = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")
# Whitespace that may end a sentence: after terminal punctuation or a closing quote/bracket.
_BOUNDARY_RE = re.compile(r"(?<=[.!?…\"'”’»)\]])\s+")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own s same she should so some such t than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours said says say""".split()
)


def words(text: str) -> list[str]:
    """The words of a text, keeping inner apostrophes, hyphens and dots (al-Zawr, U.S)."""
    return _WORD_RE.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


@lru_cache(maxsize=4096)
def line_word_count(text: str) -> int:
    """`word_count` of a line or sentence, remembered: the rules ask it of the same few
    lines again and again while one file is read."""
    return len(words(text))


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning: not stop words, not bare numbers."""
    found = set()
    for word in words(matching_key(text)):
        if word in STOPWORDS or word.isdigit() or len(word) < 2:
            continue
        found.add(word)
        # "Astana’s" and "Astana" are the same topic word.
        for suffix in ("'s", "’s"):
            if word.endswith(suffix):
                found.add(word[: -len(suffix)])
    return found


def ends_sentence(text: str) -> bool:
    """True when the text ends with terminal punctuation, possibly inside closing quotes."""
    stripped = text.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in TERMINAL + ":;,"


# --- Normalisation for matching ------------------------------------------------------------

_FOLD = {
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "`": "'",
    "–": "-",
    "—": "-",
    "‒": "-",
    "−": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
}


@dataclass(frozen=True, slots=True)
class Normalized:
    """A text folded for matching, and for each of its characters the offset it came from."""

    text: str
    offsets: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to a span of the original text."""
        if start >= end:
            raise ValueError("empty span")
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize_for_matching(text: str) -> Normalized:
    """Fold quotes, dashes, spaces and case, and collapse whitespace, keeping an offset map.

    The stored text is never changed: only this folded copy is, and `offsets[i]` gives the
    position in `text` of the character that produced normalised character `i`.
    """
    out: list[str] = []
    offsets: list[int] = []
    previous_space = True
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            if piece.isspace():
                if previous_space:
                    continue
                piece = " "
                previous_space = True
            else:
                previous_space = False
            out.append(piece)
            offsets.append(index)
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return Normalized("".join(out), tuple(offsets))


@cache
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", _FOLD.get(char, char)).casefold()


def matching_key(text: str) -> str:
    """The same text as `normalize_for_matching(text).text`, without the offset map."""
    return " ".join("".join(map(_fold_char, text)).split())


# --- Sentences -----------------------------------------------------------------------------


def _is_abbreviation(before: str) -> bool:
    match = re.search(r"([^\W\d_][\w.]*)\.$", before)
    if not match:
        return False
    token = match.group(1).lower().rstrip(".")
    if token in ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S.", "a.m."
    return len(token) == 1 or bool(re.fullmatch(r"(?:\w\.)+\w", token))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split text[start:end] into sentences; spans are trimmed of surrounding whitespace.

    A boundary is whitespace after terminal punctuation (possibly inside closing quotes or
    brackets) followed by something that can open a sentence, or whitespace after a
    parenthetical that stands alone, such as "(source: Farsnews)".
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    while cursor < end and text[cursor].isspace():
        cursor += 1
    sentence_start = cursor
    for gap in _BOUNDARY_RE.finditer(text, cursor, end):
        if gap.end() >= end or gap.start() <= sentence_start:
            continue
        before = text[sentence_start : gap.start()]
        after = text[gap.end()]
        opens = after.isupper() or after.isdigit() or after in OPENING
        if not opens:
            continue
        core = before.rstrip(CLOSING)
        terminal = bool(core) and core[-1] in TERMINAL and not _is_abbreviation(core)
        standalone = before.startswith("(") and before.endswith(")") and before.count("(") == 1
        if terminal or standalone:
            spans.append((sentence_start, gap.start()))
            sentence_start = gap.end()
    tail_end = end
    while tail_end > sentence_start and text[tail_end - 1].isspace():
        tail_end -= 1
    if tail_end > sentence_start:
        spans.append((sentence_start, tail_end))
    return spans
