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

import multiprocessing as mp
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from itertools import combinations

from .align import IsCommon, PairResult, link_order, link_pair
from .attribution import attributions as find_attributions
from .document import Doc, gram_sets, prepare
from .framing import DEFAULT_LEXICON, Lexicon, compile_lexicon, frame
from .groups import group_links
from .model import (
    DEFAULT_CONFIG,
    ArticleFraming,
    Attribution,
    Comparison,
    Config,
    Discrepancy,
    PassageLink,
)

Pair = tuple[str, str]
Gram = tuple[int, int]  # (size, hash)
# The articles holding an n-gram: one key, a few keys, or a set when there are many.
Holders = str | tuple[str, ...] | set[str]

SMALL_HOLDERS = 8  # up to this many holders are kept in a tuple, beyond it in a set
DOC_CACHE = 512  # prepared articles kept in memory, least recently used dropped first
_NO_RESULT = PairResult((), ())


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
        # n-gram size -> hash -> the articles holding it.
        self._postings: dict[int, dict[int, Holders]] = {n: {} for n in config.ngram_sizes}
        # n-grams held by more than max_df_floor articles: the only ones that can be common.
        self._hot: dict[int, set[int]] = {n: set() for n in config.ngram_sizes}
        self._pairs: dict[Pair, PairResult] = {}
        self._partners: dict[str, set[str]] = {}
        self._framing: dict[str, ArticleFraming] = {}
        self._attributions: dict[str, tuple[Attribution, ...]] = {}
        self._preloaded: set[str] = set()
        # Pairs whose stored result must be replaced by pair_links / pair_discrepancies.
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
        workers: int = 1,
    ) -> CorpusIndex:
        """Index a whole corpus at once (the full recomputation).

        With workers > 1, articles and pairs are computed in that many forked processes
        (where the platform forks; the result is the same). Forking a process that runs
        threads is unsafe: leave it at 1 in servers.
        """
        index = cls(lexicon=lexicon, config=config)
        ordered = sorted(bodies)
        for key in ordered:
            index._register(key, bodies[key], full=False)
        earlier: dict[str, list[str]] = {}
        for first, second in sorted(index._candidates()):
            earlier.setdefault(second, []).append(first)
        if workers > 1 and len(ordered) > 1 and "fork" in mp.get_all_start_methods():
            index._build_forked(ordered, earlier, workers)
            return index
        # Article by article in key order, so that the pairs of an article are computed while
        # it is prepared (partners in one story tend to have neighbouring keys).
        for key in ordered:
            index._describe(key)
            for other in earlier.get(key, ()):
                index._compute((other, key))
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
            for pair in self._affected(flipped, exclude=None)
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
        affected = self._affected(self._flipped(changes, before, self._threshold()), exclude=key)
        self._describe(key)
        for other in sorted(self._partners_of(key, grams)):
            self._compute(_pair(key, other))
        for pair in sorted(affected):
            self._compute(pair)

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
        floor = self.config.max_df_floor
        for n, sized in grams.items():
            postings, hot = self._postings[n], self._hot[n]
            for g in sized:
                holders = postings[g]
                if isinstance(holders, str):
                    del postings[g]
                    continue
                if isinstance(holders, tuple):
                    rest = tuple(k for k in holders if k != key)
                    postings[g] = rest[0] if len(rest) == 1 else rest
                    continue
                holders.discard(key)
                if len(holders) <= SMALL_HOLDERS:
                    postings[g] = tuple(sorted(holders))
                if len(holders) <= floor:
                    hot.discard(g)
        after = self._threshold()
        changes = {n: dict.fromkeys(sized, -1) for n, sized in grams.items()}
        flipped = self._flipped(changes, before, after)
        for pair in sorted(self._affected(flipped, exclude=None)):
            self._compute(pair)

    def take_changed_pairs(self) -> set[Pair]:
        """The pairs whose stored result must be replaced since the last call, then forget them.

        After `add` or `remove` of a key, every stored pair involving that key is obsolete:
        the ones that now have links are among the changed pairs, the others go. Changed pairs
        among other articles (an n-gram they share became too common or stopped being so)
        get the result `pair_links` and `pair_discrepancies` give now, possibly nothing.
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

    def pair_links(self, first: str, second: str) -> tuple[PassageLink, ...]:
        """The links between two indexed articles (computed now if both were preloaded)."""
        return self._pair_result(first, second).links

    def pair_discrepancies(self, first: str, second: str) -> tuple[Discrepancy, ...]:
        """The discrepancies between two indexed articles."""
        return self._pair_result(first, second).discrepancies

    def links_for(self, key: str) -> tuple[PassageLink, ...]:
        """Every link with article `key` on either side (known pairs: see `links`)."""
        found = [
            link
            for other in self._partners.get(key, ())
            for link in self._pairs[_pair(key, other)].links
        ]
        return tuple(sorted(found, key=link_order))

    def links(self) -> tuple[PassageLink, ...]:
        """Every link in the corpus, but those between two preloaded articles not recomputed."""
        found = [link for result in self._pairs.values() for link in result.links]
        return tuple(sorted(found, key=link_order))

    def discrepancies_for(self, key: str) -> tuple[Discrepancy, ...]:
        """The discrepancies between article `key` and the others."""
        found = [
            d
            for other in self._partners.get(key, ())
            for d in self._pairs[_pair(key, other)].discrepancies
        ]
        return tuple(sorted(found, key=_discrepancy_order))

    def discrepancies(self) -> tuple[Discrepancy, ...]:
        """Every discrepancy in the corpus (known pairs: see `links`)."""
        found = [d for result in self._pairs.values() for d in result.discrepancies]
        return tuple(sorted(found, key=_discrepancy_order))

    def framing(self, key: str) -> ArticleFraming:
        """The lexicon counts of one article."""
        if key not in self._framing:
            if key not in self._bodies:
                raise KeyError(key)
            self._describe(key)
        return self._framing[key]

    def attributions(self, key: str) -> tuple[Attribution, ...]:
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
        """Links, groups, discrepancies, framing and attributions of the whole corpus."""
        links = self.links()
        keys = sorted(self._bodies)
        return Comparison(
            links=links,
            groups=group_links(links),
            discrepancies=self.discrepancies(),
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
        holders = self._postings[n].get(gram)
        if holders is None:
            return 0
        return 1 if isinstance(holders, str) else len(holders)

    def _is_common(self, n: int, gram: int) -> bool:
        return self._df(n, gram) > self._threshold()

    def _common_test(self) -> IsCommon:
        """A fast `_is_common` for the current corpus (valid until it changes)."""
        threshold = self._threshold()
        postings = self._postings

        def is_common(n: int, gram: int) -> bool:
            holders = postings[n].get(gram)
            return holders is not None and not isinstance(holders, str) and len(holders) > threshold

        return is_common

    def _holders(self, n: int, gram: int) -> set[str]:
        holders = self._postings[n].get(gram)
        if holders is None:
            return set()
        return {holders} if isinstance(holders, str) else set(holders)

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
        floor = self.config.max_df_floor
        for n, sized in grams.items():
            postings, hot = self._postings[n], self._hot[n]
            held = sized & postings.keys()
            postings.update(dict.fromkeys(sized - held, key))
            if floor < 1:
                hot.update(sized - held)
            for g in held:
                holders = postings[g]
                if isinstance(holders, str):
                    holders = postings[g] = (holders, key)
                elif isinstance(holders, tuple):
                    if len(holders) < SMALL_HOLDERS:
                        holders = postings[g] = (*holders, key)
                    else:
                        holders = postings[g] = {*holders, key}
                else:
                    holders.add(key)
                if len(holders) > floor:
                    hot.add(g)
        return grams

    def _partners_of(self, key: str, grams: dict[int, set[int]]) -> set[str]:
        """Articles sharing one n-gram of the largest size or enough smaller ones with `key`."""
        largest = max(self._sizes)
        threshold = self._threshold()
        shared_large: set[str] = set()
        shared_small: Counter[str] = Counter()
        for n, sized in grams.items():
            postings = self._postings[n]
            for g in sized:
                holders = postings[g]
                if isinstance(holders, str) or len(holders) > threshold:
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
        for n, postings in self._postings.items():
            for holders in postings.values():
                if isinstance(holders, str) or len(holders) > threshold:
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
        (size -> hash -> change), and the threshold went from `before` to `after`."""
        flipped = set()
        for n, sized in changes.items():
            for g, change in sized.items():
                df = self._df(n, g)
                if (df - change > before) != (df > after):
                    flipped.add((n, g))
        if before != after:
            low, high = min(before, after), max(before, after)
            for n, hot in self._hot.items():
                skip = changes[n]
                for g in hot:
                    if g not in skip and low < self._df(n, g) <= high:
                        flipped.add((n, g))
        return flipped

    def _affected(self, flipped: Iterable[Gram], exclude: str | None) -> set[Pair]:
        """Pairs whose links may change because these n-grams changed status."""
        affected: set[Pair] = set()
        preloaded = self._preloaded
        for n, g in flipped:
            holders = self._holders(n, g)
            holders.discard(exclude)  # the new article's pairs are computed anyway
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

    def _known(self, pair: Pair) -> bool:
        """Whether the index knows the result a store holds for a pair (not both preloaded)."""
        return pair in self._pairs or not (
            pair[0] in self._preloaded and pair[1] in self._preloaded
        )

    def _compute(self, pair: Pair) -> None:
        first, second = pair
        self.pairs_compared += 1
        result = link_pair(self._doc(first), self._doc(second), self._common_test(), self.config)
        self._store(pair, result)

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
        if not known or (old.links, old.discrepancies) != (new.links, new.discrepancies):
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
        a, b = self._doc(pair[0]), self._doc(pair[1])
        return link_pair(a, b, self._common_test(), self.config) or _NO_RESULT

    def _build_forked(self, keys: list[str], earlier: dict[str, list[str]], workers: int) -> None:
        """Describe the articles and compute the pairs (j, k), j < k, in forked processes."""
        global _FORKED
        parts: list[list[str]] = [[]]
        cost = [1 + len(earlier.get(key, ())) for key in keys]
        share = sum(cost) / (workers * 8)
        spent = 0.0
        for key, weight in zip(keys, cost, strict=True):
            if spent >= share:
                parts.append([])
                spent = 0.0
            parts[-1].append(key)
            spent += weight
        _FORKED = (self, earlier)
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                for framing, attributions, results in pool.imap_unordered(_build_part, parts):
                    self._framing.update(framing)
                    self._attributions.update(attributions)
                    for pair, result in results:
                        self.pairs_compared += 1
                        self._store(pair, result)
        finally:
            _FORKED = None


