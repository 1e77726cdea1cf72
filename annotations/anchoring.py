"""Re-anchoring of annotations when an article's body changes: strings in, offsets out.

Pure Python (no Django). Selectors follow the W3C Web Annotation model: a TextQuoteSelector
(exact, prefix, suffix) together with a TextPositionSelector (start, end), offsets in Unicode
code points of the body, i.e. Python str indices.

`reanchor` moves a selector from an old body to a new one in four steps: (1) map the old
offsets through a diff of the two bodies and keep them when the quote is still there;
(2) search the exact quote, choosing among several matches by agreement of the surrounding
text and closeness to the mapped position; (3) search a similar passage (rapidfuzz), accepted
only above FUZZY_THRESHOLD and with supporting context; (4) otherwise give up (ORPHANED).
`locate` does steps 2-4 when no old body is known. Wherever a match is doubtful the engine
prefers orphaning to attaching an annotation to the wrong words.

Typographic variants (curly and straight quotes, kinds of dash, kinds of space) count as equal
when comparing text, so an edit that only normalises typography gives a FUZZY match with a
score of 1.0.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Self

from rapidfuzz import fuzz

from .anchoring_diff import Diff, indel_similarity, overlaps
from .anchoring_text import MAX_OCCURRENCES, collapsed_occurrences, mid_word, snap

__all__ = [
    "CONTEXT",
    "CONTEXT_THRESHOLD",
    "FUZZY_THRESHOLD",
    "Anchor",
    "AnchorStatus",
    "Selector",
    "locate",
    "reanchor",
    "reanchor_many",
    "selector_for",
]

CONTEXT = 32
"""Characters of prefix and suffix that a selector keeps on each side of its quote."""

FUZZY_THRESHOLD = 0.85
"""Least similarity (Indel, 0-1, typography folded) between the quote and a fuzzy match."""

CONTEXT_THRESHOLD = 0.5
"""Least mean agreement (0-1) of the text on both sides that supports a match..."""

SIDE_FLOOR = 0.25
"""...provided neither side agrees less than this."""

SIDE_THRESHOLD = 0.8
"""Least agreement of one side that supports a match by itself, where one side may do."""

ONE_SIDED_SIMILARITY = 0.9
"""Least similarity of a fuzzy match supported by one side of context only."""

CONFIDENT_CONTEXT = 0.9
"""Agreement of the surrounding text (both sides on average) that settles a place by itself."""

CONTEXT_MARGIN = 0.25
"""Below CONFIDENT_CONTEXT, two places whose agreement differs by less than this are a tie."""

SELF_EVIDENT = 32
"""An exact quote at least this long identifies itself where the diff maps it, or if unique."""

LONG_QUOTE = 64
"""A fuzzy match of a quote at least this long needs no context if STRONG_SIMILARITY."""

STRONG_SIMILARITY = 0.95
"""A fuzzy match this similar needs no context if the quote is LONG_QUOTE or has no context."""

AMBIGUITY_MARGIN = 0.05
"""Two distinct fuzzy matches whose scores differ by less than this are too close to choose."""

_CHANCE = 0.5
"""Indel similarity that unrelated snippets of English reach by chance (median about 0.38)."""

_REFINE_REACH = 8
"""How far (characters) the ends of a rough fuzzy window may move when it is refined."""

_REFINE_GAIN = 0.15
"""A rough window less similar than FUZZY_THRESHOLD by more than this is not refined."""

_KEPT_SHARE = 0.5
"""Least share of a quote that the diff keeps in a place of its neighbourhood to attach it."""

_STILL_THERE = 0.25
"""Share of a quote that the diff keeps somewhere that confines its search to around there."""

_SEARCH_CUTOFF = 70.0
"""rapidfuzz score (0-100) below which a window is not worth refining."""

_TERMINALS = ".!?…"
_CLOSERS = "\"'”’»)]"

_FOLDABLE_RE = re.compile(
    "[\u2018\u2019\u201a\u201b\u2032\u02bc\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
    "\u2010-\u2015\u2212\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000\t\n\r\f\v]"
)
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000\t\n\r\f\v", " "),
    }
)


class AnchorStatus(StrEnum):
    """How a selector was attached to a body."""

    ANCHORED = "anchored"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Selector:
    """A TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a selector landed: offsets (None unless attached), the text there, a 0-1 score.

    An AMBIGUOUS anchor is attached nowhere; `candidates` lists the places it could not choose
    between (at most MAX_OCCURRENCES of them).
    """

    status: AnchorStatus
    start: int | None
    end: int | None
    score: float
    exact: str
    candidates: tuple[tuple[int, int], ...] = ()

    @property
    def attached(self) -> bool:
        """Whether the anchor sits on words of the body."""
        return self.start is not None and self.end is not None


# --- Public API ------------------------------------------------------------------------------


def selector_for(body: str, start: int, end: int, *, context: int = CONTEXT) -> Selector:
    """The selector of body[start:end] with `context` characters each side; ValueError if bad."""
    for name, value in (("start", start), ("end", end), ("context", context)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{name} must be an int, not {value!r}")
    if not 0 <= start < end <= len(body):
        raise ValueError(f"span [{start}:{end}] is empty or outside a body of {len(body)} chars")
    if context < 0:
        raise ValueError(f"context must not be negative, not {context}")
    return Selector(
        exact=body[start:end],
        prefix=body[max(0, start - context) : start],
        suffix=body[end : end + context],
        start=start,
        end=end,
    )


def reanchor(old_body: str, new_body: str, selector: Selector) -> Anchor:
    """Attach a selector made on old_body to new_body (diff, exact search, fuzzy, or orphan)."""
    return _Reanchorer(old_body, new_body).run(selector)


def reanchor_many(old_body: str, new_body: str, selectors: Sequence[Selector]) -> list[Anchor]:
    """reanchor for each selector, computing the diff of the two bodies only once."""
    engine = _Reanchorer(old_body, new_body)
    return [engine.run(selector) for selector in selectors]


def locate(body: str, selector: Selector) -> Anchor:
    """Attach a selector with no old body: position check, exact search, fuzzy, or orphan."""
    return _locate(_Body(body), selector, diff=None)


# --- Text helpers ----------------------------------------------------------------------------


def _fold(text: str) -> str:
    """A same-length copy of text with typographic variants of quotes, dashes, spaces unified."""
    return text.translate(_FOLD) if _FOLDABLE_RE.search(text) else text


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of a and b."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix of a and b, at most limit."""
    lo, hi = 0, min(len(a), len(b), limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _agreement(expected: str, actual: str, *, before: bool) -> float:
    """How well the text beside a match agrees with the context the selector expects, 0-1."""
    if not expected or not actual:
        return 1.0 if expected == actual else 0.0
    if before:
        run = _common_suffix(expected, actual, len(expected))
    else:
        run = _common_prefix(expected, actual)
    rescaled = (indel_similarity(expected, actual) - _CHANCE) / (1.0 - _CHANCE)
    return max(run / len(expected), rescaled, 0.0)


def _starts_sentence(prefix: str) -> bool:
    """Whether a quote after this prefix starts a sentence or paragraph."""
    text = prefix.rstrip()
    if "\n" in prefix[len(text) :]:
        return True
    text = text.rstrip(_CLOSERS)
    return bool(prefix) and (not text or text[-1] in _TERMINALS)


def _ends_sentence(exact: str, suffix: str) -> bool:
    """Whether a quote followed by this suffix ends a sentence or paragraph."""
    text = exact.rstrip().rstrip(_CLOSERS)
    return (bool(text) and text[-1] in _TERMINALS) or suffix.lstrip(" \t\u00a0")[:1] == "\n"


def _occurrences(haystack: str, needle: str, limit: int = MAX_OCCURRENCES + 1) -> list[int]:
    """Start of every (possibly overlapping) occurrence of a non-empty needle, up to limit."""
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


# --- Matching --------------------------------------------------------------------------------


class _Body:
    """A body with what every selector's search on it can share."""

    __slots__ = ("folded", "text")

    def __init__(self, text: str) -> None:
        """Keep the text and its folded copy."""
        self.text = text
        self.folded = _fold(text)


@dataclass(frozen=True, slots=True)
class _Query:
    """A selector prepared for searching: folded strings and what its context tells."""

    selector: Selector
    exact: str
    prefix: str
    suffix: str
    prefix_known: bool
    suffix_known: bool
    prefix_counts: bool
    suffix_counts: bool
    hint: int
    mine: tuple[int, int] | None
    positioned: bool = True
    word_ends: tuple[bool, bool] = (True, True)
    within: tuple[int, int] | None = None

    @classmethod
    def make(
        cls,
        selector: Selector,
        hint: int,
        *,
        old_len: int | None,
        mine: tuple[int, int] | None,
        folded: Callable[[str, int, int], str] | None = None,
        positioned: bool = True,
    ) -> Self:
        """Prepare a selector; empty context counts only where it marks a body's edge."""
        # A short quote's context on one side is enough evidence only where it lies inside the
        # quote's own sentence: across a sentence boundary the neighbour may have been edited
        # away, and an unchanged neighbour is then just what a look-alike next to it shows too.
        ends_body = old_len is not None and selector.end == old_len
        long = len(selector.exact) >= SELF_EVIDENT
        starts = _starts_sentence(selector.prefix)
        ends = _ends_sentence(selector.exact, selector.suffix)
        whole = starts and ends
        fold = folded or (lambda text, _start, _end: _fold(text))
        at, to = mine or (selector.start, selector.end)
        return cls(
            selector=selector,
            exact=fold(selector.exact, at, to),
            prefix=fold(selector.prefix, at - len(selector.prefix), at),
            suffix=fold(selector.suffix, to, to + len(selector.suffix)),
            prefix_known=bool(selector.prefix) or selector.start == 0,
            suffix_known=bool(selector.suffix) or ends_body,
            prefix_counts=bool(selector.prefix) and (long or whole or not starts),
            suffix_counts=bool(selector.suffix) and (long or whole or not ends),
            hint=hint,
            mine=mine,
            positioned=positioned,
            # Where the selector itself starts or ends inside a word, a match may too.
            word_ends=(
                not mid_word(selector.prefix + selector.exact, len(selector.prefix)),
                not mid_word(selector.exact + selector.suffix, len(selector.exact)),
            ),
        )

    def shaped(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] starts and ends on word boundaries where the quote does."""
        want_start, want_end = self.word_ends
        return not (want_start and mid_word(text, start)) and not (want_end and mid_word(text, end))

    def sides(self, body: _Body, start: int, end: int) -> tuple[float | None, float | None]:
        """Agreement of the text before and after body[start:end] with the prefix and suffix."""
        before = after = None
        if self.prefix_known:
            width = max(len(self.prefix), 1)
            before = _agreement(
                self.prefix, body.folded[max(0, start - width) : start], before=True
            )
        if self.suffix_known:
            width = max(len(self.suffix), 1)
            after = _agreement(self.suffix, body.folded[end : end + width], before=False)
        return before, after


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A possible place for a quote, with the evidence for it."""

    start: int
    end: int
    similarity: float
    context: float | None
    two_sided: bool
    one_sided: bool
    distance: int

    @classmethod
    def make(cls, query: _Query, body: _Body, start: int, end: int, similarity: float) -> Self:
        """Collect the evidence for body[start:end]."""
        before, after = query.sides(body, start, end)
        known = [side for side in (before, after) if side is not None]
        # An empty context that marks the body's edge counts, but not as a side on its own.
        counting = [
            side
            for side, counts in ((before, query.prefix_counts), (after, query.suffix_counts))
            if side is not None and counts
        ]
        context = sum(known) / len(known) if known else None
        return cls(
            start=start,
            end=end,
            similarity=similarity,
            context=context,
            two_sided=context is not None
            and context >= CONTEXT_THRESHOLD
            and min(known) >= SIDE_FLOOR,
            one_sided=any(side >= SIDE_THRESHOLD for side in counting),
            distance=abs(start - query.hint),
        )

    def supported(self, *, one_side: bool) -> bool:
        """Whether the surrounding text supports this place: both sides, or one if allowed."""
        return self.two_sided or (one_side and self.one_sided)


def _anchor(body: _Body, start: int, end: int, status: AnchorStatus, score: float) -> Anchor:
    """An attached anchor."""
    return Anchor(status, start, end, min(max(score, 0.0), 1.0), body.text[start:end])


def _orphan(score: float) -> Anchor:
    """An orphaned anchor that keeps the best similarity seen."""
    return Anchor(AnchorStatus.ORPHANED, None, None, min(max(score, 0.0), 1.0), "")


def _ambiguous(places: Sequence[tuple[int, int]], score: float) -> Anchor:
    """An anchor attached nowhere because these places fit equally well."""
    return Anchor(
        AnchorStatus.AMBIGUOUS,
        None,
        None,
        min(max(score, 0.0), 1.0),
        "",
        tuple(places[:MAX_OCCURRENCES]),
    )


def _placed(selector: Selector, body: _Body, start: int, end: int, score: float) -> Anchor:
    """ANCHORED, MOVED or FUZZY for a match at body[start:end]."""
    if body.text[start:end] != selector.exact:
        return _anchor(body, start, end, AnchorStatus.FUZZY, score)
    same = (start, end) == (selector.start, selector.end)
    return _anchor(body, start, end, AnchorStatus.ANCHORED if same else AnchorStatus.MOVED, 1.0)


def _credible(query: _Query, body: _Body, start: int, end: int, *, mapped: bool) -> bool:
    """Whether the quote at a known place is believable there: long, in context, or unique."""
    # Length settles it only at a place the diff mapped the quote to, not at a bare position.
    exact = query.selector.exact
    if mapped and len(exact) >= SELF_EVIDENT:
        return True
    candidate = _Candidate.make(query, body, start, end, 1.0)
    if candidate.context is None or candidate.context >= CONFIDENT_CONTEXT:
        return True
    first = body.text.find(exact)
    unique = first != -1 and body.text.find(exact, first + 1) == -1
    return unique and candidate.supported(one_side=True)


@dataclass(frozen=True, slots=True)
class _Exact:
    """What the exact search found: one place, or places it cannot choose between."""

    found: _Candidate | None = None
    seen: float = 0.0
    tied: tuple[tuple[int, int], ...] = ()


def _exact_spans(query: _Query, body: _Body) -> tuple[list[int], list[tuple[int, int]]]:
    """Starts of the quote word for word, and spans of it typography and whitespace folded."""
    exact = query.selector.exact
    raw = _occurrences(body.text, exact)
    if body.folded == body.text and query.exact == exact:
        folded = [(at, at + len(exact)) for at in raw]
    else:
        folded = [(at, at + len(exact)) for at in _occurrences(body.folded, query.exact)]
    if not folded:
        folded = collapsed_occurrences(body.folded, query.exact, limit=MAX_OCCURRENCES + 1)
    # A place that cuts a word where the quote does not ("in 2014" in "again 2014") is not
    # the quote; where the selector's context shows it cut a word itself, such places are.
    # A long quote identifies itself: cutting a word is then only a reason to prefer another.
    lo, hi = query.within or (0, len(body.text))
    folded = [(s, e) for s, e in folded if lo <= s and e <= hi]
    shaped = [(s, e) for s, e in folded if query.shaped(body.text, s, e)]
    if shaped or len(exact) < SELF_EVIDENT:
        folded = shaped
    keep = set(folded)
    return [at for at in raw if (at, at + len(exact)) in keep], folded


def _search_exact(query: _Query, body: _Body, diff: Diff | None) -> _Exact:
    """The one acceptable occurrence of the quote (typography folded), or the tied ones."""

    # A quote that occurs once (word for word, else typography folded) is taken if it is long
    # or has support on one side; several are ranked by context, then word-for-word equality,
    # then closeness to the hint, and a best place that is neither confident nor clearly ahead
    # of another is refused as ambiguous. Occurrences that the diff shows to be other, unmoved
    # copies of the quote are never candidates.
    def owned(start: int, end: int) -> bool:
        """Whether the occurrence at start is another copy of the quote that stayed put."""
        return (
            diff is not None
            and query.mine is not None
            and diff.owned(start, end, query.mine, whole=True)
        )

    raw, folded = _exact_spans(query, body)
    if len(folded) > MAX_OCCURRENCES:
        return _Exact(seen=1.0, tied=tuple(folded[:MAX_OCCURRENCES]))
    size = len(query.selector.exact)
    for pool in ([(at, at + size) for at in raw], folded):
        if len(pool) == 1 and not owned(*pool[0]):
            only = _Candidate.make(query, body, *pool[0], 1.0)
            if size >= SELF_EVIDENT or only.context is None or only.supported(one_side=True):
                return _Exact(found=only, seen=1.0)
    candidates = [_Candidate.make(query, body, s, e, 1.0) for s, e in folded if not owned(s, e)]
    if not candidates:
        return _Exact()
    raw_set = set(raw)
    candidates.sort(
        key=lambda c: (
            -(c.context if c.context is not None else -1.0),
            c.start not in raw_set,
            c.distance,
        )
    )
    best = candidates[0]
    everywhere = tuple((c.start, c.end) for c in sorted(candidates, key=lambda c: c.start))
    if best.context is None:
        # No context to tell copies apart: only a given position may, by being nearest.
        runner_up = candidates[1] if len(candidates) > 1 else None
        nearest = runner_up is None or best.distance < runner_up.distance
        if query.positioned and nearest and best.start in raw_set:
            return _Exact(found=best, seen=1.0)
        return _Exact(seen=1.0, tied=everywhere)
    if not best.supported(one_side=diff is not None):
        return _Exact(seen=1.0)
    if best.context < CONFIDENT_CONTEXT:
        close = [
            other
            for other in candidates[1:]
            if other.context is not None
            and other.context > best.context - CONTEXT_MARGIN
            and not overlaps(best.start, best.end, other.start, other.end)
        ]
        if close:
            tied = sorted([(c.start, c.end) for c in (best, *close)])
            return _Exact(seen=1.0, tied=tuple(tied))
    return _Exact(found=best, seen=1.0)


def _refine(query: _Query, body: _Body, start: int, end: int) -> tuple[int, int, float]:
    """Adjust a rough window's ends to where it is most similar to the quote."""
    text, needle = body.folded, query.exact
    size = len(text)
    if not size or not needle:
        return 0, 0, 0.0
    start, end = min(max(start, 0), size), min(max(end, 0), size)
    if start >= end:
        start, end = max(0, min(start, size - 1)), min(size, max(start, 0) + len(needle))
    best = indel_similarity(needle, text[start:end])
    reach = max(2, min(_REFINE_REACH, len(needle) // 6))
    for _ in range(2):
        if best == 1.0:
            break
        was = start, end
        starts = range(max(0, start - reach), min(end - 1, start + reach) + 1)
        scored = [(indel_similarity(needle, text[s:end]), s) for s in starts]
        best = max(score for score, _ in scored)
        ties = [s for score, s in scored if score == best]
        start = max(
            ties,
            key=lambda s: (query.sides(body, s, end)[0] or 0.0, -abs(s - start)),
        )
        ends = range(max(start + 1, end - reach), min(size, end + reach) + 1)
        scored = [(indel_similarity(needle, text[start:e]), e) for e in ends]
        best = max(score for score, _ in scored)
        ties = [e for score, e in scored if score == best]
        end = max(ties, key=lambda e: (query.sides(body, start, e)[1] or 0.0, -abs(e - end)))
        if (start, end) == was:
            break
    return start, end, best


def _windows(query: _Query, body: _Body) -> list[tuple[int, int]]:
    """Rough places of the quote found by rapidfuzz, alone and with its context."""
    text, needle = body.folded, query.exact
    if len(needle) >= len(text):
        return [(0, len(text))] if text else []
    found = []
    hit = fuzz.partial_ratio_alignment(needle, text, score_cutoff=_SEARCH_CUTOFF)
    if hit is not None:
        found.append((hit.dest_start, hit.dest_end))
    pattern = query.prefix + needle + query.suffix
    if pattern != needle and len(pattern) < len(text):
        hit = fuzz.partial_ratio_alignment(pattern, text, score_cutoff=_SEARCH_CUTOFF)
        if hit is not None:
            start = hit.dest_start + len(query.prefix) - hit.src_start
            found.append((start, start + len(needle)))
    return found


def _search_fuzzy(
    query: _Query, body: _Body, diff: Diff | None, rough: list[tuple[int, int]]
) -> tuple[_Candidate | None, float, tuple[tuple[int, int], ...]]:
    """The acceptable similar passage if exactly one stands out, the best similarity seen, and
    the places too close to choose between."""
    seen = 0.0
    accepted: list[_Candidate] = []
    tried: set[tuple[int, int]] = set()

    def windows() -> Iterator[tuple[int, int]]:
        """The diff's guesses, then rapidfuzz's unless a guess was plainly right."""
        yield from rough
        if not any(c.context is not None and c.context >= CONFIDENT_CONTEXT for c in accepted):
            yield from _windows(query, body)

    for window in windows():
        if window in tried:
            continue
        rough_start, rough_end = window
        hopeless = indel_similarity(
            query.exact, body.folded[max(0, rough_start) : max(0, rough_end)]
        )
        if hopeless < FUZZY_THRESHOLD - _REFINE_GAIN:
            seen = max(seen, hopeless)
            continue
        start, end, similarity = _refine(query, body, *window)
        snapped = snap(body.text, start, end, ends=query.word_ends)
        if snapped != (start, end):
            start, end = snapped
            similarity = indel_similarity(query.exact, body.folded[start:end])
        if (start, end) in tried or start >= end:
            continue
        tried.update({window, (start, end)})
        if body.folded[start:end] == query.exact:
            continue  # the exact search has judged every place holding the quote itself
        if (
            diff is not None
            and query.mine is not None
            and diff.owned(start, end, query.mine, whole=False)
        ):
            continue
        seen = max(seen, similarity)
        if similarity < FUZZY_THRESHOLD:
            continue
        if query.within is not None and not (query.within[0] <= start and end <= query.within[1]):
            continue
        candidate = _Candidate.make(query, body, start, end, similarity)
        long = len(query.exact) >= LONG_QUOTE
        strong = similarity >= STRONG_SIMILARITY
        if candidate.context is None or (long and strong):
            sure = strong
        else:
            sure = candidate.supported(one_side=similarity >= ONE_SIDED_SIMILARITY)
        if sure:
            accepted.append(candidate)
    if not accepted:
        return None, seen, ()

    def strength(c: _Candidate) -> float:
        """Similarity plus context agreement: what ranks the fuzzy places."""
        return c.similarity + (c.context or 0.0)

    accepted.sort(key=strength, reverse=True)
    best = accepted[0]
    close = [
        other
        for other in accepted[1:]
        if not overlaps(best.start, best.end, other.start, other.end)
        and strength(best) - strength(other) < AMBIGUITY_MARGIN
    ]
    if close:
        return None, seen, tuple(sorted((c.start, c.end) for c in (best, *close)))
    return best, seen, ()


def _locate(
    body: _Body,
    selector: Selector,
    diff: Diff | None,
    *,
    query: _Query | None = None,
    rough: list[tuple[int, int]] | None = None,
) -> Anchor:
    """Steps 2-4 (and the position check when there is no diff) for one selector."""
    if not selector.exact:
        return _orphan(0.0)
    start, end = selector.start, selector.end
    in_range = 0 <= start < end <= len(body.text)
    if query is None:
        hint = min(max(selector.start, 0), len(body.text))
        query = _Query.make(selector, hint, old_len=None, mine=None, positioned=in_range)
    at_position = in_range and body.text[start:end] == selector.exact
    if diff is None and at_position and _credible(query, body, start, end, mapped=False):
        return _anchor(body, start, end, AnchorStatus.ANCHORED, 1.0)
    exact = _search_exact(query, body, diff)
    if exact.found is not None:
        return _placed(selector, body, exact.found.start, exact.found.end, 1.0)
    if exact.tied:
        return _ambiguous(exact.tied, 1.0)
    windows = list(rough or [])
    if diff is None and in_range:
        windows.append((start, end))
    fuzzy, seen, tied = _search_fuzzy(query, body, diff, windows)
    if fuzzy is not None:
        return _placed(selector, body, fuzzy.start, fuzzy.end, fuzzy.similarity)
    if tied:
        return _ambiguous(tied, seen)
    return _orphan(max(seen, exact.seen))


def _near_copy(body: _Body, needle: str, taken: tuple[int, int]) -> tuple[int, int] | None:
    """Another place of the body nearly equal to the quote (at least FUZZY_THRESHOLD similar),
    outside `taken`, widened or narrowed to whole words; None if there is none."""
    start, end = taken
    text = body.folded
    masked = text[:start] + "\0" * (end - start) + text[end:]
    if not needle or len(needle) >= len(masked):
        return None
    hit = fuzz.partial_ratio_alignment(needle, masked, score_cutoff=FUZZY_THRESHOLD * 100)
    if hit is None:
        return None
    lo, hi = snap(body.text, hit.dest_start, hit.dest_end, ends=(True, True))
    if overlaps(lo, hi, start, end) or indel_similarity(needle, text[lo:hi]) < FUZZY_THRESHOLD:
        return None
    return lo, hi


class _Reanchorer:
    """The diff of an old body with a new one, and the steps that use it."""

    __slots__ = ("_diff", "_new", "_old", "_old_folded")

    def __init__(self, old_body: str, new_body: str) -> None:
        """Diff the two bodies once."""
        self._old = old_body
        self._old_folded = _fold(old_body)
        self._new = _Body(new_body)
        self._diff = Diff(old_body, new_body)

    def run(self, selector: Selector) -> Anchor:
        """Re-anchor one selector; never raises."""
        exact, start, end = selector.exact, selector.start, selector.end
        if not exact:
            return _orphan(0.0)
        if not (0 <= start < end <= len(self._old) and self._old[start:end] == exact):
            repaired = locate(self._old, selector)
            if repaired.status not in (AnchorStatus.ANCHORED, AnchorStatus.MOVED):
                hint = self._diff.map_start(min(max(start, 0), len(self._old)))
                query = _Query.make(selector, hint, old_len=None, mine=None)
                return _locate(self._new, selector, None, query=query)
            start, end = repaired.start or 0, repaired.end or 0
        if not self._diff.contested(start, end):
            return self._mapped(selector, start, end)
        # Text the alignment could about as well have matched at another place (an edited
        # paragraph and a copy of it closer to the old text): unless the quote's words stand
        # in one place only, which of the places is the annotation's the text cannot tell. A
        # curator decides (the places are listed), never chance.
        places = collapsed_occurrences(self._new.folded, _fold(exact))
        if len(places) != 1:
            return _ambiguous(places, 1.0)
        anchor = self._mapped(selector, start, end)
        (only,) = places
        if anchor.attached and overlaps(anchor.start or 0, anchor.end or 0, *only):
            # Word for word in one place, but nearly so in another (the edited original, a
            # typo in it): the words alone do not make the copy the annotation's place.
            near = _near_copy(self._new, _fold(exact), only)
            if near is not None:
                return _ambiguous(sorted([only, near]), 1.0)
        return anchor

    def _mapped(self, selector: Selector, start: int, end: int) -> Anchor:
        """Re-anchor old[start:end] (the selector's quote) from where the diff maps it."""
        exact, new = selector.exact, self._new.text
        mapped_start, mapped_end = self._diff.map_start(start), self._diff.map_end(end)
        kept = mapped_start < mapped_end and new[mapped_start:mapped_end] == exact
        if kept and self._diff.unchanged(start, end, 8):
            return _placed(selector, self._new, mapped_start, mapped_end, 1.0)
        query = _Query.make(
            selector, mapped_start, old_len=len(self._old), mine=(start, end), folded=self._folded
        )
        if kept and _credible(query, self._new, mapped_start, mapped_end, mapped=True):
            return _placed(selector, self._new, mapped_start, mapped_end, 1.0)
        near, within = self._nearby(query, start, end, (mapped_start, mapped_end))
        if near is not None:
            return near
        size = end - start
        # Where the diff still keeps much of the quote, that is its place: a near match there
        # beats an exact copy elsewhere (a duplicated paragraph), and no place far from it may
        # take the annotation. Short unchanged runs are evidence only with the context.
        kept_span = self._diff.kept_span(start, end)
        # The diff may map one end past an insertion next to the quote: try each end too.
        around = (
            [
                (mapped_start, mapped_end),
                (mapped_start, min(mapped_start + size, len(new))),
                (max(0, mapped_end - size), mapped_end),
            ]
            if mapped_start < mapped_end
            else []
        )
        tries = [(kept_span[0], kept_span[1], False)] if kept_span is not None else []
        for first, last, context in [*tries, *((a, b, True) for a, b in around)]:
            placed = self._kept_place(query, start, end, first, last, context=context)
            if placed is not None:
                return placed
        if within is None and kept_span is not None:
            first, last, kept_chars = kept_span
            if kept_chars >= _STILL_THERE * size:
                within = (max(0, first - size), min(len(new), last + size))
        for first, last in around:
            # Most of a short quote kept where the diff maps it, in its context: still there,
            # edited beyond a near match (a typo in a short word), not a copy elsewhere.
            if within is not None or last > first + 2 * size + 8:
                continue
            there = _Candidate.make(query, self._new, first, last, 0.0)
            kept_there = self._diff.kept_share(start, end, first, last)
            if kept_there >= _KEPT_SHARE and there.supported(one_side=True):
                within = (max(0, first - size), min(len(new), last + size))
        if within is not None:
            query = replace(query, within=within)
        rough = [(mapped_start, mapped_end)] if mapped_start < mapped_end else []
        return _locate(self._new, selector, self._diff, query=query, rough=rough)

    def _kept_place(
        self, query: _Query, start: int, end: int, first: int, last: int, *, context: bool = False
    ) -> Anchor | None:
        """The near match of old[start:end] in new[first:last], where the diff keeps most of
        it, if there is one (and, with `context`, the text on one side agrees)."""
        size = end - start
        if not first < last <= first + 2 * size + 8:
            return None
        if self._diff.kept_share(start, end, first, last) < _KEPT_SHARE:
            return None
        body = self._new
        # The quote itself there, word for word, before any near match of it.
        near_from, near_to = max(0, first - size), min(len(body.text), last + size)
        at = body.folded.find(query.exact, near_from, near_to)
        while at != -1:
            there = (at, at + len(query.exact))
            long = len(query.exact) >= SELF_EVIDENT  # identifies itself, even cutting a word
            shaped = long or query.shaped(body.text, *there)
            if shaped and self._diff.kept_share(start, end, *there) >= _KEPT_SHARE:
                return _placed(query.selector, body, *there, 1.0)
            at = body.folded.find(query.exact, at + 1, near_to)
        lo, hi, _ = _refine(query, body, first, last)
        lo, hi = snap(body.text, lo, hi, ends=query.word_ends)
        if not lo < hi or self._diff.kept_share(start, end, lo, hi) < _KEPT_SHARE:
            return None
        similarity = indel_similarity(query.exact, body.folded[lo:hi])
        if similarity < FUZZY_THRESHOLD:
            return None
        if context and not _Candidate.make(query, body, lo, hi, similarity).supported(
            one_side=True
        ):
            return None
        return _placed(
            query.selector, body, lo, hi, indel_similarity(query.exact, body.folded[lo:hi])
        )

    def _nearby(
        self, query: _Query, start: int, end: int, mapped: tuple[int, int]
    ) -> tuple[Anchor | None, tuple[int, int] | None]:
        """The quote, or a near match of it, in its old neighbourhood, where the diff keeps it;
        else the neighbourhood when the quote's words were edited where they stand.

        The place the diff maps a quote to beats an exact copy elsewhere (a duplicated
        paragraph) and needs no agreement of the words right next to it (they may be edited):
        the long unchanged runs around it and the diff's keeping most of its characters there
        are the evidence.
        """
        region = self._diff.bracket(start, end)
        if region is None:
            return None, None
        old_from, old_to, lo, hi = region
        # Small edits between the runs shift the quote within its neighbourhood by at most
        # how much the neighbourhood grew or shrank.
        drift = abs((hi - lo) - (old_to - old_from)) + 8

        def fits(first: int, last: int) -> bool:
            """Whether the diff keeps the quote at new[first:last], where it should sit."""
            if abs((first - lo) - (start - old_from)) > drift:
                return False
            return self._diff.kept_share(start, end, first, last) >= _KEPT_SHARE

        body, selector = self._new, query.selector
        places: list[tuple[int, int]] = []
        long = len(query.exact) >= SELF_EVIDENT  # identifies itself, even cutting a word
        at = body.folded.find(query.exact, lo, hi)
        while at != -1 and len(places) < 3:
            if long or query.shaped(body.text, at, at + len(query.exact)):
                places.append((at, at + len(query.exact)))
            at = body.folded.find(query.exact, at + 1, hi)
        kept = [p for p in places if fits(*p)]
        if len(kept) == 1:
            return _placed(selector, body, *kept[0], 1.0), None
        if places:
            return None, None
        # Where the quote's words were edited where they stand, only a near match in their
        # neighbourhood may be them: an untouched copy elsewhere (a duplicated paragraph) is not.
        stayed = self._diff.kept_share(start, end, lo, hi) >= _KEPT_SHARE
        within = (lo, hi) if stayed else None
        mapped_start, mapped_end = mapped
        if not lo <= mapped_start < mapped_end <= hi:
            return None, within
        first, last, _ = _refine(query, body, mapped_start, mapped_end)
        first, last = snap(body.text, first, last, ends=query.word_ends)
        if not lo <= first < last <= hi:
            return None, within
        similarity = indel_similarity(query.exact, body.folded[first:last])
        if similarity < FUZZY_THRESHOLD or not fits(first, last):
            return None, within
        return _placed(selector, body, first, last, similarity), None

    def _folded(self, text: str, start: int, end: int) -> str:
        """The folded text, sliced from the folded old body where it was cut from there."""
        if 0 <= start <= end <= len(self._old) and self._old[start:end] == text:
            return self._old_folded[start:end]
        return _fold(text)
