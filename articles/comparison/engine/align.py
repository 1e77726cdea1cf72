"""Links between two articles: maximal shared spans, near sentences, paraphrases.

`link_pair` is a pure function of the two prepared articles and of which of their shared
n-grams are too common in the corpus; the index calls it once per candidate pair.

1. Seeds are the shared n-grams that are not too common; each is extended to a maximal run
   of identical words.
2. Runs, longest first, are extended across small differences (at most `max_gap` words on
   each side, bridged by a next exact block that holds a content word) into maximal
   near-verbatim spans; the differences are kept as word-level diff operations.
3. Sentence pairs not already joined by a span are linked as "near" when their word
   sequences are similar, or as "paraphrase" when their TF-IDF cosine is high enough.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass
from typing import Literal

from .blocks import Edit, edits, matching_blocks, ratio
from .dates import close_dates, sentence_dates
from .differences import from_replacement, from_sentences, sentence_entities
from .document import Doc, is_content
from .frames import (
    Frame,
    FrameMatch,
    background_keys,
    counted_families,
    match_frames,
    may_share_act,
    strong_families,
)
from .results import Config, Difference, DiffOp, Link, LinkKind
from .similarity import (
    ROUGH_MARGIN,
    PairSpace,
    frame_key_counts,
    overlap,
    sentence_features,
    sentence_frame_of,
)
from .stance import judge_pair

Block = tuple[int, int, int]  # (token in a, token in b, length)


@dataclass(frozen=True, slots=True)
class PairResult:
    """The links between two articles and the differences found inside them."""

    links: tuple[Link, ...]
    differences: tuple[Difference, ...]


@dataclass(slots=True)
class _Span:
    blocks: list[Block]

    @property
    def a_range(self) -> tuple[int, int]:
        """Token range [first, end) of the span in article a."""
        return self.blocks[0][0], self.blocks[-1][0] + self.blocks[-1][2]

    @property
    def b_range(self) -> tuple[int, int]:
        """Token range [first, end) of the span in article b."""
        return self.blocks[0][1], self.blocks[-1][1] + self.blocks[-1][2]

    def contains(self, block: Block) -> bool:
        """Whether an exact block lies inside the span on both sides."""
        (a0, a1), (b0, b1) = self.a_range, self.b_range
        i, j, size = block
        return a0 <= i and i + size <= a1 and b0 <= j and j + size <= b1


# Whether an n-gram (size, hash) is too common in the corpus.
IsCommon = Callable[[int, int], bool]


def shared_grams(
    a: Doc,
    b: Doc,
    is_common: IsCommon | None,
    maybe_common: Mapping[int, Set[int]] | None = None,
) -> dict[int, set[int]]:
    """The n-grams (by size) both articles hold that are not too common in the corpus
    (every one they share when `is_common` is None).

    maybe_common, when given, holds by size every n-gram that can be too common (others are
    not even asked about)."""
    out = {}
    for n in a.grams:
        both = a.gram_set(n) & b.gram_set(n)
        if is_common is None:
            out[n] = both
            continue
        asked = both if maybe_common is None else both & maybe_common[n]
        out[n] = both - {g for g in asked if is_common(n, g)}
    return out


def _never_common(n: int, gram: int) -> bool:
    return False


def is_candidate(shared: dict[int, set[int]], config: Config) -> bool:
    """A pair is compared when it shares a long n-gram or enough short ones."""
    largest = max(shared)
    if shared[largest]:
        return True
    return sum(len(grams) for n, grams in shared.items() if n != largest) >= config.min_shared_small


def link_pair(
    a: Doc,
    b: Doc,
    is_common: IsCommon | None,
    config: Config,
    maybe_common: Mapping[int, Set[int]] | None = None,
) -> PairResult | None:
    """All links between two articles (a.key < b.key), or None when they are no candidates.

    The index passes no `is_common`: the pair is compared (the index chose it) and its links
    depend on the two articles alone. With one, n-grams too common in a corpus seed nothing
    and a pair sharing too little is no candidate (None).
    maybe_common: see `shared_grams` (the result is the same with or without it)."""
    shared = shared_grams(a, b, is_common, maybe_common)
    if is_common is not None and not is_candidate(shared, config):
        return None
    is_common = is_common or _never_common
    runs = _runs(a, b, shared, config)
    spans = _spans(a, b, runs, config)
    links: list[Link] = []
    found: list[Difference] = []
    for span in spans:
        link, differences = _span_link(a, b, span)
        links.append(link)
        found.extend(differences)
    sentence_links = _sentence_links(a, b, spans, is_common, config)
    for link in sentence_links:
        found.extend(
            from_sentences(
                a,
                (link.a_start, link.a_end),
                b,
                (link.b_start, link.b_end),
                link.kind,
                config.max_date_gap_days,
            )
        )
    links.extend(sentence_links)
    links.sort(key=link_order)
    # The stance pass: each link agrees or differs (and how); differences lie inside links.
    judged, differences = judge_pair(a, b, links, found, config)
    return PairResult(tuple(judged), tuple(differences))


def link_order(link: Link) -> tuple[str, int, int, str, int, int, str]:
    """A total order on links, so that every way of computing them lists them alike."""
    return (
        link.a_key,
        link.a_start,
        link.a_end,
        link.b_key,
        link.b_start,
        link.b_end,
        link.kind,
    )


# --- Maximal exact runs --------------------------------------------------------------------


def _positions(doc: Doc, n: int, cap: int) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Where each n-gram occurs: its first position, and the first `cap` when it repeats.

    Cached on the article (dropped with its sentence features)."""
    cache = doc.positions
    if cache is None:
        cache = doc.positions = {}
    found = cache.get(n)
    if found is None:
        first: dict[int, int] = {}
        more: dict[int, list[int]] = {}
        for i, value in enumerate(doc.grams[n]):
            if value in first:
                places = more.setdefault(value, [first[value]])
                if len(places) < cap:
                    places.append(i)
            elif value:
                first[value] = i
        found = cache[n] = (first, more)
    return found


