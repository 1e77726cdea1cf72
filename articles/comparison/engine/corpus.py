"""The corpus index: postings, document frequencies, candidate pairs and their links.

The links of a pair depend only on the two bodies and on each article's own outlet
boilerplate (lines its outlet repeats in `outlet_boilerplate_min` of its own articles), never
on how many other articles share their text. Which pairs are compared depends on the corpus:
a pair is a candidate when it shares rare n-grams, or rare names and numbers (see
candidates.py), rare meaning held by at most `config.max_df(n)` articles. When an article is
added or removed, the index computes the pairs that involve it, drops the pairs that stopped
being candidates and computes those that became candidates (a shared n-gram or name became
too common, or stopped being so); when a line becomes (or stops being) an outlet's
boilerplate, that outlet's articles holding it are indexed again. The result is always equal
to a full recomputation. Sentences held by more articles than the rare threshold are
reported as wire clusters (`wire_clusters`), at a cost linear in their holders.

Only bodies and postings are kept for every article. The prepared form of an article (words,
sentences, positional n-grams, sentence features) is made when a pair involving it has to be
computed, and kept in a bounded cache. Preloaded articles (stored elsewhere, trusted) count in
the postings but their pairs with each other are not computed unless an n-gram they share
changes status; `changed_pairs` says which pair results a store must replace.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import pickle
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Set
from datetime import date
from itertools import combinations
from operator import attrgetter
from typing import Any

from articles.parallel import worker_count, worker_pool

from .align import PairResult, link_order, link_pair
from .attribution import attributions as find_attributions
from .candidates import (
    ENTITY,
    SENTENCE,
    WireCluster,
    article_signals,
    is_pair_candidate,
    sentence_units,
)
from .document import Doc, boilerplate_spans, line_hash_list, prepare
from .framing import DEFAULT_LEXICON, Lexicon, compile_lexicon, frame
from .groups import group_links
from .pairs import PairSpec
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

# Stored results made by another version are recomputed (store.comparison_refresh): raise it
# whenever a change alters the links of pairs already stored.
ENGINE_VERSION = 2

Pair = tuple[str, str]
Gram = tuple[int, int]  # (size, hash)
Signals = dict[int, set[int]]  # n-gram sizes, ENTITY and SENTENCE -> hashes
# Whether a hash (size, hash) is rare: it may make a candidate pair.
IsRare = Callable[[int, int], bool]
# Prepared articles kept in memory, and how many of them keep their sentence features (the
# larger part); the least recently used are dropped first.
DOC_CACHE = 1024
FEATURES_CACHE = 512
_NO_RESULT = PairResult((), ())
# The result of a pair left to be computed elsewhere (see `defer_pairs`).
_DEFERRED = PairResult((), ())
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
        self._postings = Postings((*config.ngram_sizes, ENTITY, SENTENCE), config.max_df_floor)
        # Outlets: each article's outlet, which of the outlet's articles hold each line, and
        # the lines that are the outlet's own boilerplate (held by outlet_boilerplate_min).
        self._outlet_of: dict[str, str] = {}
        # Publication dates given by the caller (relative dates like "on Tuesday" read by them).
        self._published: dict[str, date] = {}
        self._line_holders: dict[str, dict[int, set[str]]] = {}
        self._repeated: dict[str, set[int]] = {}
        self._dirty: dict[str, set[int]] = {}  # lines counted since the last `_remask`
        # Where each wire-cluster sentence is in an article (made when asked).
        self._units: dict[str, dict[int, tuple[int, int]]] = {}
        # Indexed articles whose boilerplate changed: a store rewrites all they have.
        self.remasked: set[str] = set()
        self._pairs: dict[Pair, PairResult] = {}
        self._partners: dict[str, set[str]] = {}
        self._framing: dict[str, ArticleFraming] = {}
        self._attributions: dict[str, tuple[Citation, ...]] = {}
        self._preloaded: set[str] = set()
        # Pairs whose stored result must be replaced by pair_links / pair_differences.
        self.changed_pairs: set[Pair] = set()
        self.pairs_compared = 0
        # Pairs to compute named but not computed (defer_pairs), until settle_pairs.
        self._deferring = False
        self._deferred: set[Pair] = set()

    # --- Building ------------------------------------------------------------------------

    @classmethod
    def from_bodies(
        cls,
        bodies: Mapping[str, str],
        *,
        outlets: Mapping[str, str | None] | None = None,
        lexicon: Lexicon = DEFAULT_LEXICON,
        config: Config = DEFAULT_CONFIG,
        workers: int = 1,
        published: Mapping[str, date | None] | None = None,
    ) -> CorpusIndex:
        """Index a whole corpus at once (the full recomputation); `outlets` maps keys to
        their outlet (articles without one have no outlet boilerplate). workers > 1: see
        `add_many` (the result is the same)."""
        index = cls(lexicon=lexicon, config=config)
        if workers > 1:
            index.add_many(bodies, outlets=outlets, workers=workers, published=published)
            return index
        index._set_published(bodies, published)
        ordered = sorted(bodies)
        lines = {
            key: index._count_lines(key, bodies[key], (outlets or {}).get(key)) for key in ordered
        }
        index._settle(index._pending_flips())
        for key in ordered:
            index._register(key, bodies[key], full=False, lines=lines.pop(key))
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

    def preload(
        self,
        bodies: Mapping[str, str],
        *,
        outlets: Mapping[str, str | None] | None = None,
        published: Mapping[str, date | None] | None = None,
    ) -> None:
        """Register articles whose results are stored already: no pair, framing or attribution.

        They count in the document frequencies (what is rare) and become partners of later
        additions; their pairs with each other are computed only when they become candidates
        or stop being ones (those pairs then appear in `changed_pairs`). A key indexed
        already is replaced, as by `add`. Articles indexed already whose outlet boilerplate
        the new ones change are indexed again (see `remasked`).
        """
        keys = sorted(bodies)
        for key in keys:
            if key in self._bodies:
                self.remove(key)
        self._set_published(bodies, published)
        # Each body's line hashes, made once: counted for its outlet, then read by its mask.
        lines = {key: self._count_lines(key, bodies[key], (outlets or {}).get(key)) for key in keys}
        redo = self._remask(exclude=set(keys))
        members = len(self._bodies) > len(self._preloaded)
        before = self._threshold()
        changes: dict[int, Counter[int]] = {n: Counter() for n in self._signal_sizes}
        for key in keys:
            found = self._register(key, bodies[key], full=False, lines=lines.pop(key))
            self._preloaded.add(key)
            if members:
                for n in self._signal_sizes:
                    changes[n].update(found[n])
        if members:
            # Pairs with a full member must stay right: those whose candidacy changed, and
            # the new articles' pairs with members.
            flipped = self._flipped(changes, before, self._threshold())
            affected = {
                pair
                for pair in self._affected(flipped, exclude=())
                if not (pair[0] in self._preloaded and pair[1] in self._preloaded)
            }
            for key in keys:
                for other in (
                    self._partners_of(key, self._signals(key, wire=False)) - self._preloaded
                ):
                    affected.add(_pair(key, other))
            self._recompute(affected, changes, before)
        if redo:
            self._add_batch(redo, workers=1)

    def add(
        self, key: str, body: str, *, outlet: str | None = None, published: date | None = None
    ) -> None:
        """Add an article, or replace the body of one already indexed, updating its links.

        published: the article's publication date, which relative dates in it ("on
        Tuesday", "yesterday") are read against; without it, the date of its dateline."""
        if key in self._bodies:
            self.remove(key)
        self._set_published({key: body}, {key: published})
        self._count_lines(key, body, outlet)
        redo = self._remask(exclude={key})
        if redo:
            self._add_batch({key: body, **redo}, workers=1)
            return
        before = self._threshold()
        found = self._register(key, body, full=True)
        changes = {n: dict.fromkeys(found[n], 1) for n in self._signal_sizes}
        affected = self._affected(self._flipped(changes, before, self._threshold()), exclude={key})
        self._describe(key)
        for other in sorted(self._partners_of(key, found)):
            self._compute(_pair(key, other))
        self._recompute(affected, changes, before)

    def add_many(
        self,
        bodies: Mapping[str, str],
        *,
        outlets: Mapping[str, str | None] | None = None,
        workers: int = 1,
        published: Mapping[str, date | None] | None = None,
    ) -> None:
        """Add articles, or replace ones already indexed: the same as `add` of each in turn,
        but every pair is computed once, with the document frequencies the whole batch
        leads to.

        `add` of one article after another re-examines the pairs whose shared n-grams change
        status as the corpus grows, over and over; here the batch is counted first, then
        each pair involving a new article is computed, then the pairs of the other articles
        whose candidacy changed.

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
        self._set_published(bodies, published)
        lines = {key: self._count_lines(key, bodies[key], (outlets or {}).get(key)) for key in keys}
        redo = self._remask(exclude=set(keys))
        self._add_batch({**bodies, **redo}, workers=workers, lines=lines)

    def _add_batch(
        self,
        bodies: Mapping[str, str],
        *,
        workers: int,
        lines: dict[str, list[int] | None] | None = None,
    ) -> None:
        """`add_many` of articles not indexed, whose outlet lines are counted already
        (`lines`: some of their `line_hash_list`s, made then)."""
        keys = sorted(bodies)
        before = self._threshold()
        lines = lines or {}
        for key in keys:
            self._register(key, bodies[key], full=False, lines=lines.pop(key, None))
        new = set(keys)
        # How many new articles hold each hash: only those held by two or more can change
        # status or make a pair (see `_flipped`), so the others are not counted.
        changes: dict[int, dict[int, int]] = {}
        affected: set[Pair] = set()
        # When every indexed article is new, every pair involves a new one: none is affected.
        if len(new) < len(self._bodies):
            for n in self._signal_sizes:
                changes[n] = {
                    g: count
                    for g, holders in self._postings.shared(n).items()
                    if (count := sum(1 for key in holders if key in new))
                }
            flipped = self._flipped(changes, before, self._threshold())
            affected = self._affected(flipped, exclude=new)
        if self._deferring:
            workers = 1  # nothing heavy is left to share out: the pairs are computed elsewhere
        workers = worker_count(workers, items=len(keys), least=PARALLEL_MIN, inherit=True)
        # Article by article in key order: its pairs with the others already visited (or not
        # new), while it is prepared (partners in one story tend to have neighbouring keys).
        done: Iterable[Described]
        if workers > 1:
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
        found = self._signals(key, self._doc(key), wire=False)
        results = []
        for other in sorted(self._partners_of(key, found)):
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
            with worker_pool(workers, start_method="fork") as pool:
                for described in pool.map(_describe_chunk, chunks):
                    yield from pickle.loads(described)
        finally:
            gc.unfreeze()
            _FORKED = None

    def remove(self, key: str) -> None:
        """Remove an article and every link to it, updating the links it influenced."""
        if key not in self._bodies:
            raise KeyError(key)
        body = self._bodies[key]
        self._drop(key)
        self._published.pop(key, None)
        self._count_lines(key, body, None, sign=-1)
        redo = self._remask(exclude=())
        if redo:
            self._add_batch(redo, workers=1)

    def _drop(self, key: str) -> None:
        """Remove an article from the postings and every pair (its outlet lines stay counted)."""
        for other in sorted(self._partners.pop(key, set())):
            self._pairs.pop(_pair(key, other), None)
            self._partners[other].discard(key)
        self.changed_pairs = {pair for pair in self.changed_pairs if key not in pair}
        self._deferred = {pair for pair in self._deferred if key not in pair}
        before = self._threshold()
        found = self._signals(key, self._docs.pop(key, None))
        del self._bodies[key]
        self._framing.pop(key, None)
        self._attributions.pop(key, None)
        self._units.pop(key, None)
        self._preloaded.discard(key)
        self._postings.remove(key, found)
        after = self._threshold()
        changes = {n: dict.fromkeys(found[n], -1) for n in self._signal_sizes}
        flipped = self._flipped(changes, before, after)
        self._recompute(self._affected(flipped, exclude=()), changes, before)

    def _set_published(
        self, bodies: Mapping[str, str], published: Mapping[str, date | None] | None
    ) -> None:
        """Keep the publication dates given for these articles (forget any they had)."""
        for key in bodies:
            day = (published or {}).get(key)
            if day is None:
                self._published.pop(key, None)
            else:
                self._published[key] = day
            stale = self._docs.get(key)
            if stale is not None and stale.published != day:
                self._docs.pop(key)

    # --- Outlet boilerplate ----------------------------------------------------------------

    def _count_lines(
        self, key: str, body: str, outlet: str | None, *, sign: int = 1
    ) -> list[int] | None:
        """Count (sign 1) or stop counting (-1, the outlet as counted) an article's lines
        in its outlet's; `_remask` then applies what changed. Returns the body's
        `line_hash_list` when it was made (an article with an outlet)."""
        if sign < 0:
            outlet = self._outlet_of.pop(key, None)
        elif outlet is not None:
            self._outlet_of[key] = outlet
        if outlet is None:
            return None
        holders = self._line_holders.setdefault(outlet, {})
        dirty = self._dirty.setdefault(outlet, set())
        hashes = line_hash_list(body)
        lines = set(hashes)
        lines.discard(0)
        for line in lines:
            dirty.add(line)
            keys = holders.setdefault(line, set())
            if sign > 0:
                keys.add(key)
            else:
                keys.discard(key)
                if not keys:
                    del holders[line]
        return hashes

    def _pending_flips(self) -> dict[str, tuple[set[int], set[int]]]:
        """Per outlet, the lines that became boilerplate and those that stopped being so."""
        least = self.config.outlet_boilerplate_min
        out = {}
        for outlet, lines in self._dirty.items():
            holders = self._line_holders.get(outlet, {})
            was = self._repeated.get(outlet, set())
            now = {line for line in lines if len(holders.get(line, ())) >= least}
            gained, lost = now - was, (lines & was) - now
            if gained or lost:
                out[outlet] = (gained, lost)
        return out

    def _settle(self, flips: Mapping[str, tuple[set[int], set[int]]]) -> None:
        self._dirty.clear()
        for outlet, (gained, lost) in flips.items():
            lines = self._repeated.setdefault(outlet, set())
            lines |= gained
            lines -= lost

    def _remask(self, exclude: Collection[str]) -> dict[str, str]:
        """Apply the outlet boilerplate counted: the indexed articles (but `exclude`d ones)
        holding a line that became or stopped being boilerplate are dropped and returned
        (key -> body), to be indexed again with their new masks."""
        flips = self._pending_flips()
        redo: dict[str, str] = {}
        for outlet, (gained, lost) in flips.items():
            holders = self._line_holders.get(outlet, {})
            for line in gained | lost:
                for key in holders.get(line, ()):
                    if key in self._bodies and key not in exclude:
                        redo[key] = self._bodies[key]
        for key in sorted(redo):
            self._drop(key)  # with the masks it was indexed with
        self._settle(flips)
        self.remasked |= redo.keys()
        return redo

    def repeated_lines(self, key: str) -> frozenset[int]:
        """The `line_hash`es of the boilerplate lines of an article's outlet."""
        outlet = self._outlet_of.get(key)
        return frozenset(self._repeated.get(outlet, ())) if outlet is not None else frozenset()

    def boilerplate_digest(self, key: str) -> str:
        """A digest of the lines of an article masked as its outlet's boilerplate ("" when
        none): stable across processes, so a store can tell whether an article's mask is
        still the one its stored results were computed with."""
        outlet = self._outlet_of.get(key)
        if outlet is None:
            return ""
        holders = self._line_holders.get(outlet, {})
        lines = sorted(
            line for line in self._repeated.get(outlet, ()) if key in holders.get(line, ())
        )
        if not lines:
            return ""
        return hashlib.sha256(" ".join(map(str, lines)).encode()).hexdigest()

    def take_remasked(self) -> set[str]:
        """The indexed articles whose outlet boilerplate changed since the last call (their
        framing, attributions and every pair must be stored again), then forget them."""
        found, self.remasked = self.remasked & self._bodies.keys(), set()
        return found

    def take_changed_pairs(self) -> set[Pair]:
        """The pairs whose stored result must be replaced since the last call, then forget them.

        After `add` or `remove` of a key, every stored pair involving that key is obsolete:
        the ones that now have links are among the changed pairs, the others go. Changed pairs
        among other articles (they became candidates, or stopped being ones; or an article's
        outlet boilerplate changed) get the result `pair_links` and `pair_differences` give
        now, possibly nothing.
        """
        changed, self.changed_pairs = self.changed_pairs, set()
        return changed

    # --- Pairs computed elsewhere -----------------------------------------------------------

    def defer_pairs(self) -> None:
        """From now on, name the pairs to compute instead of computing them: each is a
        candidate meanwhile, listed by `deferred_pairs`, and takes its result from
        `settle_pairs` (computed by `pairs.link_pairs`, in any process, from `pair_spec`s).
        Framing and attributions are still computed here."""
        self._deferring = True

    def deferred_pairs(self) -> list[Pair]:
        """The pairs waiting for their result, in key order."""
        return sorted(self._deferred)

    def pair_spec(self, key: str) -> PairSpec:
        """What `pairs.link_pairs` needs of an indexed article to link it as this index does."""
        return PairSpec(self._bodies[key], self.repeated_lines(key), self._published.get(key))

    def settle_pairs(self, results: Mapping[Pair, PairResult]) -> None:
        """Give every deferred pair its result (a pair missing is a KeyError, and nothing is
        settled), as if the index had computed it; pairs are computed here again after."""
        missing = self._deferred - results.keys()
        if missing:
            raise KeyError(f"no result for {len(missing)} deferred pair(s), e.g. {min(missing)}")
        pending, self._deferred, self._deferring = self._deferred, set(), False
        for pair in sorted(pending):
            self._store(pair, results[pair])

    # --- Wire clusters ---------------------------------------------------------------------

    def wire_clusters(self, *, min_holders: int | None = None) -> tuple[WireCluster, ...]:
        """Sentences held by more articles than the rare threshold (or by `min_holders`),
        each as one cluster of its holders: found from the postings, so the cost is linear in
        the holders (no pair is compared)."""
        least = self._threshold() + 1 if min_holders is None else max(2, min_holders)
        found = [
            self._cluster(g, holders)
            for g, holders in self._postings.shared(SENTENCE).items()
            if len(holders) >= least
        ]
        return tuple(sorted(found, key=lambda c: c.members))

    def wire_for(self, key: str, *, min_holders: int | None = None) -> tuple[WireCluster, ...]:
        """The wire clusters article `key` carries."""
        if key not in self._bodies:
            raise KeyError(key)
        least = self._threshold() + 1 if min_holders is None else max(2, min_holders)
        shared = self._postings.shared(SENTENCE)
        found = []
        for g in self._sentence_places(key):
            holders = shared.get(g)
            if holders is not None and len(holders) >= least:
                found.append(self._cluster(g, holders))
        return tuple(sorted(found, key=lambda c: c.members))

    def _sentence_places(self, key: str) -> dict[int, tuple[int, int]]:
        places = self._units.get(key)
        if places is None:
            body = self._bodies[key]
            masked = boilerplate_spans(body, self.repeated_lines(key))
            places = {}
            for g, start, end in sentence_units(body, masked, self.config.wire_min_words):
                places.setdefault(g, (start, end))
            self._units[key] = places
        return places

    def _cluster(self, gram: int, holders: Iterable[str]) -> WireCluster:
        members = []
        for key in sorted(holders):
            start, end = self._sentence_places(key)[gram]
            members.append((key, start, end))
        first, start, end = members[0]
        return WireCluster(self._bodies[first][start:end], tuple(members))

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

    def _results_with(self, key: str) -> list[PairResult]:
        """The results of the known pairs with article `key` on either side."""
        return [self._pairs[_pair(key, other)] for other in self._partners.get(key, ())]

    def links_for(self, key: str) -> tuple[Link, ...]:
        """Every link with article `key` on either side (known pairs: see `links`)."""
        return _links_of(self._results_with(key))

    def links(self) -> tuple[Link, ...]:
        """Every link in the corpus, but those between two preloaded articles not recomputed."""
        return _links_of(self._pairs.values())

    def differences_for(self, key: str) -> tuple[Difference, ...]:
        """The differences between article `key` and the others."""
        return _differences_of(self._results_with(key))

    def differences(self) -> tuple[Difference, ...]:
        """Every difference in the corpus (known pairs: see `links`)."""
        return _differences_of(self._pairs.values())

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

    @property
    def _signal_sizes(self) -> tuple[int, ...]:
        """The postings that make candidate pairs: n-gram sizes and ENTITY."""
        return (*self.config.ngram_sizes, ENTITY)

    def _threshold(self) -> int:
        return self.config.max_df(len(self._bodies))

    def _df(self, n: int, gram: int) -> int:
        return self._postings.df(n, gram)

    def _is_common(self, n: int, gram: int) -> bool:
        return self._df(n, gram) > self._threshold()

    def _holders(self, n: int, gram: int) -> set[str]:
        return self._postings.holders(n, gram)

    def _doc(self, key: str) -> Doc:
        """The prepared article, from the cache or made now."""
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = prepare(key, self._bodies[key], self._sizes, repeated=self.repeated_lines(key))
        doc.published = self._published.get(key)
        self._docs[key] = doc
        if len(self._docs) > self._doc_cache:
            self._docs.popitem(last=False)
        return doc

    def _signals(
        self,
        key: str,
        doc: Doc | None = None,
        *,
        wire: bool = True,
        lines: list[int] | None = None,
    ) -> Signals:
        """An indexed article's hashes by postings size (its n-grams from `doc` if given);
        without `wire`, only those that make candidate pairs (no SENTENCE). `lines`: the
        body's `line_hash_list`, when known already."""
        body = self._bodies[key]
        repeated = self.repeated_lines(key)
        if doc is None:
            return article_signals(body, self._sizes, repeated, self.config, wire=wire, lines=lines)
        found: Signals = {n: doc.gram_set(n) for n in self._sizes}
        found.update(article_signals(body, (), repeated, self.config, wire=wire, masked=doc.masked))
        return found

    def _describe(self, key: str) -> None:
        """Compute the framing and the attributions of one article."""
        doc = self._doc(key)
        body = self._bodies[key]
        self._framing[key] = frame(key, body, self.lexicon, doc.masked, self._compiled)
        self._attributions[key] = find_attributions(
            key, body, [(s, e) for _, _, s, e in doc.sentences]
        )

    def _register(
        self, key: str, body: str, *, full: bool, lines: list[int] | None = None
    ) -> Signals:
        """Store the body and count its hashes in the postings; returns them by size
        (`lines`: see `_signals`)."""
        if not isinstance(key, str) or not isinstance(body, str):
            raise TypeError("article keys and bodies must be str")
        self._bodies[key] = body
        self._partners.setdefault(key, set())
        found = self._signals(key, self._doc(key) if full else None, lines=lines)
        self._postings.add(key, found)
        return found

    def _partners_of(self, key: str, found: Signals) -> set[str]:
        """Articles that make a candidate pair with `key`: sharing one rare n-gram of the
        largest size, enough smaller ones, or rare names and numbers worth enough."""
        largest = max(self._sizes)
        threshold = self._threshold()
        shared_large: set[str] = set()
        shared_small: Counter[str] = Counter()
        entity: Counter[str] = Counter()
        for n in self._signal_sizes:
            shared = self._postings.shared(n)
            for g in found[n] & shared.keys():
                holders = shared[g]
                if len(holders) > threshold:
                    continue
                if n == ENTITY:
                    entity.update(holders)
                elif n == largest:
                    shared_large.update(holders)
                else:
                    shared_small.update(holders)
        minimum = self.config.min_shared_small
        least = self.config.min_shared_entities
        partners = shared_large
        partners.update(other for other, count in shared_small.items() if count >= minimum)
        partners.update(other for other, score in entity.items() if score >= least)
        partners.discard(key)
        return partners

    def _candidates(self) -> set[Pair]:
        """Every candidate pair (see `_partners_of`), from the postings of rare hashes."""
        threshold = self._threshold()
        largest = max(self._sizes)
        shared_large: set[Pair] = set()
        shared_small: Counter[Pair] = Counter()
        entity: Counter[Pair] = Counter()
        for n in self._signal_sizes:
            for holders in self._postings.shared(n).values():
                if len(holders) > threshold:
                    continue
                pairs = combinations(sorted(holders), 2)
                if n == ENTITY:
                    entity.update(pairs)
                elif n == largest:
                    shared_large.update(pairs)
                else:
                    shared_small.update(pairs)
        minimum = self.config.min_shared_small
        least = self.config.min_shared_entities
        shared_large.update(pair for pair, count in shared_small.items() if count >= minimum)
        shared_large.update(pair for pair, score in entity.items() if score >= least)
        return shared_large

    def _flipped(
        self, changes: Mapping[int, Mapping[int, int]], before: int, after: int
    ) -> set[Gram]:
        """The hashes whose status (rare or not) changed: `changes` holds how much their
        counts changed (size -> hash -> change), and the threshold went from `before` to
        `after`.

        Only hashes held by two articles or more count: the others make no pair."""
        flipped = set()
        for n in self._signal_sizes:
            sized = changes.get(n, {})
            shared = self._postings.shared(n)
            for g in sized.keys() & shared.keys():
                df = len(shared[g])
                was = df - sized[g]
                if (was > before) != (df > after):
                    flipped.add((n, g))
        if before != after:
            low, high = min(before, after), max(before, after)
            for n in self._signal_sizes:
                skip = changes.get(n, {})
                for g in self._postings.hot[n]:
                    if g not in skip and low < self._df(n, g) <= high:
                        flipped.add((n, g))
        return flipped

    def _affected(self, flipped: Iterable[Gram], exclude: Collection[str]) -> set[Pair]:
        """Pairs whose candidacy may change because these hashes changed status, but those
        involving an `exclude`d article (new articles: their pairs are computed anyway)."""
        affected: set[Pair] = set()
        preloaded = self._preloaded
        for n, g in flipped:
            holders = self._holders(n, g)
            if exclude:
                holders = {key for key in holders if key not in exclude}
            if self._is_common(n, g):
                # Only candidates can stop being ones; those of two preloaded articles are
                # not known, so they are all looked at.
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
        """Look again at pairs whose shared hashes changed status by `changes` (size -> hash
        -> change of count; the threshold was `before`).

        A pair's links do not depend on the corpus: a pair that stays a candidate keeps
        them, one that becomes a candidate is computed, one that stops being one loses
        them. Candidacy is read off the articles' hashes, without preparing them. A pair of
        two preloaded articles has a stored result the index does not know: it is reported
        when it became or stopped being a candidate."""
        threshold = self._threshold()
        postings = self._postings
        found: dict[str, Signals] = {}
        for pair in sorted(pairs):
            for key in pair:
                if key not in found:
                    found[key] = self._signals(key, self._docs.get(key), wire=False)
            first, second = (found[key] for key in pair)
            shared = {n: first[n] & second[n] for n in self._signal_sizes}
            df = {n: {g: postings.df(n, g) for g in shared[n]} for n in self._signal_sizes}
            now = _candidate(df, threshold, self.config)
            if self._known(pair):
                held = pair in self._pairs or pair in self._deferred
                if now and not held:
                    self._compute(pair)
                elif not now and held:
                    self._store(pair, None)
                continue
            df_then = {
                n: {g: count - changes.get(n, {}).get(g, 0) for g, count in sized.items()}
                for n, sized in df.items()
            }
            then = _candidate(df_then, before, self.config)
            if now and not then:
                self._compute(pair)
            elif then and not now:
                self._store(pair, None)  # it may have had links: they go

    def _known(self, pair: Pair) -> bool:
        """Whether the index knows the result a store holds for a pair (not both preloaded)."""
        return (
            pair in self._pairs
            or pair in self._deferred
            or not (pair[0] in self._preloaded and pair[1] in self._preloaded)
        )

    def _compute(self, pair: Pair) -> None:
        self.pairs_compared += 1
        self._store(pair, self._link(pair))

    def _link(self, pair: Pair) -> PairResult | None:
        """The result of one pair now (link_pair on the two prepared articles: it depends on
        them alone)."""
        if self._deferring:
            return _DEFERRED
        first, second = pair
        a, b = self._doc(first), self._doc(second)
        result = link_pair(a, b, None, self.config)
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
        if result is _DEFERRED or pair in self._deferred:
            self._store_deferred(pair, result)
            return
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

    def _store_deferred(self, pair: Pair, result: PairResult | None) -> None:
        """A pair to compute elsewhere is a candidate meanwhile; one that stops being one
        before it was computed is dropped as any pair is (its stored result, if it had one,
        goes: the same end as computing it, then dropping it)."""
        first, second = pair
        if result is _DEFERRED:
            self._deferred.add(pair)
            self._partners[first].add(second)
            self._partners[second].add(first)
            return
        if result is not None:
            raise ValueError(f"{pair} is left to be computed elsewhere: settle_pairs sets it")
        self._deferred.discard(pair)
        if pair not in self._pairs:
            self._partners[first].discard(second)
            self._partners[second].discard(first)
        self._store(pair, None)

    def _pair_result(self, first: str, second: str) -> PairResult:
        for key in (first, second):
            if key not in self._bodies:
                raise KeyError(key)
        pair = _pair(first, second)
        if pair in self._pairs:
            return self._pairs[pair]
        if self._known(pair) or not self._is_candidate(pair):
            return _NO_RESULT
        return self._link(pair) or _NO_RESULT

    def _is_candidate(self, pair: Pair) -> bool:
        """Whether two indexed articles are a candidate pair now (read off their hashes)."""
        first, second = (self._signals(key, self._docs.get(key), wire=False) for key in pair)
        postings = self._postings
        df = {n: {g: postings.df(n, g) for g in first[n] & second[n]} for n in self._signal_sizes}
        return _candidate(df, self._threshold(), self.config)