# The index a forked build works on, with each article's earlier partners (set while forking).
_FORKED: tuple[CorpusIndex, dict[str, list[str]]] | None = None


def _build_part(
    keys: list[str],
) -> tuple[
    dict[str, ArticleFraming],
    dict[str, tuple[Attribution, ...]],
    list[tuple[Pair, PairResult | None]],
]:
    """In a forked process: the framing, attributions and pair results of some articles."""
    assert _FORKED is not None
    index, earlier = _FORKED
    results = []
    for key in keys:
        index._describe(key)
        for other in earlier.get(key, ()):
            a, b = index._doc(other), index._doc(key)
            results.append(((other, key), link_pair(a, b, index._common_test(), index.config)))
    framing = {key: index._framing.pop(key) for key in keys}
    attributions = {key: index._attributions.pop(key) for key in keys}
    return framing, attributions, results


def _discrepancy_order(d: Discrepancy) -> tuple:
    return (d.a_key, d.a_start, d.a_end, d.b_key, d.b_start, d.b_end, d.kind)


def compare(
    bodies: Mapping[str, str],
    *,
    lexicon: Lexicon = DEFAULT_LEXICON,
    config: Config = DEFAULT_CONFIG,
) -> Comparison:
    """Compare every article of a corpus with every other that shares wording with it."""
    return CorpusIndex.from_bodies(bodies, lexicon=lexicon, config=config).comparison()
