"""The corpus index: n-gram postings, document frequencies, and the links of candidate pairs.

The links of a pair depend only on the two bodies and on which n-grams they share are too
common in the corpus. So when an article is added or removed, the index recomputes the pairs
that involve it, plus the pairs whose shared n-grams changed status (became too common, or
stopped being so): the result is always equal to a full recomputation.

Only bodies and postings are kept for every article. The prepared form of an article (words,
sentences, positional n-grams, sentence features) is made when a pair involving it has to be
computed, and kept in a bounded cache. Preloaded articles (stored elsewhere, trusted) count in
the postings but their pairs with each other are not computed unless an n-gram they share
changes status; `changed_pairs` says which pair results a store must replace.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Set
from itertools import combinations

from .align import IsCommon, PairResult, is_candidate, link_order, link_pair
from .attribution import attributions as find_attributions
from .document import Doc, gram_sets, prepare
from .framing import DEFAULT_LEXICON, Lexicon, compile_lexicon, frame
from .groups import group_links
from .postings import Postings
from .results import (
    DEFAULT_CONFIG,
    ArticleFraming,
    Citation,
    Comparison,
    Config,
    Difference,
    Link,
)

Pair = tuple[str, str]
Gram = tuple[int, int]  # (size, hash)
# Prepared articles kept in memory, and how many of them keep their sentence features (the
# larger part); the least recently used are dropped first.
DOC_CACHE = 1024
FEATURES_CACHE = 512
_NO_RESULT = PairResult((), ())
# add_many with workers: below this many new articles it stays in one process; each task
# sent to a worker holds this many consecutive keys.
PARALLEL_MIN = 200
PARALLEL_CHUNK = 25
# A new article's key, framing and attributions, and the results of its pairs to compute.
Described = tuple[str, ArticleFraming, tuple[Citation, ...], list[tuple[Pair, PairResult | None]]]


# The index a forked worker of `add_many` computes on (set in the parent before forking).
_FORKED: tuple[CorpusIndex, frozenset[str]] | None = None


def _pair(first: str, second: str) -> Pair:
    return (first, second) if first < second else (second, first)


class CorpusIndex:
    """An index of article bodies that keeps the links between them up to date."""

    def __init__(
        self,
        *,
        lexicon: Lexicon = DEFAULT_LEXICON,
        config: Config = DEFAULT_CONFIG,
        doc_cache: int = DOC_CACHE,
    ):
        self.config = config
        self.lexicon = lexicon
        self._compiled = compile_lexicon(lexicon)
        self._bodies: dict[str, str] = {}
        self._docs: OrderedDict[str, Doc] = OrderedDict()
        self._doc_cache = max(2, doc_cache)
        self._featured: OrderedDict[str, None] = OrderedDict()
        self._features_cache = max(2, min(doc_cache, FEATURES_CACHE))
        self._postings = Postings(config.ngram_sizes, config.max_df_floor)
        self._pairs: dict[Pair, PairResult] = {}
        self._partners: dict[str, set[str]] = {}
        self._framing: dict[str, ArticleFraming] = {}
        self._attributions: dict[str, tuple[Citation, ...]] = {}
        self._preloaded: set[str] = set()
        # Pairs whose stored result must be replaced by pair_links / pair_differences.
        self.changed_pairs: set[Pair] = set()
        self.pairs_compared = 0

    # --- Building ------------------------------------------------------------------------

    @classmethod
    def from_bodies(
        cls,
        bodies: Mapping[str, str],
        *,
        lexicon: Lexicon = DEFAULT_LEXICON,
        config: Config = DEFAULT_CONFIG,
    ) -> CorpusIndex:
        """Index a whole corpus at once (the full recomputation)."""
        index = cls(lexicon=lexicon, config=config)
        ordered = sorted(bodies)
        for key in ordered:
            index._register(key, bodies[key], full=False)
        earlier: dict[str, list[str]] = {}
        for first, second in sorted(index._candidates()):
            earlier.setdefault(second, []).append(first)
        # Article by article in key order, so that the pairs of an article are computed while
        # it is prepared (partners in one story tend to have neighbouring keys); an article
        # is dropped from the cache once its last pair is done.
        pending = Counter(key for pair in _pairs_of(earlier) for key in pair)
        for key in ordered:
            index._describe(key)
            for other in earlier.get(key, ()):
                index._compute((other, key))
                for done in (other, key):
                    pending[done] -= 1
                    if not pending[done]:
                        index._docs.pop(done, None)
            if not pending[key]:
                index._docs.pop(key, None)
        return index

    def preload(self, bodies: Mapping[str, str]) -> None:
        """Register articles whose results are stored already: no pair, framing or attribution.

        They count in the document frequencies (what is too common) and become partners of
        later additions; their pairs with each other are computed only when an n-gram they
        share changes status (those pairs then appear in `changed_pairs`). A key indexed
        already is replaced, as by `add`.
        """
        keys = sorted(bodies)
        for key in keys:
            if key in self._bodies:
                self.remove(key)
        members = len(self._bodies) > len(self._preloaded)
        before = self._threshold()
        changes: dict[int, Counter[int]] = {n: Counter() for n in self._sizes}
        for key in keys:
            grams = self._register(key, bodies[key], full=False)
            self._preloaded.add(key)
            if members:
                for n, sized in grams.items():
                    changes[n].update(sized)
        if not members:
            return  # every pair is between preloaded articles: nothing to recompute
        # Pairs with a full member must stay right: those whose n-grams changed status, and
        # the new articles' pairs with members.
        flipped = self._flipped(changes, before, self._threshold())
        affected = {
            pair
            for pair in self._affected(flipped, exclude=())
            if not (pair[0] in self._preloaded and pair[1] in self._preloaded)
        }
        for key in keys:
            grams = gram_sets(bodies[key], self._sizes)
            for other in self._partners_of(key, grams) - self._preloaded:
                affected.add(_pair(key, other))
        for pair in sorted(affected):
            self._compute(pair)

    def add(self, key: str, body: str) -> None:
        """Add an article, or replace the body of one already indexed, updating its links."""
        if key in self._bodies:
            self.remove(key)
        before = self._threshold()
        grams = self._register(key, body, full=True)
        changes = {n: dict.fromkeys(sized, 1) for n, sized in grams.items()}
        affected = self._affected(self._flipped(changes, before, self._threshold()), exclude={key})
        self._describe(key)
        for other in sorted(self._partners_of(key, grams)):
            self._compute(_pair(key, other))
        self._recompute(affected, changes, before)

    def add_many(self, bodies: Mapping[str, str], *, workers: int = 1) -> None:
        """Add articles, or replace ones already indexed: the same as `add` of each in turn,
        but every pair is computed once, with the n-gram statuses the whole batch leads to.

        `add` of one article after another recomputes the pairs whose shared n-grams change
        status as the corpus grows (the threshold of "too common" grows with it), over and
        over; here the batch is counted first, then each pair involving a new article is
        computed, then the pairs of the other articles whose shared n-grams changed status.

        workers > 1 computes the new articles' pairs, framing and attributions in that many
        forked processes (when there are enough and this process can fork: it runs no other
        thread); the result is the same.
        """
        keys = sorted(bodies)
        for key in keys:
            if key in self._bodies:
                self.remove(key)
        if not keys:
            return
        before = self._threshold()
        for key in keys:
            self._register(key, bodies[key], full=False)
        new = set(keys)
        # How many new articles hold each n-gram: only those held by two or more can change
        # status or make a pair (see `_flipped`), so the others are not counted.
        everyone = len(new) == len(self._bodies)
        changes: dict[int, dict[int, int]] = {}
        for n, shared in self._postings.items():
            if everyone:
                changes[n] = {g: len(holders) for g, holders in shared.items()}
            else:
                changes[n] = {
                    g: count
                    for g, holders in shared.items()
                    if (count := sum(1 for key in holders if key in new))
                }
        affected = self._affected(self._flipped(changes, before, self._threshold()), exclude=new)
        # Article by article in key order: its pairs with the others already visited (or not
        # new), while it is prepared (partners in one story tend to have neighbouring keys).
        if workers > 1 and len(keys) >= PARALLEL_MIN and _can_fork():
            done = self._described_in_workers(keys, new, workers)
        else:
            done = (self._describe_new(key, new) for key in keys)
        for key, framing, attributions, results in done:
            self._framing[key] = framing
            self._attributions[key] = attributions
            for pair, result in results:
                self.pairs_compared += 1
                self._store(pair, result)
        self._recompute(affected, changes, before)

    def _describe_new(self, key: str, new: Set[str]) -> Described:
        """A new article's framing and attributions, and the results of its pairs with the
        articles before it in key order or not new."""
        self._describe(key)
        grams = self._gram_sets(self._doc(key))
        results = []
        for other in sorted(self._partners_of(key, grams)):
            if other not in new or other < key:
                pair = _pair(other, key)
                results.append((pair, self._link(pair)))
        return key, self._framing[key], self._attributions[key], results

    def _described_in_workers(
        self, keys: list[str], new: Set[str], workers: int
    ) -> Iterator[Described]:
        """`_describe_new` of each key, in forked processes that inherit the index as it is
        (n-gram hashes are only comparable within one process and its forks)."""
        global _FORKED
        chunks = [
            keys[start : start + PARALLEL_CHUNK] for start in range(0, len(keys), PARALLEL_CHUNK)
        ]
        _FORKED = (self, frozenset(new))
        gc.freeze()  # the children would otherwise copy every page the collector touches
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for described in pool.imap(_describe_chunk, chunks):
                    yield from described
        finally:
            gc.unfreeze()
            _FORKED = None

    def remove(self, key: str) -> None:
        """Remove an article and every link to it, updating the links it influenced."""
        if key not in self._bodies:
            raise KeyError(key)
        for other in sorted(self._partners.pop(key, set())):
            self._pairs.pop(_pair(key, other), None)
            self._partners[other].discard(key)
        self.changed_pairs = {pair for pair in self.changed_pairs if key not in pair}
        before = self._threshold()
        doc = self._docs.pop(key, None)
        grams = (
            self._gram_sets(doc) if doc is not None else gram_sets(self._bodies[key], self._sizes)
        )
        del self._bodies[key]
        self._framing.pop(key, None)
        self._attributions.pop(key, None)
        self._preloaded.discard(key)
        self._postings.remove(key, grams)
        after = self._threshold()
        changes = {n: dict.fromkeys(sized, -1) for n, sized in grams.items()}
        flipped = self._flipped(changes, before, after)
        self._recompute(self._affected(flipped, exclude=()), changes, before)

    def take_changed_pairs(self) -> set[Pair]:
        """The pairs whose stored result must be replaced since the last call, then forget them.

        After `add` or `remove` of a key, every stored pair involving that key is obsolete:
        the ones that now have links are among the changed pairs, the others go. Changed pairs
        among other articles (an n-gram they share became too common or stopped being so)
        get the result `pair_links` and `pair_differences` give now, possibly nothing.
        """
        changed, self.changed_pairs = self.changed_pairs, set()
        return changed

    # --- Reading -------------------------------------------------------------------------

    def __contains__(self, key: object) -> bool:
        return key in self._bodies

    def __len__(self) -> int:
        return len(self._bodies)

    def keys(self) -> list[str]:
        """The indexed article keys, sorted."""
        return sorted(self._bodies)

    def body(self, key: str) -> str:
        """The body an article was indexed with."""
        return self._bodies[key]

    def pair_links(self, first: str, second: str) -> tuple[Link, ...]:
        """The links between two indexed articles (computed now if both were preloaded)."""
        return self._pair_result(first, second).links

    def pair_differences(self, first: str, second: str) -> tuple[Difference, ...]:
        """The differences between two indexed articles."""
        return self._pair_result(first, second).differences

    def links_for(self, key: str) -> tuple[Link, ...]:
        """Every link with article `key` on either side (known pairs: see `links`)."""
        found = [
            link
            for other in self._partners.get(key, ())
            for link in self._pairs[_pair(key, other)].links
        ]
        return tuple(sorted(found, key=link_order))

    def links(self) -> tuple[Link, ...]:
        """Every link in the corpus, but those between two preloaded articles not recomputed."""
        found = [link for result in self._pairs.values() for link in result.links]
        return tuple(sorted(found, key=link_order))

    def differences_for(self, key: str) -> tuple[Difference, ...]:
        """The differences between article `key` and the others."""
        found = [
            d
            for other in self._partners.get(key, ())
            for d in self._pairs[_pair(key, other)].differences
        ]
        return tuple(sorted(found, key=_difference_order))

    def differences(self) -> tuple[Difference, ...]:
        """Every difference in the corpus (known pairs: see `links`)."""
        found = [d for result in self._pairs.values() for d in result.differences]
        return tuple(sorted(found, key=_difference_order))

    def framing(self, key: str) -> ArticleFraming:
        """The lexicon counts of one article."""
        if key not in self._framing:
            if key not in self._bodies:
                raise KeyError(key)
            self._describe(key)
        return self._framing[key]

    def attributions(self, key: str) -> tuple[Citation, ...]:
        """The attribution cues of one article."""
        if key not in self._attributions:
            if key not in self._bodies:
                raise KeyError(key)
            self._describe(key)
        return self._attributions[key]

    def candidate_pairs(self) -> list[Pair]:
        """The article pairs the index compared and found to share enough to be candidates."""
        return sorted(self._pairs)

    def comparison(self) -> Comparison:
        """Links, groups, differences, framing and attributions of the whole corpus."""
        links = self.links()
        keys = sorted(self._bodies)
        return Comparison(
            links=links,
            groups=group_links(links),
            differences=self.differences(),
            framing={key: self.framing(key) for key in keys},
            attributions={key: self.attributions(key) for key in keys},
        )

    # --- Internals -----------------------------------------------------------------------

    @property
    def _sizes(self) -> tuple[int, ...]:
        return self.config.ngram_sizes

    def _threshold(self) -> int:
        return self.config.max_df(len(self._bodies))

    def _df(self, n: int, gram: int) -> int:
        return self._postings.df(n, gram)

    def _is_common(self, n: int, gram: int) -> bool:
        return self._df(n, gram) > self._threshold()

    def _common_test(self) -> IsCommon:
        """A fast `_is_common` for n-grams two articles share (valid until the corpus changes)."""
        threshold = self._threshold()
        shared = {n: self._postings.shared(n) for n in self._sizes}

        def is_common(n: int, gram: int) -> bool:
            holders = shared[n].get(gram)
            return holders is not None and len(holders) > threshold

        return is_common

    def _holders(self, n: int, gram: int) -> set[str]:
        return self._postings.holders(n, gram)

    def _doc(self, key: str) -> Doc:
        """The prepared article, from the cache or made now."""
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = prepare(key, self._bodies[key], self._sizes)
        self._docs[key] = doc
        if len(self._docs) > self._doc_cache:
            self._docs.popitem(last=False)
        return doc

    def _gram_sets(self, doc: Doc) -> dict[int, set[int]]:
        return {n: doc.gram_set(n) for n in self._sizes}

    def _describe(self, key: str) -> None:
        """Compute the framing and the attributions of one article."""
        doc = self._doc(key)
        body = self._bodies[key]
        self._framing[key] = frame(key, body, self.lexicon, doc.masked, self._compiled)
        self._attributions[key] = find_attributions(
            key, body, [(s, e) for _, _, s, e in doc.sentences]
        )

    def _register(self, key: str, body: str, *, full: bool) -> dict[int, set[int]]:
        """Store the body and count its n-grams in the postings; returns them by size."""
        if not isinstance(key, str) or not isinstance(body, str):
            raise TypeError("article keys and bodies must be str")
        self._bodies[key] = body
        self._partners.setdefault(key, set())
        grams = self._gram_sets(self._doc(key)) if full else gram_sets(body, self._sizes)
        self._postings.add(key, grams)
        return grams

    def _partners_of(self, key: str, grams: dict[int, set[int]]) -> set[str]:
        """Articles sharing one n-gram of the largest size or enough smaller ones with `key`."""
        largest = max(self._sizes)
        threshold = self._threshold()
        shared_large: set[str] = set()
        shared_small: Counter[str] = Counter()
        for n, sized in grams.items():
            shared = self._postings.shared(n)
            for g in sized & shared.keys():
                holders = shared[g]
                if len(holders) > threshold:
                    continue
                if n == largest:
                    shared_large.update(holders)
                else:
                    shared_small.update(holders)
        partners = shared_large | {
            other for other, count in shared_small.items() if count >= self.config.min_shared_small
        }
        partners.discard(key)
        return partners

    def _candidates(self) -> set[Pair]:
        """Every pair sharing one n-gram of the largest size or enough smaller ones."""
        threshold = self._threshold()
        largest = max(self._sizes)
        shared_large: set[Pair] = set()
        shared_small: Counter[Pair] = Counter()
        for n, shared in self._postings.items():
            for holders in shared.values():
                if len(holders) > threshold:
                    continue
                pairs = combinations(sorted(holders), 2)
                if n == largest:
                    shared_large.update(pairs)
                else:
                    shared_small.update(pairs)
        minimum = self.config.min_shared_small
        return shared_large | {pair for pair, count in shared_small.items() if count >= minimum}

    def _flipped(
        self, changes: Mapping[int, Mapping[int, int]], before: int, after: int
    ) -> set[Gram]:
        """The n-grams whose status changed: `changes` holds how much their counts changed
        (size -> hash -> change), and the threshold went from `before` to `after`.

        Only n-grams held by two articles or more count: the others make no pair."""
        flipped = set()
        for n, sized in changes.items():
            shared = self._postings.shared(n)
            for g in sized.keys() & shared.keys():
                df = len(shared[g])
                if (df - sized[g] > before) != (df > after):
                    flipped.add((n, g))
        if before != after:
            low, high = min(before, after), max(before, after)
            for n, hot in self._postings.hot.items():
                skip = changes[n]
                for g in hot:
                    if g not in skip and low < self._df(n, g) <= high:
                        flipped.add((n, g))
        return flipped

    def _affected(self, flipped: Iterable[Gram], exclude: Set[str]) -> set[Pair]:
        """Pairs whose links may change because these n-grams changed status, but those
        involving an `exclude`d article (new articles: their pairs are computed anyway)."""
        affected: set[Pair] = set()
        preloaded = self._preloaded
        for n, g in flipped:
            holders = self._holders(n, g)
            if exclude:
                holders = {key for key in holders if key not in exclude}
            if self._is_common(n, g):
                # Only pairs with links can lose them; those of two preloaded articles are
                # not known, so they are all redone.
                for key in holders:
                    for other in self._partners.get(key, ()):
                        if other in holders:
                            affected.add(_pair(key, other))
                loaded = sorted(holders & preloaded)
                affected.update(combinations(loaded, 2))
            else:
                affected.update(combinations(sorted(holders), 2))
        return affected

    def _recompute(
        self, pairs: set[Pair], changes: Mapping[int, Mapping[int, int]], before: int
    ) -> None:
        """Recompute pairs whose shared n-grams changed status by `changes` (size -> hash ->
        change of count; the threshold was `before`).

        A pair of two preloaded articles has a stored result the index does not know. It is
        redone only if it is a candidate now, or was one before (it may have lost links);
        whether it is, is read off the articles' n-grams, without preparing them."""
        was_common = self._was_common(changes, before)
        is_common = self._common_test()
        grams: dict[str, dict[int, set[int]]] = {}
        for pair in sorted(pairs):
            if self._known(pair):
                self._compute(pair)
                continue
            for key in pair:
                if key not in grams:
                    doc = self._docs.get(key)
                    body = self._bodies[key]
                    found = self._gram_sets(doc) if doc else gram_sets(body, self._sizes)
                    grams[key] = found
            first, second = (grams[key] for key in pair)
            shared = {n: first[n] & second[n] for n in self._sizes}
            now = is_candidate(_uncommon(shared, is_common), self.config)
            then = is_candidate(_uncommon(shared, was_common), self.config)
            if now:
                reported = pair in self.changed_pairs
                self._compute(pair)
                if not (then or reported or self._pairs.get(pair, _NO_RESULT).links):
                    self.changed_pairs.discard(pair)  # no links before, none now
            elif then:
                self._store(pair, None)  # it may have had links: they go

    def _was_common(self, changes: Mapping[int, Mapping[int, int]], before: int) -> IsCommon:
        """`_is_common` as it was before the counts changed by `changes` (threshold `before`)."""
        postings = self._postings

        def was_common(n: int, gram: int) -> bool:
            return postings.df(n, gram) - changes[n].get(gram, 0) > before

        return was_common

    def _known(self, pair: Pair) -> bool:
        """Whether the index knows the result a store holds for a pair (not both preloaded)."""
        return pair in self._pairs or not (
            pair[0] in self._preloaded and pair[1] in self._preloaded
        )

    def _compute(self, pair: Pair) -> None:
        self.pairs_compared += 1
        self._store(pair, self._link(pair))

    def _link(self, pair: Pair) -> PairResult | None:
        """The result of one pair now (link_pair on the two prepared articles)."""
        first, second = pair
        a, b = self._doc(first), self._doc(second)
        hot = self._postings.hot  # held by more than the floor: the only ones maybe common
        result = link_pair(a, b, self._common_test(), self.config, hot)
        featured = self._featured
        for key in pair:
            featured[key] = None
            featured.move_to_end(key)
        while len(featured) > self._features_cache:
            doc = self._docs.get(featured.popitem(last=False)[0])
            if doc is not None:
                doc.features = doc.positions = None  # made again when needed
        return result

    def _store(self, pair: Pair, result: PairResult | None) -> None:
        """Keep a pair's new result, noting the pair as changed unless its result is the same."""
        first, second = pair
        known = self._known(pair)
        old = self._pairs.get(pair, _NO_RESULT)
        if result is None:
            if self._pairs.pop(pair, None) is not None:
                self._partners[first].discard(second)
                self._partners[second].discard(first)
        else:
            self._pairs[pair] = result
            self._partners[first].add(second)
            self._partners[second].add(first)
        new = result or _NO_RESULT
        if not known or (old.links, old.differences) != (new.links, new.differences):
            self.changed_pairs.add(pair)

    def _pair_result(self, first: str, second: str) -> PairResult:
        for key in (first, second):
            if key not in self._bodies:
                raise KeyError(key)
        pair = _pair(first, second)
        if pair in self._pairs:
            return self._pairs[pair]
        if self._known(pair):
            return _NO_RESULT
        return self._link(pair) or _NO_RESULT