def _places(value: int, first: dict[int, int], more: dict[int, list[int]]) -> list[int]:
    places = more.get(value)
    return places if places is not None else [first[value]]


def _runs(a: Doc, b: Doc, shared: dict[int, set[int]], config: Config) -> list[Block]:
    seeds: set[tuple[int, int]] = set()
    cap = config.max_seed_positions
    for n, grams in shared.items():
        if not grams:
            continue
        a_first, a_more = _positions(a, n, cap)
        b_first, b_more = _positions(b, n, cap)
        for value in grams:
            if value not in a_more and value not in b_more:
                i, j = a_first[value], b_first[value]
                if a.keys[i : i + n] == b.keys[j : j + n]:
                    seeds.add((i, j))
                continue
            for i in _places(value, a_first, a_more):
                for j in _places(value, b_first, b_more):
                    if a.keys[i : i + n] == b.keys[j : j + n]:
                        seeds.add((i, j))
    # Maximal runs on one diagonal are disjoint, and seeds come in order: a seed is covered
    # only by the last run found on its diagonal.
    covered: dict[int, tuple[int, int]] = {}
    runs: list[Block] = []
    for i, j in sorted(seeds):
        last = covered.get(i - j)
        if last is not None and last[0] <= i < last[1]:
            continue
        start_i, start_j = _run_start(a, b, i, j)
        end_i, _end_j = _run_end(a, b, i, j)
        covered[i - j] = (start_i, end_i)
        runs.append((start_i, start_j, end_i - start_i))
    runs.sort(key=lambda run: (-run[2], run[0], run[1]))
    return runs


def _run_end(a: Doc, b: Doc, i: int, j: int) -> tuple[int, int]:
    """Extend an exact match starting at (i, j) to the right; returns its exclusive ends."""
    na, nb = len(a.keys), len(b.keys)
    while i < na and j < nb and a.keys[i] == b.keys[j]:
        i += 1
        j += 1
        if i in a.breaks or j in b.breaks:
            break
    return i, j


