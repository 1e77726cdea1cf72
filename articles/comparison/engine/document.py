"""One article prepared for comparison: matching words with their spans, sentences, n-grams.

A body is folded with `normalize_for_matching` (NFKC, quotes, dashes, spaces, case) and cut
into words; every word keeps the span of the body it came from, so anything found on the
folded words maps back to exact code-point offsets of the stored body. Boilerplate lines
(licences, share buttons), a trailing comment section, and the lines the article's outlet
repeats across its own articles (given as `repeated` line hashes) are masked: they get no
words, so nothing can ever link to them.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain
from typing import TYPE_CHECKING, Any

from articles.ingest.text import STOPWORDS, normalize_for_matching, sentence_spans

# Words of the folded text: letters and digits, keeping inner apostrophes, hyphens and dots.
WORD_RE = re.compile(r"[^\W_]+(?:['\-.][^\W_]+)*")
_PARAGRAPH_RE = re.compile(r"[^\n]+")

if TYPE_CHECKING:
    from datetime import date

    from .dates import DateValue
    from .similarity import DocFeatures

# A whole line that is site furniture, never article text.
_FURNITURE_RE = re.compile(
    r"""^\W*(?:share(?:\s+this(?:\s+article|\s+story|\s+post)?)?|tweet|email|print|subscribe
    |follow\s+us.*|support\s+\w+|read\s+more|related(?:\s+(?:articles|posts|stories))?
    |advertisement|sponsored(?:\s+content)?)\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A line that states a licence or copyright.
