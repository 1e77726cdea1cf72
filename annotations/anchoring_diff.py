"""The diff the re-anchoring engine maps old offsets through (annotations/anchoring.py).

Pure Python (no Django). Two bodies are aligned by characters where they differ little and
by tokens (words, punctuation, runs of space) where they differ much, replacements are split
where a small edit sits beside a large one, and when the longest common run is displaced (a
copied paragraph, a reordering) the in-order alignment is weighed against it, keeping the one
that keeps more text in place. `Diff.map` then carries an offset of the old body to the new.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

_REFINE_TOKENS = 3
"""Replaced runs of the word diff of at most this many words a side are aligned by character."""

_REFINE_SIMILARITY = 0.75
"""Longer replaced runs are aligned by character only when at least this similar."""

_TRUSTED_RUN = 12
"""Unchanged runs of the diff shorter than this may be chance matches of common words."""

_BRACKET_RUN = 24
"""Unchanged runs of the diff at least this long mark a neighbourhood in both bodies."""

_BRACKET_REACH = 400
"""How far (characters) from a quote such a run may lie and still mark its neighbourhood."""

_BRACKET_SLACK = 64
"""How much more than double its old size a neighbourhood may grow and still be one place."""

_NEIGHBOURHOOD_KEPT = 0.4
"""Least share of a quote's old neighbourhood (quote included) kept in the new one."""

_TOKEN_RE = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")


def indel_similarity(a: str, b: str) -> float:
    """Indel similarity of two (folded) strings, 0-1."""
    return float(Indel.normalized_similarity(a, b))


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether two half-open spans share a character."""
    return a0 < b1 and b0 < a1


def _opcodes(
    old: str, new: str, contested: list[tuple[int, int]] | None = None
) -> list[tuple[str, int, int, int, int]]:
    """Character opcodes old -> new: word-level SequenceMatcher, small replacements by char.
    Spans of old that the alignment could about as well have put elsewhere go to contested."""
    if old == new:
        return [("equal", 0, len(old), 0, len(new))] if old else []
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    a_at, b_at = _cumulative(a), _cumulative(b)
    ops: list[tuple[str, int, int, int, int]] = []
    tokens_contested: list[tuple[int, int]] = []
    token_ops = _token_opcodes(a, b, tokens_contested)
    if contested is not None:
        contested.extend((a_at[t1], a_at[t2]) for t1, t2 in tokens_contested)
    for tag, t1, t2, u1, u2 in _split_replacements(a, b, token_ops):
        i1, i2, j1, j2 = a_at[t1], a_at[t2], b_at[u1], b_at[u2]
        if tag == "replace" and _refinable(a[t1:t2], b[u1:u2]):
            chars = SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
            for sub, c1, c2, d1, d2 in chars.get_opcodes():
                ops.append((sub, i1 + c1, i1 + c2, j1 + d1, j1 + d2))
        else:
            ops.append((tag, i1, i2, j1, j2))
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if merged and merged[-1][0] == op[0] == "equal":
            last = merged.pop()
            op = ("equal", last[1], op[2], last[3], op[4])
        merged.append(op)
    return merged


def _split_replacements(
    a: list[str], b: list[str], ops: list[tuple[str, int, int, int, int]]
) -> list[tuple[str, int, int, int, int]]:
    """Token opcodes with a few words replaced next to a long insertion or deletion (a typo
    fixed in the word before a new paragraph) split into that small replacement and the rest."""
    out: list[tuple[str, int, int, int, int]] = []
    for tag, t1, t2, u1, u2 in ops:
        small = min(t2 - t1, u2 - u1)
        if tag != "replace" or small > _REFINE_TOKENS or t2 - t1 == u2 - u1:
            out.append((tag, t1, t2, u1, u2))
            continue
        head = indel_similarity("".join(a[t1 : t1 + small]), "".join(b[u1 : u1 + small]))
        tail = indel_similarity("".join(a[t2 - small : t2]), "".join(b[u2 - small : u2]))
        if max(head, tail) < _REFINE_SIMILARITY:
            out.append((tag, t1, t2, u1, u2))
            continue
        rest = "delete" if t2 - t1 > u2 - u1 else "insert"
        if head >= tail:
            out.append(("replace", t1, t1 + small, u1, u1 + small))
            out.append((rest, t1 + small, t2, u1 + small, u2))
        else:
            out.append((rest, t1, t2 - small, u1, u2 - small))
            out.append(("replace", t2 - small, t2, u2 - small, u2))
    return out


def _token_opcodes(
    a: list[str], b: list[str], contested: list[tuple[int, int]] | None = None
) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of the token lists a -> b, from _token_blocks."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for ai, bj, size in [*_token_blocks(a, b, contested), (len(a), len(b), 0)]:
        if i < ai or j < bj:
            tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert"
            ops.append((tag, i, ai, j, bj))
        if size:
            ops.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return ops


def _token_blocks(
    a: list[str], b: list[str], contested: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, int]]:
    """Matching blocks (a start, b start, size) of a and b, in order.

    As SequenceMatcher: the longest common run first, then the same on each side of it. But a
    run displaced across other text (a paragraph copied elsewhere and left as it was, while
    its original was edited) would leave its original and everything in between unmatched:
    there the alignment with that run's new side withheld is computed too, and whichever of the
    two keeps more characters is taken. Where the displaced run wins by less than half its own
    length (the original was edited more than its copy), the text cannot say which of the two
    places is the run's: its token span goes to contested.
    """
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    a_at, b_at = _cumulative(a), _cumulative(b)
    blocks: list[tuple[int, int, int]] = []
    queue = [(0, len(a), 0, len(b))]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = matcher.find_longest_match(alo, ahi, blo, bhi)
        if not k:
            continue
        before = (b_at[j] - b_at[blo]) - (a_at[i] - a_at[alo])
        after = (a_at[ahi] - a_at[i + k]) - (b_at[bhi] - b_at[j + k])
        # Displaced: text stands between the run's two sides in one body and not the other
        # (on either side; deletions elsewhere may hide it on one).
        if max(abs(before), abs(after)) >= _BRACKET_RUN:
            greedy = _plain_blocks(a[alo:ahi], b[blo:bhi])
            withheld: list[object] = list(b[blo:bhi])
            withheld[j - blo : j - blo + k] = [object() for _ in range(k)]  # equal to nothing
            other = _plain_blocks(a[alo:ahi], withheld)
            kept_other, kept_greedy = _kept_chars(a, alo, other), _kept_chars(a, alo, greedy)
            if kept_other > kept_greedy:
                blocks.extend((alo + x, blo + y, n) for x, y, n in other)
                continue
            if contested is not None and 2 * (kept_greedy - kept_other) < a_at[i + k] - a_at[i]:
                contested.append(_displaced_chain(alo, i - alo, k, j - blo, greedy))
        blocks.append((i, j, k))
        queue += [(alo, i, blo, j), (i + k, ahi, j + k, bhi)]
    return sorted(blocks)


def _displaced_chain(
    offset: int, start: int, size: int, new_start: int, blocks: list[tuple[int, int, int]]
) -> tuple[int, int]:
    """The tokens (of a[offset:]) the alignment took with a displaced run a[start:start+size]
    to its new place b[new_start:...]: the run and its neighbours on either side that the
    alignment also put at or after that place, up to the first one it put before it."""
    target = {x + d: y + d for x, y, n in blocks for d in range(n)}
    first, last = start, start + size
    for token in range(start - 1, -1, -1):
        if token in target:
            if target[token] < new_start:
                break
            first = token
    for token in range(start + size, max(target, default=0) + 1):
        if token in target:
            if target[token] < new_start:
                break
            last = token + 1
    return offset + first, offset + last


def _plain_blocks(a: Sequence[object], b: Sequence[object]) -> list[tuple[int, int, int]]:
    """SequenceMatcher's matching blocks of a and b (without the final empty one)."""
    found = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return [(x, y, n) for x, y, n in found if n]