def _run_start(a: Doc, b: Doc, i: int, j: int) -> tuple[int, int]:
    """Extend an exact match ending at (i, j) exclusive to the left; returns its starts."""
    while (
        i > 0
        and j > 0
        and i not in a.breaks
        and j not in b.breaks
        and a.keys[i - 1] == b.keys[j - 1]
    ):
        i -= 1
        j -= 1
    return i, j


# --- Near-verbatim spans -------------------------------------------------------------------


def _segment_end(doc: Doc, position: int) -> int:
    """The first token after `position` that a match may not reach (a break or the end)."""
    later = [t for t in doc.breaks if t > position]
    return min(later) if later else len(doc.keys)


def _segment_start(doc: Doc, position: int) -> int:
    """The first token of the segment holding token `position`."""
    earlier = [t for t in doc.breaks if t <= position]
    return max(earlier) if earlier else 0


def _acceptable(words: list[str], gap_a: int, gap_b: int, config: Config) -> bool:
    """Whether an exact block after a gap of (gap_a, gap_b) words may extend a span."""
    if gap_a > config.max_gap or gap_b > config.max_gap:
        return False
    if not any(is_content(w) for w in words):
        return False
    return len(words) >= 2 or (gap_a <= 2 and gap_b <= 2)


def _acceptable_blocks(wa: list[str], wb: list[str], config: Config) -> Iterator[tuple[int, int]]:
    """Where the exact blocks shared by two windows of words start, in order, those that
    may extend a span (`_acceptable` after the gap before them)."""
    if not wa or not wb:
        return
    for x, y, length in matching_blocks(wa, wb):
        if _acceptable(wa[x : x + length], x, y, config):
            yield x, y


def _same_sentence(a: Doc, a_from: int, a_to: int, b: Doc, b_from: int, b_to: int) -> bool:
    """A gap is bridged only inside one sentence of each article."""
    return a.sent_of[a_from] == a.sent_of[a_to] and b.sent_of[b_from] == b.sent_of[b_to]


def _extend_right(a: Doc, b: Doc, blocks: list[Block], config: Config) -> None:
    while True:
        i, j, size = blocks[-1]
        ea, eb = i + size, j + size
        if ea in a.breaks or eb in b.breaks:
            return
        wa = a.keys[ea : min(ea + config.window, _segment_end(a, ea))]
        wb = b.keys[eb : min(eb + config.window, _segment_end(b, eb))]
        for x, y in _acceptable_blocks(wa, wb, config):
            if (x or y) and not _same_sentence(a, ea - 1, ea + x, b, eb - 1, eb + y):
                continue
            end_a, _ = _run_end(a, b, ea + x, eb + y)
            blocks.append((ea + x, eb + y, end_a - ea - x))
            break
        else:
            return


def _extend_left(a: Doc, b: Doc, blocks: list[Block], config: Config) -> None:
    while True:
        ia, ib, _ = blocks[0]
        if ia in a.breaks or ib in b.breaks:
            return
        lo_a = max(ia - config.window, _segment_start(a, ia - 1)) if ia else 0
        lo_b = max(ib - config.window, _segment_start(b, ib - 1)) if ib else 0
        wa = a.keys[lo_a:ia][::-1]
        wb = b.keys[lo_b:ib][::-1]
        for x, y in _acceptable_blocks(wa, wb, config):
            end_i, end_j = ia - x, ib - y  # exclusive ends of the block, in the text
            if (x or y) and not _same_sentence(a, end_i - 1, ia, b, end_j - 1, ib):
                continue
            start_i, start_j = _run_start(a, b, end_i, end_j)
            blocks.insert(0, (start_i, start_j, end_i - start_i))
            break
        else:
            return


