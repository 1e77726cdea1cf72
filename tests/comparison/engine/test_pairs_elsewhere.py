"""Pairs computed elsewhere: an index that names its pairs (`defer_pairs`) and takes their
results back (`settle_pairs`), computed by `link_pairs` from `pair_spec`s and sent as JSON,
ends exactly where an index that computed them itself ends: the same pairs reported changed,
with the same links and differences, and the same framing and attributions.

Property-based (hypothesis), on corpora with outlets (so boilerplate masks move as articles
are added) that are partly preloaded, as the database store uses the index.
"""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.comparison.engine import Config, CorpusIndex
from articles.comparison.engine.pairs import (
    PairSpec,
    link_pairs,
    pair_result_from_json,
    pair_result_json,
)

from .test_preload import _apply, _full_store
from .test_properties import FLIPPY, SETTINGS
from .test_stability import grown_corpora

# Configs under which candidates flip as n-grams grow common, and outlet boilerplate appears
# as soon as two articles of an outlet share a line (masks move while articles are added).
CONFIGS = st.sampled_from(
    [
        FLIPPY,
        Config(),
        Config(outlet_boilerplate_min=2),
        Config(max_df_floor=1, max_df_ratio=0.5, outlet_boilerplate_min=2),
    ]
)


@st.composite
def stored_and_added(draw):
    """A stored (preloaded) corpus with outlets, and articles added to it: related ones made
    of its lines, or unrelated ones, of the same or other outlets."""
    start, added, outlets = draw(grown_corpora())
    return {**start, **added}, outlets, sorted(start), sorted(added)


def _through_json(index: CorpusIndex) -> None:
    """What a worker elsewhere does with the index's deferred pairs, results sent as JSON."""
    pairs = index.deferred_pairs()
    specs = {key: index.pair_spec(key) for pair in pairs for key in pair}
    results = link_pairs(specs, pairs, index.config)
    sent = json.dumps({f"{a}|{b}": pair_result_json(r) for (a, b), r in results.items()})
    index.settle_pairs(
        {tuple(k.split("|")): pair_result_from_json(v) for k, v in json.loads(sent).items()}
    )


def _refresh(bodies, outlets, preloaded, rest, config, *, elsewhere: bool, batch: bool):
    """What the database store does: preload the stored articles, add the others, re-add
    the stored ones whose outlet boilerplate moved, then replace the stored result of each
    pair the index reports changed (`_apply`). The index and the store it leaves."""
    start = {key: bodies[key] for key in preloaded}
    store = _full_store(start, config, outlets)
    index = CorpusIndex(config=config)
    index.preload(start, outlets=outlets)
    if elsewhere:
        index.defer_pairs()
    if batch:
        index.add_many({key: bodies[key] for key in rest}, outlets=outlets)
    else:
        for key in rest:
            index.add(key, bodies[key], outlet=outlets[key])
    remasked = index.take_remasked()
    for key in sorted(remasked - set(rest)):  # as the store re-adds a remasked stored article
        index.add(key, bodies[key], outlet=outlets[key])
    if elsewhere:
        _through_json(index)
    _apply(store, index, *rest, *remasked)
    return index, store


@SETTINGS
@given(stored_and_added(), CONFIGS, st.booleans())
def test_pairs_settled_from_elsewhere_end_as_pairs_computed_here(case, config, batch):
    """The store kept up to date ends the same, and so do framing and attributions. (A pair
    may be reported changed by one and not the other when it ends with no result and had
    none stored: a pair computed, then dropped before the end, is computed only here.)"""
    bodies, outlets, preloaded, rest = case
    here, store_here = _refresh(
        bodies, outlets, preloaded, rest, config, elsewhere=False, batch=batch
    )
    there, store_there = _refresh(
        bodies, outlets, preloaded, rest, config, elsewhere=True, batch=batch
    )
    assert store_there == store_here
    assert there.links() == here.links()
    for key in bodies:
        assert there.framing(key) == here.framing(key)
        assert there.attributions(key) == here.attributions(key)


def test_a_deferred_pair_is_computed_nowhere_until_settled():
    """Deferring names the pairs without computing any; a result missing settles nothing."""
    line = "Russia and Turkey said the ceasefire came into force on December 29 in Syria."
    bodies = {"a": f"{line}\n\nOne more line.", "b": f"{line}\n\nAnother line here."}
    index = CorpusIndex()
    index.defer_pairs()
    index.add_many(bodies)
    assert index.deferred_pairs() == [("a", "b")]
    assert index.pair_links("a", "b") == ()  # a candidate with no result yet
    with pytest.raises(KeyError):
        index.settle_pairs({})
    assert index.deferred_pairs() == [("a", "b")]
    _through_json(index)
    assert index.deferred_pairs() == []
    assert index.pair_links("a", "b") == CorpusIndex.from_bodies(bodies).pair_links("a", "b")
    assert index.pair_links("a", "b")


def test_a_pair_named_out_of_key_order_or_a_foreign_result_is_refused():
    spec = PairSpec("A line.", frozenset(), date(2017, 1, 23))
    with pytest.raises(ValueError, match="key order"):
        link_pairs({"a": spec, "b": spec}, [("b", "a")])
    with pytest.raises(ValueError, match="not a pair result"):
        pair_result_from_json({"links": [["verbatim"]], "differences": []})