def _can_fork() -> bool:
    """Whether worker processes can be forked safely (no other thread to copy half-way)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _describe_chunk(keys: list[str]) -> list[Described]:
    """In a forked worker: `_describe_new` of each key, on the index inherited from the parent."""
    assert _FORKED is not None
    index, new = _FORKED
    return [index._describe_new(key, new) for key in keys]


def _uncommon(shared: dict[int, set[int]], is_common: IsCommon) -> dict[int, set[int]]:
    return {n: {g for g in grams if not is_common(n, g)} for n, grams in shared.items()}


def _pairs_of(earlier: Mapping[str, Iterable[str]]) -> Iterator[Pair]:
    """The pairs (j, k) of a map from each article k to its earlier partners j."""
    for key, others in earlier.items():
        for other in others:
            yield other, key


def _difference_order(d: Difference) -> tuple:
    return (d.a_key, d.a_start, d.a_end, d.b_key, d.b_start, d.b_end, d.kind)


def compare(
    bodies: Mapping[str, str],
    *,
    lexicon: Lexicon = DEFAULT_LEXICON,
    config: Config = DEFAULT_CONFIG,
) -> Comparison:
    """Compare every article of a corpus with every other that shares wording with it."""
    return CorpusIndex.from_bodies(bodies, lexicon=lexicon, config=config).comparison()