def _spans(a: Doc, b: Doc, runs: list[Block], config: Config) -> list[_Span]:
    spans: list[_Span] = []
    tried: list[_Span] = []
    for run in runs:
        if run[2] < config.min_anchor:
            break
        if any(span.contains(run) for span in tried):
            continue
        blocks = [run]
        _extend_right(a, b, blocks, config)
        _extend_left(a, b, blocks, config)
        span = _Span(blocks)
        tried.append(span)
        matched = [w for i, _, size in blocks for w in a.keys[i : i + size]]
        content = sum(1 for w in matched if is_content(w))
        if not (
            len(matched) >= config.long_span_words
            or (len(matched) >= config.min_span_words and content >= config.min_span_content)
        ):
            continue
        if _fragment(a, b, blocks, config) and (
            _claim_words(a, b, blocks) < config.min_span_claim_words
        ):
            continue
        spans.append(span)
    spans.sort(key=lambda span: (span.a_range, span.b_range))
    return spans


# Who-said-it words: a span of a speaker's name, title and reporting verb says nothing of
# its own ("National Disaster Mitigation Agency spokesman Sutopo Purwo Nugroho told").
_SPEAKER_WORDS = frozenset(
    (
        "said says say saying told tells tell added adds according reported reports stated "
        "states announced spokesman spokeswoman spokesperson official officials minister "
        "president former head chief director agency secretary general"
    ).split()
)


def _held_sentences(doc: Doc, blocks: list[Block], side: int, share: float) -> list[int]:
    """The sentences of one side (0: a, 1: b) whose words the blocks match for at least
    `share` of them."""
    held: Counter[int] = Counter()
    for block in blocks:
        first = block[side]
        held.update(doc.sent_of[first : first + block[2]])
    found = []
    for sentence, count in held.items():
        start, end, _, _ = doc.sentences[sentence]
        if count >= share * (end - start):
            found.append(sentence)
    return found


def _fragment(a: Doc, b: Doc, blocks: list[Block], config: Config) -> bool:
    """Whether matched words cover less than `fragment_share` of every sentence the span
    touches, in both articles (a phrase inside two otherwise different sentences)."""
    share = config.fragment_share
    return not (_held_sentences(a, blocks, 0, share) or _held_sentences(b, blocks, 1, share))


def _named(doc: Doc, token: int) -> bool:
    """Whether a token is written with a capital where it is not the first of its sentence."""
    if token == doc.sentences[doc.sent_of[token]][0]:
        return False
    return doc.body[doc.starts[token] : doc.ends[token]][:1].isupper()


def _claim_words(a: Doc, b: Doc, blocks: list[Block]) -> int:
    """The matched content words that are neither names (capitalised in both articles) nor
    who-said-it words: what a shared phrase says of its own."""
    count = 0
    for i, j, size in blocks:
        for offset in range(size):
            word = a.keys[i + offset]
            if not is_content(word) or word in _SPEAKER_WORDS:
                continue
            if _named(a, i + offset) and _named(b, j + offset):
                continue
            count += 1
    return count


def _diff_ops(a: Doc, b: Doc, blocks: list[Block]) -> list[tuple[int, int, int, int]]:
    """Token ranges (a_first, a_end, b_first, b_end) of the gaps between blocks."""
    gaps = []
    for (i, j, size), (ni, nj, _) in itertools.pairwise(blocks):
        gaps.append((i + size, ni, j + size, nj))
    return gaps


def _edge(doc: Doc, first: int, end: int, low: int) -> tuple[int, int]:
    """The body span of tokens [first, end), or the empty place inside the link they'd take."""
    # An empty place goes right after the token before it, or, at the start of the linked
    # range (token `low`), right before the token after it.
    if end > first:
        return doc.starts[first], doc.ends[end - 1]
    if first > low:
        return doc.ends[first - 1], doc.ends[first - 1]
    return doc.starts[first], doc.starts[first]


