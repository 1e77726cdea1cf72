"""The one-pass hashing of an article (preload, registration) gives what the separate passes give.

`candidates.article_signals` must equal `document.gram_sets` plus `candidates.signal_sets`,
`document.line_hash_list` must equal `line_hash` of each line, and the index's worker results
must survive its pickling unchanged. Pure engine, no database.
"""

import io
import pickle
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.comparison.engine import DEFAULT_CONFIG, compare
from articles.comparison.engine.candidates import _ENTITY_RE, article_signals, signal_sets
from articles.comparison.engine.corpus import _Pickler
from articles.comparison.engine.document import (
    _PARAGRAPH_RE,
    boilerplate_spans,
    gram_sets,
    line_hash,
    line_hash_list,
)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = (
    "the rebels said ceasefire came into force on December 29 , 2016 . Russia Turkey U.N. "
    "Astana talks 1,200 3.5 12 (AFP) said: Alloush told Reuters ; Share this article "
    "Copyright © 2017 all rights reserved Leave a reply ΑΣ ΟΔΟΣ"
).split()
ODD = ["“", "”", "’", "—", "\u00a0", "ﬁ", "ß", "İ", "e\u0301", "٣", "\n", "\n\n", "  ", "\t"]
SIZES = DEFAULT_CONFIG.ngram_sizes
# The names-and-numbers pattern as first written (lookbehind first): the faster one must match
# exactly as it does.
_ENTITY_FIRST = re.compile(r"(?<=[a-z0-9,;:)] )[A-Z][\w'\-]*\w|(?<![\w.])\d[\d,.]*\d(?![\w])")


@st.composite
def bodies(draw) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(ODD)), max_size=60))
    return " ".join(pieces)


def _separate(body: str, repeated: frozenset[int], wire: bool) -> dict[int, set[int]]:
    masked = boilerplate_spans(body, repeated)
    found = gram_sets(body, SIZES, repeated, masked)
    found.update(signal_sets(body, repeated, DEFAULT_CONFIG, wire=wire, masked=masked))
    return found


@SETTINGS
@given(bodies(), st.booleans(), st.booleans())
@example("Share this\n\nRebels said talks in Astana open on Monday. Russia (AFP)", False, True)
@example("Tail line\nRebels said talks in Astana open on Monday. Russia agreed", True, True)
def test_one_pass_signals_equal_the_separate_passes(body: str, mask_a_line: bool, wire: bool):
    lines = line_hash_list(body)
    repeated = frozenset(lines[:1]) if mask_a_line else frozenset()
    expected = _separate(body, repeated, wire)
    assert article_signals(body, SIZES, repeated, DEFAULT_CONFIG, wire=wire) == expected
    given_lines = article_signals(body, SIZES, repeated, DEFAULT_CONFIG, wire=wire, lines=lines)
    assert given_lines == expected
    without_grams = article_signals(body, (), repeated, DEFAULT_CONFIG, wire=wire)
    assert without_grams == {n: v for n, v in expected.items() if n not in SIZES}


@SETTINGS
@given(bodies())
def test_line_hashes_of_a_body_are_those_of_its_lines(body: str):
    assert line_hash_list(body) == [line_hash(m.group()) for m in _PARAGRAPH_RE.finditer(body)]


@SETTINGS
@given(st.text(alphabet="aZ9 ,.;:)'-\n_Ωé٣Bx1", max_size=40), st.integers(0, 5))
def test_names_and_numbers_pattern_matches_as_first_written(text: str, at: int):
    assert [m.span() for m in _ENTITY_RE.finditer(text, at)] == [
        m.span() for m in _ENTITY_FIRST.finditer(text, at)
    ]


def test_worker_pickling_keeps_links_differences_and_framing():
    text = (
        "The ceasefire came into force on December 29, 2016, Russia said. Rebels refused to "
        "attend the talks in Astana, Reuters reported. The rebels are terrorists, said Ali."
    )
    other = text.replace("December 29", "December 30").replace("refused to", "decided to")
    result = compare({"a": text, "b": other})
    assert result.links
    payload = (result.links, result.differences, result.framing, result.attributions)
    out = io.BytesIO()
    _Pickler(out, pickle.HIGHEST_PROTOCOL).dump(payload)
    assert pickle.loads(out.getvalue()) == payload
