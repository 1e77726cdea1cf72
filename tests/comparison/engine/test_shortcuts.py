"""The comparison engine's shortcuts decide exactly as the long way would.

Issue 19 made pair linking faster without changing a link: word alignment without building a
difflib matcher (engine/blocks.py), every sentence pair's cosine at once as matrices
(similarity.PairSpace), a cheap test that rules sentence pairs out before their claim frames
are matched (frames.may_share_act), and passage groups that keep their "never together"
sets up to date instead of recomputing them (groups.group_links). Each is held here to the
plain computation it replaces. Pure engine tests, no database.
"""

import itertools
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.comparison.engine import Link, compare, frames
from articles.comparison.engine.blocks import edits, matching_blocks, ratio
from articles.comparison.engine.document import prepare
from articles.comparison.engine.frames import (
    background_keys,
    match_frames,
    may_share_act,
    sentence_frame,
    strong_families,
)
from articles.comparison.engine.groups import group_links
from articles.comparison.engine.results import LinkGroup
from articles.comparison.engine.similarity import (
    PairSpace,
    frame_key_counts,
    sentence_features,
    sentence_frame_of,
)

from .gold import seed_bodies

# --- Alignment blocks ------------------------------------------------------------------------

# Few distinct words, so that runs repeat and tie (where difflib's choices show).
_WORDS = st.lists(st.sampled_from("abcd"), max_size=14)


@settings(max_examples=400, deadline=None)
@given(_WORDS, _WORDS)
def test_blocks_ratio_and_edits_are_those_difflib_gives(a, b):
    """Blocks, ratio and the stretches between blocks equal SequenceMatcher's (no junk)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    blocks = matching_blocks(a, b)
    assert blocks == [tuple(block) for block in matcher.get_matching_blocks()[:-1]]
    assert ratio(blocks, len(a), len(b)) == matcher.ratio()
    assert edits(blocks, len(a), len(b)) == [op for op in matcher.get_opcodes() if op[0] != "equal"]


def test_blocks_of_words_and_letters():
    """A shifted repeat aligns its longest run first; a name's letters align too."""
    words = "the talks in Astana began on Monday".split()
    other = "talks began in Astana on Monday".split()
    assert matching_blocks(words, other) == [(1, 0, 1), (2, 2, 2), (5, 4, 2)]
    assert ratio(matching_blocks("kiev", "kyiv"), 4, 4) == 0.75


# --- Sentence scores -------------------------------------------------------------------------


def _seed_pairs() -> list[tuple[PairSpace, object, object]]:
    bodies = seed_bodies()
    docs = [prepare(key, body, (3, 5)) for key, body in sorted(bodies.items())]
    return [
        (PairSpace(sentence_features(a), sentence_features(b)), a, b)
        for a, b in itertools.combinations(docs, 2)
    ]


def test_every_rough_score_is_the_exact_one_and_candidates_share_stems():
    """The matrix score of every sentence pair of every two seed articles is the exact score
    (before its 6-digit rounding) up to float error, and the candidates are exactly the
    pairs sharing content stems, with how many."""
    for space, _, _ in _seed_pairs():
        terms_a, terms_b = space.a.terms, space.b.terms
        expected = {}
        for i, j in itertools.product(range(len(terms_a)), range(len(terms_b))):
            assert space.rough(i, j) == pytest.approx(space.score(i, j), abs=6e-7)
            shared = len(terms_a[i].keys() & terms_b[j].keys())
            if shared:
                expected[(i, j)] = shared
        assert space.candidates() == expected
        assert list(space.candidates()) == sorted(expected)


def test_at_least_agrees_with_the_exact_score_at_and_around_it():
    """`at_least` answers as `score >= threshold` would, for thresholds at a pair's own
    score, just above and below it, and far from it."""
    for space, _, _ in _seed_pairs():
        for i, j in itertools.product(range(len(space.a.terms)), range(len(space.b.terms))):
            exact = space.score(i, j)
            for threshold in (exact, exact + 1e-7, exact - 1e-7, exact + 1e-6, 0.1, 0.3, 0.9):
                assert space.at_least(i, j, threshold) == (exact >= threshold)


# --- Claim frames ------------------------------------------------------------------------


def _ruled_out_correctly(first, second, backgrounds) -> bool:
    """Whether, if `may_share_act` rules the two frames out, no match of them has a strong
    family or a count alike; returns whether it ruled them out."""
    ruled_out = not may_share_act(first, second)
    for keys in backgrounds:
        match = match_frames(first, second, background=keys)
        if ruled_out:
            assert not strong_families(match)
            assert not match.counted
    return ruled_out


