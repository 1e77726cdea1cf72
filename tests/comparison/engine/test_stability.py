"""Stability: a link between two articles does not disappear because other articles came.

A pair's links depend only on the two bodies and on each article's own outlet boilerplate;
other articles decide only whether the pair is compared (rare shared n-grams or names), and a
pair stays a candidate until what it shares is held by more than `max_df` articles, when the
shared sentences are reported as a wire cluster instead.
"""

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from articles.comparison.engine import Config, CorpusIndex, boilerplate_spans

from .test_properties import FLIPPY, SETTINGS, corpora, sentences

OUTLETS = st.sampled_from([None, "outlet one", "outlet two"])
# Everything rare: a pair compared alone is a candidate as soon as it shares anything.
ALL_RARE = Config(max_df_floor=1000, max_df_cap=1000)


def _pieces(body: str) -> list[str]:
    return [piece for piece in re.split(r"\n+", body) if piece.strip()]


@st.composite
def grown_corpora(draw):
    """A corpus with outlets, and articles added to it: related ones (made of its lines,
    some edited) or unrelated ones (new sentences), of the same or other outlets."""
    start = draw(corpora(min_size=2, max_size=5))
    outlets = {key: draw(OUTLETS) for key in start}
    pool = [piece for body in start.values() for piece in _pieces(body)]
    added: dict[str, str] = {}
    for index in range(draw(st.integers(1, 6))):
        if pool and draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6))
            if draw(st.booleans()):
                chosen[0] = chosen[0].replace("the", "a", 1)
        else:
            chosen = draw(st.lists(sentences(), min_size=1, max_size=6))
        key = f"x{index}"
        added[key] = draw(st.sampled_from(["\n\n", "\n", " "])).join(chosen)
        outlets[key] = draw(OUTLETS)
    return start, added, outlets


def _masked(index: CorpusIndex, key: str) -> list[tuple[int, int]]:
    return boilerplate_spans(index.body(key), index.repeated_lines(key))


def _remasked(link, before: CorpusIndex, after: CorpusIndex) -> bool:
    """Whether an article of the link has lines that became its outlet's boilerplate: its
    words changed (and, with them, the sentence statistics its other links are scored by)."""
    return any(_masked(after, key) != _masked(before, key) for key in (link.a_key, link.b_key))


@SETTINGS
@given(grown_corpora())
def test_adding_articles_never_removes_a_pairs_links(case):
    """Every link stays, but those of an article whose outlet boilerplate grew."""
    start, added, outlets = case
    before = CorpusIndex.from_bodies(start, outlets=outlets)
    assume(before.links())  # a start with no link has none to lose (and checks nothing)
    after = CorpusIndex.from_bodies({**start, **added}, outlets=outlets)
    kept = set(after.links())
    for link in before.links():
        assert link in kept or _remasked(link, before, after), (link, case)
    # Added one by one to the index, the result is the full recomputation's.
    grown = CorpusIndex.from_bodies(start, outlets=outlets)
    for key in sorted(added):
        grown.add(key, added[key], outlet=outlets[key])
    assert grown.links() == after.links()


@SETTINGS
@given(corpora(min_size=2, max_size=6), st.sampled_from([FLIPPY, Config()]))
def test_a_pairs_links_are_those_of_the_two_articles_alone(bodies, config):
    """Whatever else the corpus holds, a compared pair gets the links the two would get alone."""
    index = CorpusIndex.from_bodies(bodies, config=config)
    # Not vacuous: a corpus with no candidate pair checks nothing, so it is not counted as an
    # example; if no corpus ever made a pair, hypothesis fails as Unsatisfiable.
    assume(index.candidate_pairs())
    for a, b in index.candidate_pairs():
        alone = CorpusIndex.from_bodies({a: bodies[a], b: bodies[b]}, config=ALL_RARE)
        assert index.pair_links(a, b) == alone.pair_links(a, b)
        assert index.pair_differences(a, b) == alone.pair_differences(a, b)


WIRE = (
    "The foreign ministers of Russia, Iran and Turkey agreed on a trilateral mechanism to "
    "monitor the ceasefire across the whole country."
)


def test_text_reprinted_past_max_df_stays_shared_as_a_wire_cluster():
    """Two articles share a wire sentence; reprinted by more than max_df articles it makes no
    pair, and is one cluster naming every article that carries it."""
    bodies = {
        "a": f"Morning report from the capital about the weather.\n\n{WIRE}",
        "b": f"An evening bulletin on markets and the local football.\n\n{WIRE}",
    }
    index = CorpusIndex.from_bodies(bodies)
    (link,) = index.links()
    assert bodies["a"][link.a_start : link.a_end] == WIRE.rstrip(".")
    extra = Config().max_df(100) + 5
    for i in range(extra):
        index.add(f"r{i:03d}", f"Reprint number {i} of the agency copy.\n\n{WIRE}")
    (cluster,) = index.wire_for("a")
    assert cluster.count == extra + 2
    assert {"a", "b"} <= set(cluster.keys)
    start, end = {key: (s, e) for key, s, e in cluster.members}["a"]
    assert start <= link.a_start < link.a_end <= end


SAME_EVENT = {
    "a": (
        "Kazakh officials said President Nursultan Nazarbayev opened the Astana meeting on "
        "23 January with 14 delegations present."
    ),
    "b": (
        "Delegates gathered in Astana, where Nursultan Nazarbayev welcomed 14 delegations "
        "on 23 January to a closed session."
    ),
}


def test_more_coverage_of_one_event_keeps_a_pair_told_in_other_words():
    """Two articles sharing only names and numbers stay compared as others name them too."""
    index = CorpusIndex.from_bodies(SAME_EVENT)
    assert index.candidate_pairs() == [("a", "b")]
    links = index.pair_links("a", "b")
    bodies = dict(SAME_EVENT)
    for i in range(Config().max_df(30) - 2):
        bodies[f"r{i:02d}"] = (
            f"Report {i}: in Astana, Nursultan Nazarbayev met 14 delegations on 23 January."
        )
        full = CorpusIndex.from_bodies(bodies)
        assert ("a", "b") in full.candidate_pairs()
        assert full.pair_links("a", "b") == links