def _op(a: Doc, b: Doc, gap: tuple[int, int, int, int], low: tuple[int, int]) -> DiffOp:
    """The diff operation for the token ranges of one gap; `low` holds each range's start."""
    a_first, a_end, b_first, b_end = gap
    a_start, a_stop = _edge(a, a_first, a_end, low[0])
    b_start, b_stop = _edge(b, b_first, b_end, low[1])
    kind: Literal["replace", "insert", "delete"]
    if a_end > a_first and b_end > b_first:
        kind = "replace"
    elif a_end > a_first:
        kind = "delete"
    else:
        kind = "insert"
    return DiffOp(
        kind, a_start, a_stop, b_start, b_stop, a.body[a_start:a_stop], b.body[b_start:b_stop]
    )


def _span_link(a: Doc, b: Doc, span: _Span) -> tuple[Link, list[Difference]]:
    (a0, a1), (b0, b1) = span.a_range, span.b_range
    matched = sum(size for _, _, size in span.blocks)
    kind: LinkKind = "verbatim" if len(span.blocks) == 1 else "near"
    gaps = _diff_ops(a, b, span.blocks)
    ops = tuple(_op(a, b, gap, (a0, b0)) for gap in gaps)
    score = round(matched / max(a1 - a0, b1 - b0), 6)
    a_start, a_end = a.token_span(a0, a1 - 1)
    b_start, b_end = b.token_span(b0, b1 - 1)
    link = Link(kind, a.key, a_start, a_end, b.key, b_start, b_end, score, ops)
    found = []
    for a_first, a_stop, b_first, b_stop in gaps:
        if a_stop > a_first and b_stop > b_first:
            hit = from_replacement(a, (a_first, a_stop), b, (b_first, b_stop), kind)
            if hit is not None:
                found.append(hit)
    return link, found


# --- Sentence links ------------------------------------------------------------------------


def _sentences_touched(doc: Doc, first: int, end: int) -> set[int]:
    return set(doc.sent_of[first:end])


def _sentence_grams(doc: Doc, sentence: int, n: int) -> set[int]:
    first, end, _, _ = doc.sentences[sentence]
    found = set(doc.grams[n][first : max(first, end - n + 1)])
    found.discard(0)
    return found


def _boilerplate_pair(a: Doc, i: int, b: Doc, j: int, is_common: IsCommon, n: int) -> bool:
    """Two sentences alike mostly through n-grams too common in the corpus (boilerplate)."""
    a_grams, b_grams = _sentence_grams(a, i, n), _sentence_grams(b, j, n)
    common = sum(1 for g in a_grams & b_grams if is_common(n, g))
    return common > 0 and 2 * common >= min(len(a_grams), len(b_grams))