_LICENCE_RE = re.compile(
    r"""creative\s+commons|all\s+rights\s+reserved|licen[cs]ed\s+under|copyright\s+(?:©|\(c\)|\d)
    |^\W*©|reproduction\s+(?:is\s+)?(?:prohibited|forbidden|without)
    |may\s+not\s+be\s+(?:re)?(?:published|reproduced|redistributed)
    |attribution-(?:noncommercial|sharealike|noderivs)""",
    re.IGNORECASE | re.VERBOSE,
)
# A line that opens a comment section: everything from it to the end is masked.
_COMMENTS_RE = re.compile(
    r"""^\W*(?:notify\s+of|newest\s+most\s+voted|inline\s+feedbacks|view\s+all\s+comments
    |comments?\s+are\s+closed|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|add\s+a\s+comment
    |join\s+the\s+discussion|\d+\s+comments?|comments?|would\s+love\s+your\s+thoughts.*
    |log\s*in\s+to\s+(?:comment|reply))\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


# Quick tests over a whole body: a line can match one of the patterns above only if one of
# these matches (each line-anchored pattern, or a word every licence alternative holds).
_LINE_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_FURNITURE_RE, _COMMENTS_RE)),
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
_LICENCE_WORDS = ("creative", "rights", "licen", "copyright", "©", "reproduction", "attribution-")
_MAY_NOT_RE = re.compile(r"may\s+not\s+be")


def boilerplate_spans(
    body: str, repeated: Set[int] = frozenset(), lines: list[int] | None = None
) -> list[tuple[int, int]]:
    """Spans of the body that are boilerplate: licence lines, site furniture, comments, and
    the lines whose `line_hash` is in `repeated` (what the article's outlet repeats across its
    own articles; see `CorpusIndex`). Sorted, disjoint. `lines`: `line_hash_list(body)`, when
    known already."""
    spans: list[tuple[int, int]] = []
    # Case-insensitive matching also takes dotted and dotless I for i: fold them first.
    folded = body.replace("\u0130", "i").replace("\u0131", "i").casefold()
    # A line can be furniture or open comments only if _LINE_RE finds something in the body,
    # and a licence line only if one of the licence words is in it.
    furniture = _LINE_RE.search(body) is not None
    licence = any(word in folded for word in _LICENCE_WORDS) or bool(_MAY_NOT_RE.search(folded))
    if not (repeated or furniture or licence):
        return spans
    if repeated and lines is None:
        lines = line_hash_list(body)
    for index, line in enumerate(_PARAGRAPH_RE.finditer(body)):
        text = line.group()
        if furniture and _COMMENTS_RE.match(text):
            spans.append((line.start(), len(body)))
            break
        if (
            (licence and _LICENCE_RE.search(text))
            or (furniture and _FURNITURE_RE.match(text))
            or (repeated and lines is not None and lines[index] in repeated)
        ):
            spans.append((line.start(), line.end()))
    return spans


def _words_hash(words: list[str]) -> int:
    """Folded words hashed alike in every process (0 for none)."""
    if not words:
        return 0
    digest = hashlib.blake2b("\x1f".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest) & _HASH_BITS or 1


@lru_cache(maxsize=1 << 16)
def line_hash(text: str) -> int:
    """A line's words as matching folds them, hashed (0 for a line without words): the same
    line in any typography hashes alike, in every process (a store may keep it)."""
    return _words_hash(WORD_RE.findall(fold(text).text))


def line_hash_list(body: str) -> list[int]:
    """The `line_hash` of each line of a body (each run of characters without a line break),
    in order; the body is folded once (line by line only when folding is not char for char)."""
    folded = fold(body)
    if folded.offsets is not None:
        return [line_hash(line.group()) for line in _PARAGRAPH_RE.finditer(body)]
    text, find = folded.text, WORD_RE.findall
    return [_words_hash(find(text, *line.span())) for line in _PARAGRAPH_RE.finditer(body)]


def line_hashes(body: str) -> set[int]:
    """The `line_hash` of every line of a body that has words."""
    found = set(line_hash_list(body))
    found.discard(0)
    return found


def is_content(word: str) -> bool:
    """True for a folded word that carries meaning (not a stop word, not one letter)."""
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


@dataclass(frozen=True, slots=True)
class Folded:
    """A body folded for matching; offsets[i] is the body offset of folded character i.

    offsets is None when every character folds to exactly one character (almost every
    body): folded offsets are then body offsets.
    """

    text: str
    offsets: tuple[int, ...] | None

    def words(self, pattern: re.Pattern[str]) -> list[tuple[str, int, int]]:
        """The matches of `pattern` in the folded text, with their spans in the body."""
        matches = list(pattern.finditer(self.text))
        offsets = self.offsets
        if offsets is None:
            return list(
                zip(
                    map(re.Match.group, matches),
                    map(re.Match.start, matches),
                    map(re.Match.end, matches),
                    strict=True,
                )
            )
        return [(m.group(), offsets[m.start()], offsets[m.end() - 1] + 1) for m in matches]


# How single characters fold, learnt as they are met. A body folds fast (lower-cased, then
# the few characters in _SPECIAL replaced) unless it holds a character of _MULTI: one that
# folds to several characters or none, or whose lower case folds otherwise than it does.
_SPECIAL: dict[str, str] = {}
_MULTI: set[str] = set()
_KNOWN: set[str] = set()
_special_re: re.Pattern[str] | None = None


def _fold_char(char: str) -> str:
    folded = normalize_for_matching(f"a{char}a").text[1:-1]
    return char if char.isspace() and folded == " " else folded


def _learn(char: str) -> None:
    global _special_re
    _KNOWN.add(char)
    folded, lower = _fold_char(char), char.lower()
    if len(folded) != 1 or len(lower) != 1 or _fold_char(lower) != folded:
        _MULTI.add(char)
    elif lower != folded and lower not in _SPECIAL:
        _SPECIAL[lower] = folded
        _special_re = re.compile("[" + "".join(re.escape(c) for c in sorted(_SPECIAL)) + "]")


for _code in range(128):
    _learn(chr(_code))


def fold(body: str) -> Folded:
    """The body folded as `normalize_for_matching` folds it, cheaply when it can be."""
    text = body.lower()
    if not body.isascii():
        chars = set(body)
        for char in chars - _KNOWN:
            _learn(char)
        if not chars.isdisjoint(_MULTI):
            norm = normalize_for_matching(body)
            return Folded(norm.text, norm.offsets)
    if _special_re is not None:
        text = _special_re.sub(lambda match: _SPECIAL[match.group()], text)
    return Folded(text, None)


@dataclass(slots=True)
class Tokens:
    """The matching words of a body: word i is body[starts[i]:ends[i]], folded to keys[i]."""

    keys: list[str]
    starts: array[int]
    ends: array[int]
    # Token indices that follow a masked gap: nothing may match across them.
    breaks: frozenset[int]
    masked: list[tuple[int, int]]
    # Token indices that open a paragraph (but the first): n-grams are counted within one.
    paragraphs: frozenset[int]


def _paragraph_starts(body: str, starts: array[int]) -> frozenset[int]:
    """The tokens that follow a line break (but the first token)."""
    found = set()
    at = body.find("\n")
    while at >= 0:
        index = bisect_right(starts, at)
        if 0 < index < len(starts):
            found.add(index)
        at = body.find("\n", at + 1)
    return frozenset(found)


def tokenize(
    body: str,
    folded: Folded | None = None,
    repeated: Set[int] = frozenset(),
    masked: list[tuple[int, int]] | None = None,
) -> Tokens:
    """Fold and cut a body into words, leaving out boilerplate (masked) spans (`repeated`: see
    `boilerplate_spans`; `masked`: those spans, when known already)."""
    if masked is None:
        masked = boilerplate_spans(body, repeated)
    folded = folded if folded is not None else fold(body)
    matches = list(WORD_RE.finditer(folded.text))
    keys = list(map(sys.intern, map(re.Match.group, matches)))
    offsets = folded.offsets
    if offsets is None:
        starts = array("i", map(re.Match.start, matches))
        ends = array("i", map(re.Match.end, matches))
    else:
        starts = array("i", [offsets[m.start()] for m in matches])
        ends = array("i", [offsets[m.end() - 1] + 1 for m in matches])
    if not masked:
        return Tokens(keys, starts, ends, frozenset(), masked, _paragraph_starts(body, starts))
    # Tokens that start inside a masked span go (spans are sorted and disjoint); the first
    # token kept after a span's start follows a break when the token before it ends first.
    kept_keys: list[str] = []
    kept_starts = array("i")
    kept_ends = array("i")
    at = 0
    for start, end in masked:
        low = bisect_left(starts, start)
        if low > at:
            kept_keys.extend(keys[at:low])
            kept_starts.extend(starts[at:low])
            kept_ends.extend(ends[at:low])
        at = max(at, bisect_left(starts, end))
    kept_keys.extend(keys[at:])
    kept_starts.extend(starts[at:])
    kept_ends.extend(ends[at:])
    breaks: set[int] = set()
    for start, _ in masked:
        after = bisect_right(kept_starts, start)
        if 0 < after < len(kept_keys) and kept_ends[after - 1] <= start:
            breaks.add(after)
    paragraphs = _paragraph_starts(body, kept_starts)
    return Tokens(kept_keys, kept_starts, kept_ends, frozenset(breaks), masked, paragraphs)


_HASH_BITS = (1 << 60) - 1


def gram_hashes(keys: list[str], breaks: Set[int], n: int) -> array[int]:
    """Positional n-gram hashes: item i hashes keys[i:i + n] (0 when it spans a break)."""
    if len(keys) < n:
        return array("q")
    # 60 bits: the ints kept in the postings take 32 bytes each, not 36.
    hashes = map(hash, zip(*(keys[k:] for k in range(n)), strict=False))
    out = array("q", map(_HASH_BITS.__and__, hashes))
    if 0 in out:
        out = array("q", (value or 1 for value in out))
    for b in breaks:
        for i in range(max(0, b - n + 1), min(b, len(out))):
            out[i] = 0
    return out


def gram_sets(
    body: str,
    sizes: tuple[int, ...],
    repeated: Set[int] = frozenset(),
    masked: list[tuple[int, int]] | None = None,
) -> dict[int, set[int]]:
    """The distinct n-gram hashes of a body by size, without preparing the rest of it
    (`masked`: `boilerplate_spans(body, repeated)`, when known already)."""
    out: dict[int, set[int]] = {n: set() for n in sizes}
    folded = fold(body)
    if masked is None:
        masked = boilerplate_spans(body, repeated)
    if folded.offsets is not None or masked:
        tokens = tokenize(body, folded, repeated, masked)
        for n in sizes:
            out[n].update(gram_hashes(tokens.keys, tokens.breaks | tokens.paragraphs, n))
    else:  # folded character for character, nothing masked: the words of each line will do
        lines = [WORD_RE.findall(line) for line in folded.text.split("\n")]
        keys = list(chain.from_iterable(lines))
        cuts = set(accumulate(map(len, lines)))
        for n in sizes:
            out[n].update(gram_hashes(keys, cuts, n))
    for found in out.values():
        found.discard(0)
    return out


@dataclass(slots=True)
class Doc:
    """An article ready for matching; token i is body[starts[i]:ends[i]], folded to keys[i]."""

    key: str
    body: str
    keys: list[str]
    starts: array[int]
    ends: array[int]
    # Token indices that follow a masked gap: nothing may match across them.
    breaks: frozenset[int]
    # Sentences as (first token, end token, body start, body end); sent_of[i] for each token.
    sentences: list[tuple[int, int, int, int]]
    sent_of: array[int]
    # Positional n-gram hashes: grams[n][i] hashes keys[i:i + n] (0 when it spans a break).
    grams: dict[int, array[int]]
    masked: list[tuple[int, int]]
    # Per-sentence similarity features, filled on first use by similarity.sentence_features,
    # and where each n-gram occurs (align), by size: both can be dropped and made again.
    features: DocFeatures | None = None
    positions: dict[int, tuple[dict[int, int], dict[int, list[int]]]] | None = None
    # The dates of each sentence (dates.article_dates), the names of some (differences).
    dates: list[list[DateValue]] | None = None
    entities: dict[int, frozenset[str]] | None = None
    # The publication date the caller gave (datetime.date), and what stance.py reads of the
    # article (per-sentence predicates and dated events, the dateline), cached.
    published: date | None = None
    readings: dict[str, Any] | None = None  # by what was read: "predicates", "dateline"...

    def gram_set(self, n: int) -> set[int]:
        """The distinct n-gram hashes of size n."""
        found = set(self.grams[n])
        found.discard(0)
        return found

    def token_span(self, first: int, last: int) -> tuple[int, int]:
        """The body span from token `first` to token `last` inclusive."""
        return self.starts[first], self.ends[last]


def prepare(
    key: str,
    body: str,
    sizes: tuple[int, ...],
    folded: Folded | None = None,
    repeated: Set[int] = frozenset(),
) -> Doc:
    """Fold, tokenise, split into sentences and hash the n-grams of one article body
    (`repeated`: the outlet's own boilerplate lines, see `boilerplate_spans`)."""
    tokens = tokenize(body, folded, repeated)
    keys, starts, ends = tokens.keys, tokens.starts, tokens.ends
    sentences = _sentences(body, tokens.masked, starts, ends)
    sent_of = array("i", [0]) * len(keys)
    for index, (first, last, _, _) in enumerate(sentences):
        sent_of[first:last] = array("i", [index]) * (last - first)
    cuts = tokens.breaks | tokens.paragraphs
    grams = {n: gram_hashes(keys, cuts, n) for n in sizes}
    return Doc(
        key, body, keys, starts, ends, tokens.breaks, sentences, sent_of, grams, tokens.masked
    )


def _sentences(
    body: str, masked: list[tuple[int, int]], starts: array[int], ends: array[int]
) -> list[tuple[int, int, int, int]]:
    """Sentences holding at least one token, with their token ranges; tokens all belong to one."""
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH_RE.finditer(body):
        if any(s <= paragraph.start() < e for s, e in masked):
            continue
        spans.extend(sentence_spans(body, paragraph.start(), paragraph.end()))
    out: list[tuple[int, int, int, int]] = []
    token = 0
    count = len(starts)
    for index, (s, e) in enumerate(spans):
        first = token
        limit = spans[index + 1][0] if index + 1 < len(spans) else len(body) + 1
        while token < count and starts[token] < limit:
            token += 1
        if token > first:
            out.append((first, token, min(s, starts[first]), max(e, ends[token - 1])))
    if token < count:  # tokens before the first sentence or outside every span
        if out:
            first, _, s, _ = out[-1]
            out[-1] = (first, count, s, ends[count - 1])
        else:
            out.append((0, count, starts[0], ends[count - 1]))
    return out