def test_sentences_without_a_shared_act_match_no_strong_family_and_count_nothing():
    """Whenever `may_share_act` rules a pair of seed sentences out, matching the two frames
    (with no background, and with the pair's own) finds no strong family and no count
    alike."""
    checked = ruled_out = 0
    for _, a, b in _seed_pairs():
        background = background_keys(
            ((frame_key_counts(a), len(a.sentences)), (frame_key_counts(b), len(b.sentences))),
            0.3,
        )
        for i, j in itertools.product(range(len(a.sentences)), range(len(b.sentences))):
            first, second = sentence_frame_of(a, i), sentence_frame_of(b, j)
            ruled_out += _ruled_out_correctly(first, second, (frozenset(), background))
            checked += 1
    assert 0 < ruled_out < checked


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A weak act that counts ("carry": how many were aboard) makes a counted claim.
        ("The plane was carrying 189 passengers and crew.", "The jet carried 189 people."),
        ("Six seamen were wounded.", "Two servicemen were injured in the attack."),
        ("Russia announced new talks in Astana.", "Turkey announced the talks on Monday."),
    ],
)
def test_a_counted_or_specific_act_is_never_ruled_out(first, second):
    """Sentences that count one thing alike, or share a specific act, pass `may_share_act`;
    those sharing only weak acts are ruled out."""
    a, b = sentence_frame(first), sentence_frame(second)
    match = match_frames(a, b)
    assert may_share_act(a, b) == bool(strong_families(match) or match.counted)
    _ruled_out_correctly(a, b, (frozenset(),))


def test_a_sentence_read_twice_gives_the_same_frame():
    """Frames are kept and handed out again: equal to a fresh reading, for any dates."""
    text = "Russia and Turkey said on 29 December that six rebel groups would attend."
    first = sentence_frame(text)
    assert sentence_frame(text) is first
    assert first == frames._read_frame(text, ())
    assert sentence_frame(text, [(2016, 12, 29)]) == frames._read_frame(text, ((2016, 12, 29),))
    assert sentence_frame(text, [(2016, 12, 29)]) != first
    assert "participate" in first.families


# --- Passage groups ----------------------------------------------------------------------

_ORDER = {"verbatim": 0, "near": 1, "paraphrase": 2}


def _reference_groups(links: list[Link]) -> tuple[LinkGroup, ...]:
    """group_links as its docstring says it, the slow way: groups as explicit sets of link
    ends, every join checked against every differing link."""
    ends = [
        e
        for link in links
        for e in ((link.a_key, link.a_start, link.a_end), (link.b_key, link.b_start, link.b_end))
    ]
    joins = [
        (1 + _ORDER[link.kind], -link.score, n, 2 * n, 2 * n + 1)
        for n, link in enumerate(links)
        if link.stance != "differ"
    ]
    order = len(links)
    for key in dict.fromkeys(key for key, _, _ in ends):  # in order of first appearance
        mine = sorted((e[1], e[2], n) for n, e in enumerate(ends) if e[0] == key)
        reach, holder = -1, -1
        for start, end, n in mine:
            if start < reach:
                joins.append((0, 0.0, order, holder, n))
                order += 1
            if end > reach:
                reach, holder = end, n
    group = {n: frozenset((n,)) for n in range(len(ends))}
    apart = [(2 * n, 2 * n + 1) for n, link in enumerate(links) if link.stance == "differ"]
    for *_, first, second in sorted(joins):
        x, y = group[first], group[second]
        if x is y or any((u in x and v in y) or (u in y and v in x) for u, v in apart):
            continue
        for n in x | y:
            group[n] = x | y
    out = []
    for members in {group[n] for n in range(len(ends))}:
        agreeing = [
            link
            for n, link in enumerate(links)
            if link.stance != "differ" and 2 * n in members and 2 * n + 1 in members
        ]
        if not agreeing:
            continue
        spans: list[tuple[str, int, int]] = []
        for key, start, end in sorted(ends[n] for n in members):
            if spans and spans[-1][0] == key and start < spans[-1][2]:
                spans[-1] = (key, spans[-1][1], max(spans[-1][2], end))
            else:
                spans.append((key, start, end))
        kinds = tuple(k for k in _ORDER if any(link.kind == k for link in agreeing))
        out.append(LinkGroup(tuple(spans), kinds, len(agreeing)))
    return tuple(sorted(out, key=lambda g: g.members))


_SPANS = st.tuples(st.sampled_from("abc"), st.integers(0, 6)).map(
    lambda item: (item[0], item[1] * 10, item[1] * 10 + 15)
)


@st.composite
def _links(draw) -> list[Link]:
    found = []
    for _ in range(draw(st.integers(0, 14))):
        (ak, a0, a1), (bk, b0, b1) = draw(_SPANS), draw(_SPANS)
        kind = draw(st.sampled_from(sorted(_ORDER)))
        stance = draw(st.sampled_from(["agree", "agree", "differ"]))
        score = draw(st.sampled_from([0.2, 0.5, 0.9]))
        found.append(Link(kind, ak, a0, a1, bk, b0, b1, score, stance=stance))
    return found


@settings(max_examples=300, deadline=None)
@given(_links())
def test_groups_are_those_of_the_slow_way(links):
    """For any links, agreeing or differing, overlapping or not, the groups are those made
    by checking every join against every differing link."""
    assert group_links(links) == _reference_groups(links)


def test_the_seeds_compare_alike_twice():
    """Kept frames, names and counts change nothing from one comparison to the next."""
    bodies = seed_bodies()
    assert compare(bodies) == compare(bodies)
