"""Matching blocks of two short sequences (windows of words, a sentence's words, a name's
letters): the longest common run first, then the longest on each side of it, recursively.

This is the alignment `difflib.SequenceMatcher(None, a, b, autojunk=False)` makes (no junk,
no popular items), computed without building a matcher: the engine aligns hundreds of
thousands of windows of ten words, where setting a matcher up cost more than aligning.
`matching_blocks` equals its `get_matching_blocks()` but the final (len(a), len(b), 0),
`ratio` its `ratio()` and `edits` its `get_opcodes()` but the "equal" ones (a property test
holds them to difflib's).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

Block = tuple[int, int, int]  # (start in a, start in b, length)
Edit = tuple[Literal["replace", "delete", "insert"], int, int, int, int]


def _longest(
    a: Sequence[Hashable],
    places: dict[Hashable, list[int]],
    a_low: int,
    a_high: int,
    b_low: int,
    b_high: int,
) -> Block:
    """The longest run of equal items in a[a_low:a_high] and b[b_low:b_high]; of equally long
    ones the one that ends first in a, then first in b. `places`: where each item is in b."""
    best_i = best_j = best = 0
    ending: dict[int, int] = {}  # run length ending at b[j] for the previous item of a
    for i in range(a_low, a_high):
        now: dict[int, int] = {}
        for j in places.get(a[i], ()):
            if j < b_low:
                continue
            if j >= b_high:
                break
            length = now[j] = ending.get(j - 1, 0) + 1
            if length > best:
                best_i, best_j, best = i - length + 1, j - length + 1, length
        ending = now
    return best_i, best_j, best


def matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Block]:
    """The runs of equal items two sequences share, in order, adjacent runs joined."""
    places: dict[Hashable, list[int]] = {}
    for j, item in enumerate(b):
        places.setdefault(item, []).append(j)
    found: list[Block] = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        a_low, a_high, b_low, b_high = todo.pop()
        i, j, size = _longest(a, places, a_low, a_high, b_low, b_high)
        if not size:
            continue
        found.append((i, j, size))
        if a_low < i and b_low < j:
            todo.append((a_low, i, b_low, j))
        if i + size < a_high and j + size < b_high:
            todo.append((i + size, a_high, j + size, b_high))
    found.sort()
    joined: list[Block] = []
    for i, j, size in found:
        if joined:
            pi, pj, psize = joined[-1]
            if pi + psize == i and pj + psize == j:
                joined[-1] = (pi, pj, psize + size)
                continue
        joined.append((i, j, size))
    return joined


def ratio(blocks: Sequence[Block], a_length: int, b_length: int) -> float:
    """How alike two sequences are, 2 * matched / total items (1.0 for two empty ones)."""
    total = a_length + b_length
    if not total:
        return 1.0
    return 2.0 * sum(size for _, _, size in blocks) / total


def edits(blocks: Sequence[Block], a_length: int, b_length: int) -> list[Edit]:
    """The stretches between the blocks: (kind, a_start, a_end, b_start, b_end), kind
    "replace" (both sides hold items), "delete" (only a) or "insert" (only b)."""
    out: list[Edit] = []
    i = j = 0
    for x, y, size in (*blocks, (a_length, b_length, 0)):
        if i < x and j < y:
            out.append(("replace", i, x, j, y))
        elif i < x:
            out.append(("delete", i, x, j, y))
        elif j < y:
            out.append(("insert", i, x, j, y))
        i, j = x + size, y + size
    return out
