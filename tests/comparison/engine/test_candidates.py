"""Candidate pairs (rare n-grams, rare names and numbers), outlet boilerplate and wire clusters."""

from itertools import combinations

import pytest

from articles.comparison.engine import Config, CorpusIndex, compare

from .gold import seed_bodies

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
WIRE = (
    "The foreign ministers of Russia, Iran and Turkey agreed on a trilateral mechanism to "
    "monitor the ceasefire across the whole country."
)
FILLER_WORDS = (
    "apple river stone cloud lamp violin garden pepper window candle marble orbit".split()
)


def _filler(i: int) -> str:
    """A short unrelated text of its own (no word trigram in common with the others)."""
    words = [f"{FILLER_WORDS[(i * 7 + k) % len(FILLER_WORDS)]}{i}x{k}" for k in range(12)]
    return " ".join(words).capitalize() + "."


def test_articles_telling_one_event_in_their_own_words_are_compared():
    """They share no word trigram, only names and numbers: still a candidate pair."""
    index = CorpusIndex.from_bodies(SAME_EVENT)
    assert index.candidate_pairs() == [("a", "b")]
    assert index.pairs_compared == 1


def test_every_seed_pair_is_compared():
    seeds = seed_bodies()
    index = CorpusIndex.from_bodies(seeds)
    assert index.candidate_pairs() == list(combinations(sorted(seeds), 2))


def test_two_shared_names_alone_make_no_candidate():
    bodies = {
        "a": "Officials met in Astana with Nursultan and nobody else today.",
        "b": "A football fan from Astana praised Nursultan for the goal yesterday.",
    }
    assert Config().min_shared_entities == 3
    assert CorpusIndex.from_bodies(bodies).candidate_pairs() == []


def test_names_held_by_more_than_max_df_articles_make_no_pairs():
    """Cost bound: a name in every article of a large corpus is not rare."""
    config = Config()
    count = config.max_df(40) + 20
    bodies = {
        f"k{i:03d}": f"{_filler(i)} Talks in Astana with Nazarbayev and Lavrov of 2017."
        for i in range(count)
    }
    index = CorpusIndex.from_bodies(bodies)
    assert index.pairs_compared == 0


def test_wire_sentence_carried_by_many_articles_is_one_cluster_at_linear_cost():
    holders = 60
    bodies = {f"w{i:03d}": f"{_filler(i)}\n\n{WIRE}" for i in range(holders)}
    bodies["solo"] = _filler(999)
    index = CorpusIndex.from_bodies(bodies)
    assert index.pairs_compared == 0  # no pair of the 1,770 is compared
    (cluster,) = index.wire_clusters()
    assert cluster.count == holders
    assert cluster.keys == tuple(sorted(k for k in bodies if k != "solo"))
    for key, start, end in cluster.members:
        assert bodies[key][start:end] == WIRE
    assert index.wire_for("w007") == (cluster,)
    assert index.wire_for("solo") == ()
    # A small holding is linked pairwise, and a cluster only when asked for.
    few = CorpusIndex.from_bodies({k: bodies[k] for k in ("w001", "w002", "w003")})
    assert few.wire_clusters() == ()
    assert few.links()
    assert few.wire_clusters(min_holders=3)[0].count == 3


def test_what_an_outlet_repeats_in_its_own_articles_is_masked():
    line = "Follow our coverage of the war in Syria on our channel for the latest updates."
    least = Config().outlet_boilerplate_min
    bodies = {f"a{i}": f"{_filler(i)}\n\n{line}" for i in range(least)}
    outlets = dict.fromkeys(bodies, "outlet one")
    masked = compare(bodies, outlets=outlets)
    assert masked.links == ()
    # One article fewer: not yet boilerplate. Other outlets carrying it: shared text.
    fewer = {k: bodies[k] for k in sorted(bodies)[: least - 1]}
    assert compare(fewer, outlets=outlets).links
    assert compare(bodies, outlets={k: f"outlet {k}" for k in bodies}).links


def test_a_line_becoming_boilerplate_remasks_the_outlets_articles():
    line = "Follow our coverage of the war in Syria on our channel for the latest updates."
    least = Config().outlet_boilerplate_min
    bodies = {f"a{i}": f"{_filler(i)}\n\n{line}" for i in range(least)}
    bodies["other"] = f"{_filler(50)}\n\n{line}"
    outlets = {**dict.fromkeys(bodies, "outlet one"), "other": "outlet two"}
    index = CorpusIndex()
    for key in ("a0", "a1", "other"):
        index.add(key, bodies[key], outlet=outlets[key])
    assert index.links()
    assert index.take_remasked() == set()
    index.add("a2", bodies["a2"], outlet="outlet one")  # the line's third article of outlet one
    assert index.take_remasked() == {"a0", "a1"}
    full = CorpusIndex.from_bodies(bodies, outlets=outlets)
    assert index.comparison() == full.comparison()
    assert full.links() == ()  # outlet one's copies are masked; "other" has no partner left
    index.remove("a0")
    assert index.take_remasked() == {"a1", "a2"}
    rest = {k: v for k, v in bodies.items() if k != "a0"}
    assert index.comparison() == CorpusIndex.from_bodies(rest, outlets=outlets).comparison()
    assert index.links()


@pytest.mark.parametrize("workers", [1, 2])
def test_compare_takes_outlets_and_workers(workers):
    result = compare(SAME_EVENT, outlets={"a": "x", "b": None}, workers=workers)
    assert result == compare(SAME_EVENT)
