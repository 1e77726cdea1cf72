"""The corpus index: n-gram postings, document frequencies, and the links of candidate pairs.

The links of a pair depend only on the two bodies and on which n-grams they share are too
common in the corpus. So when an article is added or removed, the index recomputes the pairs
that involve it, plus the pairs whose shared n-grams changed status (became too common, or
stopped being so): the result is always equal to a full recomputation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations

from .align import PairResult, link_order, link_pair
from .attribution import attributions as find_attributions
from .document import Doc, prepare
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


def _pair(first: str, second: str) -> Pair:
    return (first, second) if first < second else (second, first)


class CorpusIndex:
    """An index of article bodies that keeps the links between them up to date."""

    def __init__(self, *, lexicon: Lexicon = DEFAULT_LEXICON, config: Config = DEFAULT_CONFIG):
        self.config = config
        self.lexicon = lexicon
        self._compiled = compile_lexicon(lexicon)
        self._docs: dict[str, Doc] = {}
        # n-gram hash -> the article holding it (a str) or the articles (a set), by key.
        self._postings: dict[int, str | set[str]] = {}
        # n-grams held by more than max_df_floor articles: the only ones that can be common.
        self._hot: set[int] = set()
        self._pairs: dict[Pair, PairResult] = {}
        self._partners: dict[str, set[str]] = {}
        self._framing: dict[str, ArticleFraming] = {}
        self._attributions: dict[str, tuple[Attribution, ...]] = {}
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
        for key in sorted(bodies):
            index._register(key, bodies[key])
        threshold = index._threshold()
        largest = max(config.ngram_sizes)
        large: set[int] = set().union(*(doc.sets[largest] for doc in index._docs.values()))
        shared_large: set[Pair] = set()
        shared_small: Counter[Pair] = Counter()
        for gram, holders in index._postings.items():
            if isinstance(holders, str) or len(holders) > threshold:
                continue
            pairs = combinations(sorted(holders), 2)
            if gram in large:
                shared_large.update(pairs)
            else:
                shared_small.update(pairs)
        candidates = shared_large | {
            pair for pair, count in shared_small.items() if count >= config.min_shared_small
        }
        for pair in sorted(candidates):
            index._compute(pair)
        return index

    def add(self, key: str, body: str) -> None:
        """Add an article, or replace the body of one already indexed, updating its links."""
        if key in self._docs:
            self.remove(key)
        before = self._threshold()
        grams = self._register(key, body)
        after = self._threshold()
        flipped = {
            g for g in grams if (self._df(g) - 1 > before) != (self._df(g) > after)
        } | self._threshold_flips(before, after, exclude=grams)
        affected = self._affected(flipped, exclude=key)
        doc = self._docs[key]
        largest = max(self.config.ngram_sizes)
        shared_large: set[str] = set()
        shared_small: Counter[str] = Counter()
        for n, sized in doc.sets.items():
            for g in sized:
                holders = self._postings[g]
                if isinstance(holders, str) or self._is_common(g):
                    continue
                if n == largest:
                    shared_large.update(holders)
                else:
                    shared_small.update(holders)
        partners = shared_large | {
            other for other, count in shared_small.items() if count >= self.config.min_shared_small
        }
        partners.discard(key)
        for other in sorted(partners):
            self._compute(_pair(key, other))
        for pair in sorted(affected):
            self._compute(pair)

    def remove(self, key: str) -> None:
        """Remove an article and every link to it, updating the links it influenced."""
        if key not in self._docs:
            raise KeyError(key)
        for other in sorted(self._partners.pop(key, set())):
            self._pairs.pop(_pair(key, other), None)
            self._partners[other].discard(key)
        before = self._threshold()
        grams = self._docs[key].all_grams()
        del self._docs[key]
        del self._framing[key]
        del self._attributions[key]
        for g in grams:
            holders = self._postings[g]
            if isinstance(holders, str):
                del self._postings[g]
                continue
            holders.discard(key)
            if len(holders) == 1:
                self._postings[g] = next(iter(holders))
            if len(holders) <= self.config.max_df_floor:
                self._hot.discard(g)
        after = self._threshold()
        flipped = {
            g for g in grams if (self._df(g) + 1 > before) != (self._df(g) > after)
        } | self._threshold_flips(before, after, exclude=grams)
        for pair in sorted(self._affected(flipped, exclude=None)):
            self._compute(pair)

    # --- Reading -------------------------------------------------------------------------

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def keys(self) -> list[str]:
        """The indexed article keys, sorted."""
        return sorted(self._docs)

    def body(self, key: str) -> str:
        """The body an article was indexed with."""
        return self._docs[key].body

    def links_for(self, key: str) -> tuple[PassageLink, ...]:
        """Every link with article `key` on either side."""
        found = [
            link
            for other in self._partners.get(key, ())
            for link in self._pairs[_pair(key, other)].links
        ]
        return tuple(sorted(found, key=link_order))

    def links(self) -> tuple[PassageLink, ...]:
        """Every link in the corpus."""
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
        """Every discrepancy in the corpus."""
        found = [d for result in self._pairs.values() for d in result.discrepancies]
        return tuple(sorted(found, key=_discrepancy_order))

    def framing(self, key: str) -> ArticleFraming:
        """The lexicon counts of one article."""
        return self._framing[key]

    def attributions(self, key: str) -> tuple[Attribution, ...]:
        """The attribution cues of one article."""
        return self._attributions[key]

    def candidate_pairs(self) -> list[Pair]:
        """The article pairs the index compared and found to share enough to be candidates."""
        return sorted(self._pairs)

    def comparison(self) -> Comparison:
        """Links, groups, discrepancies, framing and attributions of the whole corpus."""
        links = self.links()
        return Comparison(
            links=links,
            groups=group_links(links),
            discrepancies=self.discrepancies(),
            framing={key: self._framing[key] for key in sorted(self._framing)},
            attributions={key: self._attributions[key] for key in sorted(self._attributions)},
        )

    # --- Internals -----------------------------------------------------------------------

    def _threshold(self) -> int:
        return self.config.max_df(len(self._docs))

    def _df(self, gram: int) -> int:
        holders = self._postings.get(gram)
        if holders is None:
            return 0
        return 1 if isinstance(holders, str) else len(holders)

    def _is_common(self, gram: int) -> bool:
        return self._df(gram) > self._threshold()

    def _register(self, key: str, body: str) -> frozenset[int]:
        if not isinstance(key, str) or not isinstance(body, str):
            raise TypeError("article keys and bodies must be str")
        doc = prepare(key, body, self.config.ngram_sizes)
        frozen = doc.all_grams()
        self._docs[key] = doc
        self._partners.setdefault(key, set())
        floor = self.config.max_df_floor
        for g in frozen:
            holders = self._postings.get(g)
            if holders is None:
                self._postings[g] = key
            elif isinstance(holders, str):
                self._postings[g] = {holders, key}
                if floor < 2:
                    self._hot.add(g)
            else:
                holders.add(key)
                if len(holders) > floor:
                    self._hot.add(g)
        self._framing[key] = frame(key, body, self.lexicon, doc.masked, self._compiled, doc.norm)
        doc.norm = None  # the offset map is large and no longer needed
        self._attributions[key] = find_attributions(
            key, body, [(s, e) for _, _, s, e in doc.sentences]
        )
        return frozen

    def _threshold_flips(self, before: int, after: int, exclude: Iterable[int]) -> set[int]:
        if before == after:
            return set()
        low, high = min(before, after), max(before, after)
        skip = set(exclude)
        return {g for g in self._hot if g not in skip and low < self._df(g) <= high}

    def _holders(self, gram: int) -> set[str]:
        holders = self._postings.get(gram)
        if holders is None:
            return set()
        return {holders} if isinstance(holders, str) else set(holders)

    def _affected(self, flipped: set[int], exclude: str | None) -> set[Pair]:
        """Pairs whose links may change because these n-grams changed status."""
        affected: set[Pair] = set()
        for g in flipped:
            holders = self._holders(g)
            holders.discard(exclude)  # the new article's pairs are computed anyway
            if self._is_common(g):
                for key in holders:
                    for other in self._partners.get(key, ()):
                        if other in holders:
                            affected.add(_pair(key, other))
            else:
                affected.update(combinations(sorted(holders), 2))
        return affected

    def _compute(self, pair: Pair) -> None:
        first, second = pair
        self.pairs_compared += 1
        result = link_pair(self._docs[first], self._docs[second], self._is_common, self.config)
        if result is None:
            if self._pairs.pop(pair, None) is not None:
                self._partners[first].discard(second)
                self._partners[second].discard(first)
            return
        self._pairs[pair] = result
        self._partners[first].add(second)
        self._partners[second].add(first)


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
