"""One article prepared for comparison: matching words with their spans, sentences, n-grams.

A body is folded with `normalize_for_matching` (NFKC, quotes, dashes, spaces, case) and cut
into words; every word keeps the span of the body it came from, so anything found on the
folded words maps back to exact code-point offsets of the stored body. Boilerplate lines
(licences, share buttons) and a trailing comment section are masked: they get no words, so
nothing can ever link to them.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from dataclasses import dataclass

from articles.ingest.text import (
    STOPWORDS,
    Normalized,
    normalize_for_matching,
    sentence_spans,
)

# Words of the folded text: letters and digits, keeping inner apostrophes, hyphens and dots.
WORD_RE = re.compile(r"[^\W_]+(?:['\-.][^\W_]+)*")
_PARAGRAPH_RE = re.compile(r"[^\n]+")

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


def boilerplate_spans(body: str) -> list[tuple[int, int]]:
    """Spans of the body that are boilerplate: licence lines, site furniture, comments."""
    spans: list[tuple[int, int]] = []
    for line in _PARAGRAPH_RE.finditer(body):
        text = line.group()
        if _COMMENTS_RE.match(text):
            spans.append((line.start(), len(body)))
            break
        if _LICENCE_RE.search(text) or _FURNITURE_RE.match(text):
            spans.append((line.start(), line.end()))
    return spans


def is_content(word: str) -> bool:
    """True for a folded word that carries meaning (not a stop word, not one letter)."""
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


@dataclass(slots=True)
class Doc:
    """An article ready for matching; token i is body[starts[i]:ends[i]], folded to keys[i]."""

    key: str
    body: str
    keys: list[str]
    starts: array
    ends: array
    # Token indices that follow a masked gap: nothing may match across them.
    breaks: frozenset[int]
    # Sentences as (first token, end token, body start, body end); sent_of[i] for each token.
    sentences: list[tuple[int, int, int, int]]
    sent_of: array
    # Positional n-gram hashes: grams[n][i] hashes keys[i:i + n] (0 when it spans a break).
    grams: dict[int, array]
    # The distinct n-gram hashes, by size.
    sets: dict[int, frozenset[int]]
    masked: list[tuple[int, int]]
    # The folded body and its offset map (framing reads it too).
    norm: Normalized | None = None
    # Per-sentence similarity features, filled on first use by similarity.sentence_features.
    features: list | None = None

    def all_grams(self) -> frozenset[int]:
        """The distinct n-gram hashes of every size."""
        return frozenset().union(*self.sets.values())

    def token_span(self, first: int, last: int) -> tuple[int, int]:
        """The body span from token `first` to token `last` inclusive."""
        return self.starts[first], self.ends[last]


def _gram_hashes(keys: list[str], breaks: frozenset[int], n: int) -> array:
    out = array("q", [0]) * max(0, len(keys) - n + 1)
    for i in range(len(out)):
        if breaks and any(j in breaks for j in range(i + 1, i + n)):
            continue
        value = hash(tuple(keys[i : i + n]))
        out[i] = value if value != 0 else 1
    return out


def prepare(key: str, body: str, sizes: tuple[int, ...]) -> Doc:
    """Fold, tokenise, split into sentences and hash the n-grams of one article body."""
    masked = boilerplate_spans(body)
    norm = normalize_for_matching(body)
    offsets = norm.offsets
    keys: list[str] = []
    starts = array("i")
    ends = array("i")
    breaks: set[int] = set()
    mask_starts = [s for s, _ in masked]
    previous_end = 0
    for match in WORD_RE.finditer(norm.text):
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        if masked:
            slot = bisect_right(mask_starts, start) - 1
            if slot >= 0 and start < masked[slot][1]:
                continue
            if keys and any(previous_end <= s < start for s in mask_starts):
                breaks.add(len(keys))
        keys.append(sys.intern(match.group()))
        starts.append(start)
        ends.append(end)
        previous_end = end
    sentences = _sentences(body, masked, starts, ends)
    sent_of = array("i", [0]) * len(keys)
    for index, (first, last, _, _) in enumerate(sentences):
        for i in range(first, last):
            sent_of[i] = index
    frozen = frozenset(breaks)
    grams = {n: _gram_hashes(keys, frozen, n) for n in sizes}
    sets = {n: frozenset(grams[n]) - {0} for n in sizes}
    return Doc(key, body, keys, starts, ends, frozen, sentences, sent_of, grams, sets, masked, norm)


def _sentences(
    body: str, masked: list[tuple[int, int]], starts: array, ends: array
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