def _sentence_links(
    a: Doc, b: Doc, spans: list[_Span], is_common: IsCommon, config: Config
) -> list[Link]:
    if not a.sentences or not b.sentences:
        return []
    n = min(config.ngram_sizes)
    covered: set[tuple[int, int]] = set()
    for span in spans:
        for i in _sentences_touched(a, *span.a_range):
            for j in _sentences_touched(b, *span.b_range):
                covered.add((i, j))
    fa, fb = sentence_features(a), sentence_features(b)
    space = PairSpace(fa, fb)
    # The story's own actors and acts, which every sentence of both articles has.
    bg = background_keys(
        (
            (frame_key_counts(a), len(a.sentences)),
            (frame_key_counts(b), len(b.sentences)),
        ),
        config.paraphrase_background_share,
    )
    lowest = min(config.paraphrase_anchored_threshold, config.paraphrase_strong_threshold)
    frames = _FrameMatches(a, b, config, bg)
    near: list[Link] = []
    scored: list[tuple[float, int, int]] = []
    candidates = space.candidates()
    for pair in _counting_pairs(a, b):
        candidates.setdefault(pair, 0)
    counted: list[tuple[float, int, int]] = []
    for (i, j), shared in candidates.items():
        if (i, j) in covered:
            continue
        # A paraphrase needs shared stems and one polarity; a near sentence needs enough
        # content words in common (word counts bound what an alignment can match).
        # A paraphrase needs shared stems and one polarity, or the same predicate with
        # opposite polarities (one attends, the other refuses: a pair that differs is still
        # linked, its stance says how); a near sentence needs enough content words in common
        # (word counts bound what an alignment can match).
        paraphrase = shared >= config.paraphrase_min_shared and (
            space.same_polarity(i, j) or _opposed(frames, i, j, config)
        )
        counting = frames.both_count(i, j)
        framable = shared >= config.paraphrase_frame_min_shared or counting
        if not paraphrase and not _overlap_reaches(
            fa.content[i], fb.content[j], config.min_span_content
        ):
            if framable and (
                counting or space.rough(i, j) >= config.paraphrase_frame_min_cosine - ROUGH_MARGIN
            ):
                _add_framed(scored, counted, space, frames, i, j, is_common, config)
            continue
        # The rough score rules most pairs out cheaply (ROUGH_MARGIN covers its float error
        # and the rounding); below the anchored threshold only sentences sharing many names,
        # or whose claim frames match, may still be paraphrases.
        rough = space.rough(i, j)
        weak = rough < config.paraphrase_anchored_threshold - ROUGH_MARGIN
        if rough < lowest - ROUGH_MARGIN or (
            weak and not (paraphrase and _strongly_anchored(a, i, b, j, config))
        ):
            if framable and (
                counting or rough >= config.paraphrase_frame_min_cosine - ROUGH_MARGIN
            ):
                _add_framed(scored, counted, space, frames, i, j, is_common, config)
            continue
        # Decided on the exact score, which is computed only when the rough one is too near
        # a threshold to tell (see PairSpace.at_least) or the pair is kept.
        weak = not space.at_least(i, j, config.paraphrase_anchored_threshold)
        if not space.at_least(i, j, lowest) or (
            weak and not (paraphrase and _strongly_anchored(a, i, b, j, config))
        ):
            if framable:
                _add_framed(scored, counted, space, frames, i, j, is_common, config)
            continue
        if _boilerplate_pair(a, i, b, j, is_common, n):
            continue
        # Near sentences share most of their words, so their cosine is high too: only pairs
        # above the anchored paraphrase threshold are aligned word by word.
        a_words = a.keys[a.sentences[i][0] : a.sentences[i][1]]
        b_words = b.keys[b.sentences[j][0] : b.sentences[j][1]]
        bound = 2.0 * overlap(Counter(a_words), Counter(b_words)) / (len(a_words) + len(b_words))
        if not weak and bound >= config.near_sentence_ratio:
            blocks = matching_blocks(a_words, b_words)
            alike = ratio(blocks, len(a_words), len(b_words))
            if alike >= config.near_sentence_ratio:
                matched = [w for x, _, size in blocks for w in a_words[x : x + size]]
                if sum(1 for w in matched if is_content(w)) >= config.min_span_content:
                    gaps = edits(blocks, len(a_words), len(b_words))
                    near.append(_near_sentence_link(a, b, i, j, gaps, alike))
                    continue
        if not paraphrase:
            if framable:
                _add_framed(scored, counted, space, frames, i, j, is_common, config)
            continue
        match = frames.match(i, j)
        # Even a high cosine needs one specific thing said alike: words shared through the
        # story's own keys or a speaker ("Catalan officials defended the vote" / "officials
        # called the Catalan vote a farce") are not one fact.
        if (space.at_least(i, j, config.paraphrase_threshold) and _specific(match, config)) or (
            (
                weak  # and strongly anchored, see above
                or shared >= config.paraphrase_anchor_stems
                or _anchored(a, i, b, j, config)
            )
            # Below the plain threshold the claims must meet too: names alone (the same two
            # countries) do not make two sentences one fact.
            and frames.same_claim(i, j)
        ):
            if not match.clash:
                scored.append((space.score(i, j), i, j))
        else:
            _add_framed(scored, counted, space, frames, i, j, is_common, config)
    keep = _best_per_sentence(scored, config.paraphrase_per_sentence)
    # Pairs kept by their counts alone rank among themselves: how many were hurt, held,
    # aboard is one claim that many sentences of an article restate.
    kept = {(i, j) for _, i, j in keep}
    extra = [item for item in counted if (item[1], item[2]) not in kept]
    keep.extend(_best_per_sentence(extra, config.paraphrase_per_sentence))
    links = list(near)
    for score, i, j in sorted(keep, key=lambda item: (item[1], item[2])):
        _, _, a_start, a_end = a.sentences[i]
        _, _, b_start, b_end = b.sentences[j]
        evidence = frames.match(i, j).evidence
        links.append(
            Link(
                "paraphrase",
                a.key,
                a_start,
                a_end,
                b.key,
                b_start,
                b_end,
                score,
                shared=evidence,
            )
        )
    return links