def _describe_chunk(keys: list[str]) -> bytes:
    """In a forked worker: `_describe_new` of each key, on the index inherited from the parent,
    pickled by `_Pickler`."""
    assert _FORKED is not None
    index, new = _FORKED
    out = io.BytesIO()
    _Pickler(out, pickle.HIGHEST_PROTOCOL).dump([index._describe_new(key, new) for key in keys])
    return out.getvalue()


# Per dataclass, a getter of its fields in order (None: pickled the default way).
_FIELD_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _field_getter(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    if cls not in _FIELD_GETTERS:
        getter = None
        if dataclasses.is_dataclass(cls) and not hasattr(cls, "__post_init__"):
            found = dataclasses.fields(cls)
            if all(f.init for f in found):
                names = [f.name for f in found]
                getter = attrgetter(*names) if len(names) > 1 else _one_field(names[0])
        _FIELD_GETTERS[cls] = getter
    return _FIELD_GETTERS[cls]


def _one_field(name: str) -> Callable[[Any], tuple[Any, ...]]:
    get = attrgetter(name)
    return lambda obj: (get(obj),)


class _Pickler(pickle.Pickler):
    """Pickles dataclass instances (links, differences, framing, citations) as their class and
    field values, rebuilt by calling the class: the default way, through `dataclasses`'
    __getstate__ / __setstate__, reads the fields' list once per object and is several times
    slower, which the parent of `add_many`'s workers pays for every result."""

    def reducer_override(self, obj: object) -> Any:
        getter = _field_getter(type(obj))
        if getter is None:
            return NotImplemented
        return type(obj), getter(obj)


def _candidate(df: Mapping[int, Mapping[int, int]], threshold: int, config: Config) -> bool:
    """Whether two articles are a candidate pair: `df` maps each size to the hashes they
    share, each with how many articles hold it; rare is held by at most `threshold`."""
    rare = {n: {g for g, count in sized.items() if count <= threshold} for n, sized in df.items()}
    return is_pair_candidate(rare, config)


def _pairs_of(earlier: Mapping[str, Iterable[str]]) -> Iterator[Pair]:
    """The pairs (j, k) of a map from each article k to its earlier partners j."""
    for key, others in earlier.items():
        for other in others:
            yield other, key


def _links_of(results: Iterable[PairResult]) -> tuple[Link, ...]:
    """The links of some pairs' results, in `link_order`."""
    return tuple(sorted((link for result in results for link in result.links), key=link_order))


def _differences_of(results: Iterable[PairResult]) -> tuple[Difference, ...]:
    """The differences of some pairs' results, in `_difference_order`."""
    found = (d for result in results for d in result.differences)
    return tuple(sorted(found, key=_difference_order))


def _difference_order(d: Difference) -> tuple[str, int, int, str, int, int, str]:
    return (d.a_key, d.a_start, d.a_end, d.b_key, d.b_start, d.b_end, d.kind)


def compare(
    bodies: Mapping[str, str],
    *,
    outlets: Mapping[str, str | None] | None = None,
    lexicon: Lexicon = DEFAULT_LEXICON,
    config: Config = DEFAULT_CONFIG,
    workers: int = 1,
    published: Mapping[str, date | None] | None = None,
) -> Comparison:
    """Compare every candidate pair of a corpus: articles sharing rare wording, or rare names
    and numbers. `outlets` maps keys to outlets (for outlet boilerplate); workers > 1 uses
    forked processes for large corpora (the result is the same)."""
    index = CorpusIndex.from_bodies(
        bodies,
        outlets=outlets,
        lexicon=lexicon,
        config=config,
        workers=workers,
        published=published,
    )
    return index.comparison()
