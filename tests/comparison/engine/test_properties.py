"""Property-based tests of the comparison engine: invariants for any corpus at all.

No database: the engine is pure Python.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.comparison.engine import Config, CorpusIndex, compare, match_key

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = (
    "the rebels militants said ceasefire came into force on December 29 30 2016 Russia Turkey "
    "regime government Damascus talks Astana groups decided to attend Alloush told AFP Reuters "
    "quoted according factions of a an in will be test for guarantor majority"
).split()
ODD = ["“", "”", "’", "—", "–", "\u00a0", "ﬁ", "ß", "İ", "½", "e\u0301", "(", ")", ",", ".", ":"]


@st.composite
def sentences(draw) -> str:
    """A sentence-like string: words, odd characters, punctuation."""
    pieces = draw(
        st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD)), min_size=1, max_size=18)
    )
    text = " ".join(pieces)
    return text[:1].upper() + text[1:] + draw(st.sampled_from([".", "!", "?", "", ".”"]))


@st.composite
def corpora(draw, min_size: int = 0, max_size: int = 5) -> dict[str, str]:
    """Bodies that share sentences (so that they link), with random edits and separators."""
    pool = draw(st.lists(sentences(), min_size=1, max_size=8))
    keys = draw(
        st.lists(st.sampled_from("abcdefgh"), min_size=min_size, max_size=max_size, unique=True)
    )
    bodies = {}
    for key in keys:
        chosen = draw(st.lists(st.sampled_from(pool), max_size=8))
        if draw(st.booleans()) and chosen:
            index = draw(st.integers(0, len(chosen) - 1))
            chosen[index] = chosen[index].replace("the", "a", 1)
        separator = draw(st.sampled_from([" ", "\n\n", "\n", "\n\n\n"]))
        bodies[key] = separator.join(chosen)
    return bodies


def _check_spans(comparison, bodies: dict[str, str]) -> None:
    for link in comparison.links:
        assert link.a_key < link.b_key
        for key, start, end in (
            (link.a_key, link.a_start, link.a_end),
            (link.b_key, link.b_start, link.b_end),
        ):
            assert 0 <= start < end <= len(bodies[key])
        a_text = bodies[link.a_key][link.a_start : link.a_end]
        b_text = bodies[link.b_key][link.b_start : link.b_end]
        if link.kind == "verbatim":
            assert match_key(a_text) == match_key(b_text)
            assert not link.word_diff
        if link.kind == "near":
            assert link.word_diff
            _check_diff(link, bodies)
        for op in link.word_diff:
            assert link.a_start <= op.a_start <= op.a_end <= link.a_end
            assert link.b_start <= op.b_start <= op.b_end <= link.b_end
            assert bodies[link.a_key][op.a_start : op.a_end] == op.a_text
            assert bodies[link.b_key][op.b_start : op.b_end] == op.b_text
            assert (op.op == "insert") == (op.a_start == op.a_end)
            assert (op.op == "delete") == (op.b_start == op.b_end)
    for group in comparison.groups:
        for key, start, end in group.members:
            assert 0 <= start < end <= len(bodies[key])
    for found in comparison.differences:
        assert bodies[found.a_key][found.a_start : found.a_end] == found.a_text
        assert bodies[found.b_key][found.b_start : found.b_end] == found.b_text
        assert found.a_start < found.a_end
        assert found.b_start < found.b_end
    for key, framing in comparison.framing.items():
        for hit in framing.hits:
            assert 0 <= hit.start < hit.end <= len(bodies[key])
            assert bodies[key][hit.start : hit.end] == hit.text
            assert hit.snippet_start <= hit.start
            assert hit.end <= hit.snippet_end
    for key, found in comparison.attributions.items():
        for item in found:
            assert 0 <= item.start < item.end <= len(bodies[key])
            assert bodies[key][item.verb_start : item.verb_end].lower().split()[0] in item.verb
            if item.source is not None:
                assert bodies[key][item.source_start : item.source_end] == item.source


def _check_diff(link, bodies: dict[str, str]) -> None:
    """Outside its diff operations, a near link's two passages have the same words."""
    a_body, b_body = bodies[link.a_key], bodies[link.b_key]
    a_kept, b_kept, a_at, b_at = [], [], link.a_start, link.b_start
    for op in link.word_diff:
        a_kept.append(a_body[a_at : op.a_start])
        b_kept.append(b_body[b_at : op.b_start])
        a_at, b_at = op.a_end, op.b_end
    a_kept.append(a_body[a_at : link.a_end])
    b_kept.append(b_body[b_at : link.b_end])
    assert match_key(" ".join(a_kept)) == match_key(" ".join(b_kept))


@SETTINGS
@given(st.dictionaries(st.text(max_size=5), st.text(max_size=300), max_size=4))
def test_any_text_never_crashes(bodies):
    comparison = compare(bodies)
    _check_spans(comparison, bodies)


@SETTINGS
@given(corpora())
def test_spans_point_at_what_they_claim(bodies):
    _check_spans(compare(bodies), bodies)


# Small thresholds so that n-grams become too common, and stop being so, as articles come and go.
FLIPPY = Config(max_df_floor=1, max_df_ratio=0.5)


@st.composite
def edit_scripts(draw):
    """A starting corpus and a list of adds, replacements and removals."""
    start = draw(corpora(max_size=4))
    extra = draw(corpora(max_size=4))
    steps = []
    for key in draw(st.lists(st.sampled_from("abcdefgh"), max_size=8)):
        if draw(st.booleans()):
            steps.append(("remove", key, ""))
        else:
            body = extra.get(key) or draw(st.sampled_from([*start.values(), *extra.values(), ""]))
            steps.append(("add", key, body))
    return start, steps


@SETTINGS
@given(edit_scripts(), st.sampled_from([FLIPPY, Config()]))
def test_incremental_equals_full_recomputation(script, config):
    start, steps = script
    index = CorpusIndex(config=config)
    bodies: dict[str, str] = {}
    for key, body in start.items():
        index.add(key, body)
        bodies[key] = body
    for action, key, body in steps:
        if action == "remove":
            if key in bodies:
                index.remove(key)
                del bodies[key]
        else:
            index.add(key, body)
            bodies[key] = body
    full = CorpusIndex.from_bodies(bodies, config=config)
    assert index.links() == full.links()
    assert index.differences() == full.differences()
    assert index.comparison() == full.comparison()
    for key in bodies:
        assert index.links_for(key) == full.links_for(key)