def _add_framed(
    scored: list[tuple[float, int, int]],
    counted: list[tuple[float, int, int]],
    space: PairSpace,
    frames: _FrameMatches,
    i: int,
    j: int,
    is_common: IsCommon,
    config: Config,
) -> None:
    """Score a sentence pair whose cosine is too low by its claim frames: kept (with the mean
    of its cosine and frame similarity) when they share a specific predicate family and an
    anchor (an actor, place, number or date), and their frames are similar enough."""
    if not frames.may_share_act(i, j):
        return  # no specific family and nothing counted alike: neither test below can pass
    match = frames.match(i, j)
    if match.clash:
        return
    plain = not (
        match.similarity < config.paraphrase_frame_similarity
        or (match.anchors < config.paraphrase_frame_anchors and not (match.dated or match.figures))
        or not strong_families(match)
    )
    if not (plain or match.counted):
        return
    plain = plain and space.at_least(i, j, config.paraphrase_frame_min_cosine)
    if not (plain or match.counted):
        return
    if _boilerplate_pair(frames.a, i, frames.b, j, is_common, min(config.ngram_sizes)):
        return
    score = round(space.score(i, j) + config.paraphrase_frame_bonus * match.similarity, 6)
    if plain:
        scored.append((score, i, j))
    else:
        counted.append((score, i, j))


def _counting_pairs(a: Doc, b: Doc) -> list[tuple[int, int]]:
    """Sentence pairs that count something for one counted act ("two servicemen were
    injured", "six wounded"), whatever words they share: the candidates of counted claims
    (one pass over each article's frames, then the pairs of counting sentences only)."""
    a_counts = _counting_sentences(a)
    if not a_counts:
        return []
    b_counts = _counting_sentences(b)
    return [(i, j) for i, x in a_counts.items() for j, y in b_counts.items() if x & y]


def _counting_sentences(doc: Doc) -> dict[int, frozenset[str]]:
    """Sentence -> its counted families, for the sentences that count something."""
    found = {}
    for index in range(len(doc.sentences)):
        frame = sentence_frame_of(doc, index)
        if frame.counts:
            families = counted_families(frame)
            if families:
                found[index] = families
    return found


class _FrameMatches:
    """What the claim frames of one pair's sentences share (sentence i of a, j of b), each
    pair of sentences matched once (`background`: the keys both articles run through, see
    `background_keys`)."""

    def __init__(self, a: Doc, b: Doc, config: Config, background: frozenset[str]) -> None:
        self.a, self.b = a, b
        self._gap = config.paraphrase_frame_date_gap
        self._background = background
        self._a_frames: list[Frame] = [sentence_frame_of(a, i) for i in range(len(a.sentences))]
        self._b_frames: list[Frame] = [sentence_frame_of(b, j) for j in range(len(b.sentences))]
        self._found: dict[tuple[int, int], FrameMatch] = {}

    def match(self, i: int, j: int) -> FrameMatch:
        found = self._found.get((i, j))
        if found is None:
            found = self._found[(i, j)] = match_frames(
                self._a_frames[i], self._b_frames[j], self._gap, background=self._background
            )
        return found

    def both_count(self, i: int, j: int) -> bool:
        """Whether both sentences count something ("six wounded"): such pairs are read by
        their frames even when they share a single word."""
        return bool(self._a_frames[i].counts and self._b_frames[j].counts)

    def same_claim(self, i: int, j: int) -> bool:
        """Whether two sentences' frames share a predicate family or a topic (what is done,
        or to what: the truce, the talks, the deal)."""
        first, second = self._a_frames[i], self._b_frames[j]
        return bool(first.families & second.families or first.topics & second.topics)

    def may_share_act(self, i: int, j: int) -> bool:
        """Whether the two frames can share a strong family or count one thing (see
        `frames.may_share_act`): when not, `match` need not be read for either."""
        return may_share_act(self._a_frames[i], self._b_frames[j])