def _kept_chars(a: list[str], offset: int, blocks: list[tuple[int, int, int]]) -> int:
    """Characters of a that blocks (of a[offset:]) keep."""
    return sum(len(token) for x, _, n in blocks for token in a[offset + x : offset + x + n])


def _refinable(old: list[str], new: list[str]) -> bool:
    """Whether a replaced run is a small edit worth aligning character by character."""
    if max(len(old), len(new)) <= _REFINE_TOKENS:
        return True
    return indel_similarity("".join(old), "".join(new)) >= _REFINE_SIMILARITY


def _cumulative(tokens: list[str]) -> list[int]:
    """Offset of each token boundary."""
    at = [0]
    for token in tokens:
        at.append(at[-1] + len(token))
    return at


class Diff:
    """An alignment of an old body with a new one, for mapping offsets both ways."""

    __slots__ = (
        "_by_new",
        "_by_old",
        "_contested",
        "_long",
        "_long_i1",
        "_long_i2",
        "_new_j1",
        "_old_i1",
        "_old_i2",
        "new_len",
        "old_len",
    )

    def __init__(self, old: str, new: str) -> None:
        """Align old with new."""
        self._contested: list[tuple[int, int]] = []
        ops = _opcodes(old, new, self._contested)
        self.old_len, self.new_len = len(old), len(new)
        self._by_old = [op for op in ops if op[1] < op[2]]
        self._old_i1 = [op[1] for op in self._by_old]
        self._old_i2 = [op[2] for op in self._by_old]
        self._by_new = [op for op in ops if op[3] < op[4]]
        self._new_j1 = [op[3] for op in self._by_new]
        self._long = [op for op in ops if op[0] == "equal" and op[2] - op[1] >= _BRACKET_RUN]
        self._long_i1 = [op[1] for op in self._long]
        self._long_i2 = [op[2] for op in self._long]

    def contested(self, start: int, end: int) -> bool:
        """Whether old[start:end] lies in a stretch the alignment could about as well have
        matched with another place of the new body (an edited original and its cleaner copy)."""
        return any(overlaps(start, end, c1, c2) for c1, c2 in self._contested)

    def bracket(self, start: int, end: int) -> tuple[int, int, int, int] | None:
        """The stretch of the new body between the long unchanged runs nearest old[start:end].

        None unless there is such a run on each side within _BRACKET_REACH, in order, and the
        stretch between them has not grown much: the quote's neighbourhood is then still one
        place in the new body, whatever became of the words right next to it.
        """
        # A body's edge serves as such a run.
        before = bisect_left(self._long_i1, start) - 1
        after = bisect_right(self._long_i2, end)
        if before >= 0:
            _, b1, b2, c1, _ = self._long[before]
            old_from = min(b2, start)
            new_from = c1 + (old_from - b1)
        else:
            old_from = new_from = 0
        if after < len(self._long):
            _, a1, _, d1, _ = self._long[after]
            old_to = max(a1, end)
            new_to = d1 + (old_to - a1)
        else:
            old_to, new_to = self.old_len, self.new_len
        old_gap = old_to - old_from
        if start - old_from > _BRACKET_REACH or old_to - end > _BRACKET_REACH:
            return None
        if not 0 <= new_to - new_from <= 2 * old_gap + _BRACKET_SLACK:
            return None
        # Most of the old neighbourhood must still be there: not a block moved or replaced.
        if self.kept_share(old_from, old_to, new_from, new_to) < _NEIGHBOURHOOD_KEPT:
            return None
        return old_from, old_to, new_from, new_to

    def kept_span(self, start: int, end: int) -> tuple[int, int, int] | None:
        """Where the diff keeps old[start:end] in trusted unchanged runs: the first and last new
        offsets it keeps, and how many characters; None if it keeps none."""
        first, last, kept = -1, -1, 0
        index = max(0, bisect_right(self._old_i1, start) - 1)
        while index < len(self._by_old) and self._by_old[index][1] < end:
            tag, i1, i2, j1, _ = self._by_old[index]
            lo, hi = max(start, i1), min(end, i2)
            if tag == "equal" and lo < hi and i2 - i1 >= _TRUSTED_RUN:
                first = j1 + lo - i1 if first < 0 else first
                last = j1 + hi - i1
                kept += hi - lo
            index += 1
        return (first, last, kept) if kept else None

    def kept_share(self, start: int, end: int, new_start: int, new_end: int) -> float:
        """Share of old[start:end] that the diff keeps unchanged inside new[new_start:new_end]."""
        if end <= start:
            return 0.0
        kept = 0
        index = max(0, bisect_right(self._old_i1, start) - 1)
        while index < len(self._by_old) and self._by_old[index][1] < end:
            tag, i1, i2, j1, _ = self._by_old[index]
            if tag == "equal":
                lo, hi = max(start, i1), min(end, i2)
                lo_new, hi_new = j1 + lo - i1, j1 + hi - i1
                kept += max(0, min(hi_new, new_end) - max(lo_new, new_start))
            index += 1
        return kept / (end - start)

    def map_start(self, offset: int) -> int:
        """Where a span starting at this old offset starts in the new body."""
        if offset >= self.old_len or not self._by_old:
            return self.new_len
        tag, i1, _, j1, _ = self._by_old[max(0, bisect_right(self._old_i1, offset) - 1)]
        return j1 + (offset - i1) if tag == "equal" else j1

    def map_end(self, offset: int) -> int:
        """Where a span ending at this old offset ends in the new body."""
        if offset <= 0 or not self._by_old:
            return 0
        index = min(bisect_left(self._old_i2, offset), len(self._by_old) - 1)
        tag, i1, _, j1, j2 = self._by_old[index]
        return j1 + (offset - i1) if tag == "equal" else j2

    def unchanged(self, start: int, end: int, margin: int) -> bool:
        """Whether old[start-margin:end+margin] (clipped) lies inside one unchanged run."""
        lo, hi = max(0, start - margin), min(self.old_len, end + margin)
        if not self._by_old or lo >= hi:
            return False
        tag, i1, i2, _, _ = self._by_old[max(0, bisect_right(self._old_i1, lo) - 1)]
        return tag == "equal" and i1 <= lo and hi <= i2

    def owned(self, start: int, end: int, mine: tuple[int, int], *, whole: bool) -> bool:
        """Whether new[start:end] is unchanged old text from outside `mine` (all, or half)."""
        # With whole, all of it lies in trusted unchanged runs: it is then another copy of the
        # same words that stayed where it was. Short runs may be chance matches: not counted.
        covered = 0
        index = max(0, bisect_right(self._new_j1, start) - 1)
        while index < len(self._by_new) and self._by_new[index][3] < end:
            tag, i1, _, j1, j2 = self._by_new[index]
            lo, hi = max(start, j1), min(end, j2)
            if tag == "equal" and lo < hi and j2 - j1 >= _TRUSTED_RUN:
                if overlaps(i1 + lo - j1, i1 + hi - j1, *mine):
                    return False
                covered += hi - lo
            index += 1
        return covered == end - start > 0 if whole else 2 * covered >= end - start > 0