def _specific(match: FrameMatch, config: Config) -> bool:
    """Whether two sentences share something specific to one claim: a specific act (not the
    story's own), a figure, dates close together, one counted thing, or
    paraphrase_specific_anchors names or places that are neither the story's background
    keys nor who is quoted."""
    if strong_families(match) or match.figures or match.dated or match.counted:
        return True
    return match.anchors - match.speaker_anchors >= config.paraphrase_specific_anchors


def _opposed(frames: _FrameMatches, i: int, j: int, config: Config) -> bool:
    """Two sentences of opposite polarity that make the same claim two ways: a specific
    predicate family shared (attend / refuse) with two anchors, or a date or figure."""
    if not frames.may_share_act(i, j):
        return False
    match = frames.match(i, j)
    return bool(strong_families(match)) and (
        match.anchors >= config.paraphrase_frame_anchors or match.dated or match.figures
    )


def _overlap_reaches(a: Counter[str], b: Counter[str], least: int) -> bool:
    """Whether `overlap(a, b) >= least`, mostly without summing (each shared word counts
    at least once)."""
    words = a.keys() & b.keys()
    if len(words) >= least:
        return True
    return bool(words) and sum(min(a[w], b[w]) for w in words) >= least


def _anchored(a: Doc, i: int, b: Doc, j: int, config: Config) -> bool:
    """Two sentences share something specific: dates a few days apart, or several names."""
    if close_dates(sentence_dates(a, i), sentence_dates(b, j), config.max_date_gap_days):
        return True
    shared = sentence_entities(a, i) & sentence_entities(b, j)
    return len(shared) >= config.paraphrase_min_entities


def _strongly_anchored(a: Doc, i: int, b: Doc, j: int, config: Config) -> bool:
    """Two sentences share many names (the parties to talks, listed alike)."""
    shared = sentence_entities(a, i) & sentence_entities(b, j)
    return len(shared) >= config.paraphrase_strong_entities


def _best_per_sentence(
    scored: list[tuple[float, int, int]], per_sentence: int
) -> list[tuple[float, int, int]]:
    """Keep a pair when it is among the best few of both of its sentences."""
    ranked = sorted(scored, key=lambda item: (-item[0], item[1], item[2]))
    best_a: dict[int, list[int]] = {}
    best_b: dict[int, list[int]] = {}
    for _, i, j in ranked:
        best_a.setdefault(i, []).append(j)
        best_b.setdefault(j, []).append(i)
    return [
        item
        for item in ranked
        if item[2] in best_a[item[1]][:per_sentence] and item[1] in best_b[item[2]][:per_sentence]
    ]


def _near_sentence_link(a: Doc, b: Doc, i: int, j: int, gaps: list[Edit], alike: float) -> Link:
    """The link of two near sentences whose words differ by `gaps` (see `blocks.edits`)."""
    a_first = a.sentences[i][0]
    b_first = b.sentences[j][0]
    ops = []
    for _, x0, x1, y0, y1 in gaps:
        gap = (a_first + x0, a_first + x1, b_first + y0, b_first + y1)
        ops.append(_op(a, b, gap, (a_first, b_first)))
    _, _, a_start, a_end = a.sentences[i]
    _, _, b_start, b_end = b.sentences[j]
    kind: LinkKind = "near" if ops else "verbatim"
    return Link(kind, a.key, a_start, a_end, b.key, b_start, b_end, round(alike, 6), tuple(ops))


__all__ = ["PairResult", "is_candidate", "link_order", "link_pair", "shared_grams"]
