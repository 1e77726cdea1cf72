"""Tests of the re-anchoring engine: properties for any text, then examples on the seed bodies.

These never touch the database: the engine is pure Python.
"""

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import (
    CONTEXT,
    FUZZY_THRESHOLD,
    Anchor,
    AnchorStatus,
    Selector,
    locate,
    reanchor,
    reanchor_many,
    selector_for,
)
from articles.ingest import decode, extract, sentence_spans

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- Strategies ------------------------------------------------------------------------------

# Words that news bodies are made of, with the awkward ones: typographic quotes and dashes,
# combining accents, emoji with modifiers and joiners, lone surrogates, dotted capitals.
WORDS = (
    "the",
    "talks",
    "in",
    "Astana",
    "Syrian",
    "opposition",
    "ceasefire",
    "Russia",
    "Turkey",
    "said",
    "“until",
    "implemented.”",
    "—",
    "Qatar’s",
    "e\u0301te\u0301",
    "İstanbul",
    "😀",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "\ud800",
    "\udfff",
)
SEPARATORS = (" ", " ", " ", ", ", ". ", "\n\n", "\u00a0")
ODD_CHARACTERS = st.one_of(
    st.characters(exclude_characters="§¶‡"),
    st.sampled_from(["\ud800", "\udbff", "\udfff", "\u0301", "\u200d", "😀", "“", "”", "—"]),
)

prose = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=60
).map(lambda pairs: "".join(word + sep for word, sep in pairs))
noise = st.text(alphabet=ODD_CHARACTERS, min_size=1, max_size=120)
texts = st.one_of(prose, noise)
long_texts = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=12, max_size=30
    ).map(lambda pairs: "".join(word + sep for word, sep in pairs)),
    st.text(alphabet=ODD_CHARACTERS, min_size=CONTEXT, max_size=120),
).filter(lambda text: len(text) >= CONTEXT)
any_texts = st.one_of(st.just(""), prose, noise)
offsets = st.one_of(st.integers(-5, 300), st.integers(-(10**9), 10**9))


@st.composite
def spans(draw: st.DrawFn, text: str) -> tuple[int, int]:
    """A non-empty span of text."""
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 80)))
    return start, end


@st.composite
def selectors(draw: st.DrawFn) -> Selector:
    """Any selector at all, consistent with no body."""
    return Selector(
        exact=draw(any_texts),
        prefix=draw(any_texts),
        suffix=draw(any_texts),
        start=draw(offsets),
        end=draw(offsets),
    )


def edited(draw: st.DrawFn, text: str) -> str:
    """text with one slice replaced by arbitrary text (an insertion, deletion or change)."""
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text[:start] + draw(any_texts) + text[end:]


def marked(draw: st.DrawFn, text: str) -> str:
    """text with one slice replaced by marks found in no drawn text (an unambiguous edit)."""
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text[:start] + draw(st.text(alphabet="§¶‡", min_size=1, max_size=12)) + text[end:]


def count(text: str, quote: str) -> int:
    """How many times quote occurs in text, overlaps included."""
    return sum(1 for i in range(len(text)) if text.startswith(quote, i))


def check_anchor(anchor: Anchor, body: str, selector: Selector) -> None:
    """The invariants every anchor keeps, whatever the input."""
    assert isinstance(anchor.status, AnchorStatus)
    assert 0.0 <= anchor.score <= 1.0
    if anchor.status in (AnchorStatus.ORPHANED, AnchorStatus.AMBIGUOUS):
        assert (anchor.start, anchor.end, anchor.exact) == (None, None, "")
        for start, end in anchor.candidates:  # the places an ambiguous quote could be
            assert 0 <= start < end <= len(body)
        return
    assert anchor.start is not None
    assert anchor.end is not None
    assert 0 <= anchor.start < anchor.end <= len(body)
    assert anchor.exact == body[anchor.start : anchor.end]
    if anchor.status is AnchorStatus.FUZZY:
        assert anchor.exact != selector.exact
        assert anchor.score >= FUZZY_THRESHOLD
    else:
        assert anchor.exact == selector.exact
        assert anchor.score == 1.0
        same = (anchor.start, anchor.end) == (selector.start, selector.end)
        assert same == (anchor.status is AnchorStatus.ANCHORED)


# --- Properties ------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_annotation_on_unchanged_text_reanchors_to_itself(data: st.DataObject) -> None:
    body = data.draw(texts)
    start, end = data.draw(spans(body))
    anchor = reanchor(body, body, selector_for(body, start, end))
    assert anchor == Anchor(AnchorStatus.ANCHORED, start, end, 1.0, body[start:end])


@SETTINGS
@given(st.data())
def test_quote_still_occurring_once_is_found_there(data: st.DataObject) -> None:
    """The quote and the words around it survive once; everything else may change.

    A quote at the very start (end) of the body has the body's edge for context, so nothing
    is added before (after) it then.
    """
    old = data.draw(texts)
    start, end = data.draw(spans(old))
    quote = old[start:end]
    kept = old[max(0, start - CONTEXT) : end + CONTEXT]
    head = data.draw(any_texts) if start > 0 else ""
    tail = data.draw(any_texts) if end < len(old) else ""
    new = head + kept + tail
    assume(count(old, quote) == 1 and count(new, quote) == 1)
    anchor = reanchor(old, new, selector_for(old, start, end))
    where = len(head) + start - max(0, start - CONTEXT)
    assert (anchor.start, anchor.end, anchor.exact) == (where, where + len(quote), quote)
    assert anchor.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED)


@SETTINGS
@given(st.data())
def test_long_quote_still_occurring_once_is_found_among_any_text(data: st.DataObject) -> None:
    """A quote long enough to identify itself needs none of its context to be found."""
    quote = data.draw(long_texts)
    old = data.draw(any_texts) + quote + data.draw(any_texts)
    head, tail = data.draw(any_texts), data.draw(any_texts)
    new = head + quote + tail
    assume(count(old, quote) == 1 and count(new, quote) == 1)
    start = old.index(quote)
    anchor = reanchor(old, new, selector_for(old, start, start + len(quote)))
    assert (anchor.start, anchor.end) == (len(head), len(head) + len(quote))


@SETTINGS
@given(st.data())
def test_edit_outside_the_quote_keeps_the_same_words(data: st.DataObject) -> None:
    """Edits beyond the quote's context leave it on the same words (or on a twin of them).

    The edits write marks that occur nowhere else, so that there is only one way to describe
    them: "talks talks" -> "talks 0talks talks" could be an insertion before the first word or
    between the two, and either answer would be right.
    """
    old = data.draw(texts)
    start, end = data.draw(spans(old))
    cut_left, cut_right = max(0, start - CONTEXT), end + CONTEXT
    head, tail = old[:cut_left], old[cut_right:]
    # The body's edge is context too: a quote at the very start (end) has nothing added there.
    if start > 0 and data.draw(st.booleans()):
        head = marked(data.draw, head)
    if end < len(old) and data.draw(st.booleans()):
        tail = marked(data.draw, tail)
    new = head + old[cut_left:cut_right] + tail
    selector = selector_for(old, start, end)
    anchor = reanchor(old, new, selector)
    assert anchor.exact == selector.exact
    assert anchor.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED)
    assert anchor.start is not None
    assert anchor.end is not None
    if anchor.start != len(head) + start - cut_left:
        # Only a twin that no selector could tell apart from the true place will do.
        assert new[max(0, anchor.start - len(selector.prefix)) : anchor.start] == selector.prefix
        assert new[anchor.end : anchor.end + len(selector.suffix)] == selector.suffix


@SETTINGS
@given(st.data())
def test_reanchor_many_gives_what_reanchor_gives_one_by_one(data: st.DataObject) -> None:
    old = data.draw(texts)
    new = data.draw(st.one_of(texts, st.just(old)))
    if data.draw(st.booleans()):
        new = edited(data.draw, old)
    made = [selector_for(old, *data.draw(spans(old))) for _ in range(data.draw(st.integers(0, 6)))]
    wild = data.draw(st.lists(selectors(), max_size=3))
    chosen = made + wild
    assert reanchor_many(old, new, chosen) == [reanchor(old, new, s) for s in chosen]


@settings(SETTINGS, max_examples=500)
@given(any_texts, any_texts, selectors())
def test_no_input_raises(old: str, new: str, selector: Selector) -> None:
    check_anchor(reanchor(old, new, selector), new, selector)
    check_anchor(locate(new, selector), new, selector)
    check_anchor(locate(old, selector), old, selector)


@SETTINGS
@given(st.data())
def test_no_selector_made_on_the_old_body_raises(data: st.DataObject) -> None:
    old = data.draw(texts)
    start, end = data.draw(spans(old))
    new = edited(data.draw, old) if data.draw(st.booleans()) else data.draw(any_texts)
    selector = selector_for(old, start, end)
    check_anchor(reanchor(old, new, selector), new, selector)
    shift = data.draw(st.integers(-50, 50))
    moved = Selector(selector.exact, selector.prefix, selector.suffix, start + shift, end + shift)
    check_anchor(reanchor(old, new, moved), new, moved)
    check_anchor(locate(new, moved), new, moved)


@SETTINGS
@given(st.data())
def test_locate_finds_a_quote_whose_position_is_off(data: st.DataObject) -> None:
    body = data.draw(texts)
    start, end = data.draw(spans(body))
    shift = data.draw(st.integers(-300, 300))
    true = selector_for(body, start, end)
    off = Selector(true.exact, true.prefix, true.suffix, start + shift, end + shift)
    anchor = locate(body, off)
    check_anchor(anchor, body, off)
    assert anchor.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED)
    assert anchor.start is not None
    assert anchor.end is not None
    # The place found shows the same context: it is the true place or one no selector can
    # tell from it, and it is the true place whenever the quote in its context is unique.
    assert body[max(0, anchor.start - len(true.prefix)) : anchor.start] == true.prefix
    assert body[anchor.end : anchor.end + len(true.suffix)] == true.suffix
    if count(body, true.prefix + true.exact + true.suffix) == 1:
        assert (anchor.start, anchor.end) == (start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 3), (3, 3), (4, 2), (0, 99), (True, 3), (0, 2.0)],
)
def test_selector_for_refuses_a_bad_span(start: int, end: int) -> None:
    with pytest.raises(ValueError, match=r"span|must be an int"):
        selector_for("a short body", start, end)


def test_selector_for_takes_the_context_from_the_body() -> None:
    body = "x" * 40 + "quote" + "y" * 40
    selector = selector_for(body, 40, 45)
    assert selector == Selector("quote", "x" * CONTEXT, "y" * CONTEXT, 40, 45)
    assert selector_for(body, 0, 3, context=2) == Selector("xxx", "", "xx", 0, 3)


# --- Examples on the seed bodies -------------------------------------------------------------


@functools.cache
def seed_body(number: str) -> str:
    """The body the ingest engine makes of one seed file."""
    path = next(SEEDS.glob(f"{number}_*.txt"))
    return extract(decode(path.read_bytes(), max_bytes=10**8).text).body


def annotate(body: str, quote: str, nth: int = 0) -> Selector:
    """The selector of the nth occurrence of quote in body."""
    at = -1
    for _ in range(nth + 1):
        at = body.index(quote, at + 1)
    return selector_for(body, at, at + len(quote))


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


def test_typo_fixed_inside_the_quote_gives_fuzzy_on_the_same_words() -> None:
    fixed = seed_body("000")
    quote = "said first of all it goes against the UN resolution"
    typo = fixed.replace(quote, quote.replace("resolution", "resolutoin"), 1)
    selector = annotate(typo, quote.replace("resolution", "resolutoin"))
    anchor = reanchor(typo, fixed, selector)
    assert anchor.status is AnchorStatus.FUZZY
    assert (anchor.start, anchor.exact) == (fixed.index(quote), quote)
    assert FUZZY_THRESHOLD <= anchor.score < 1.0


def test_quote_and_dash_normalisation_keeps_every_annotation() -> None:
    old = seed_body("000")
    new = old.translate(str.maketrans({"“": '"', "”": '"', "’": "'", "—": "-", "–": "-"}))
    assert new != old
    assert len(new) == len(old)
    curly = annotate(old, "“until it is fully implemented.”")
    anchor = reanchor(old, new, curly)
    assert anchor.status is AnchorStatus.FUZZY
    assert (anchor.start, anchor.end) == (curly.start, curly.end)
    assert anchor.exact == '"until it is fully implemented."'
    assert anchor.score == 1.0
    plain = annotate(old, "Danny Makki said first of all")
    assert reanchor(old, new, plain).status is AnchorStatus.ANCHORED


def test_annotations_inside_a_deleted_paragraph_are_orphaned() -> None:
    old = seed_body("001")
    kept = paragraphs(old)
    doomed = next(p for p in kept if p.startswith("Russian President Vladimir Putin"))
    new = "\n\n".join(p for p in kept if p != doomed)
    base = old.index(doomed)
    quotes = [
        doomed,  # the whole paragraph
        doomed[:60],
        "Putin",
        "the",  # common words that occur elsewhere must not be attached there
        "Syrian opposition groups",
    ]
    selectors = []
    for quote in quotes:
        at = base + doomed.index(quote)
        selectors.append(selector_for(old, at, at + len(quote)))
    for selector, anchor in zip(selectors, reanchor_many(old, new, selectors), strict=True):
        assert anchor.status is AnchorStatus.ORPHANED, selector.exact
        assert (anchor.start, anchor.end, anchor.exact) == (None, None, "")


def test_reordered_paragraphs_take_their_annotations_along() -> None:
    old = seed_body("003")
    parts = paragraphs(old)
    parts[1], parts[3] = parts[3], parts[1]
    new = "\n\n".join(parts)
    moved = parts[3]  # the old second paragraph, now fourth
    for quote in (moved[:40], moved[10:25], moved[-30:], "the"):
        offset = moved.index(quote)
        selector = selector_for(
            old, old.index(moved) + offset, old.index(moved) + offset + len(quote)
        )
        anchor = reanchor(old, new, selector)
        assert anchor.status is AnchorStatus.MOVED, quote
        assert (anchor.start, anchor.exact) == (new.index(moved) + offset, quote)


def test_sentences_swapped_inside_a_paragraph_move_their_annotations() -> None:
    old = seed_body("000")
    first = "Several Syrian opposition groups have signed a statement"
    second = "Their statement was widely reported by the Western mainstream media on Tuesday"
    a0 = old.index(first)
    a1 = old.index(". ", a0) + 2
    b1 = old.index(". ", a1) + 2
    new = old[:a0] + old[a1:b1] + old[a0:a1] + old[b1:]
    assert old[a1:].startswith(second)
    selector = annotate(old, "Sputnik reported.")
    anchor = reanchor(old, new, selector)
    assert anchor.status is AnchorStatus.MOVED
    assert new[anchor.start : anchor.end] == "Sputnik reported."
    assert anchor.start == new.index("Sputnik reported.")


def test_locate_places_an_imported_annotation_by_its_quote_and_context() -> None:
    body = seed_body("002")
    true = annotate(body, "the talks", nth=1)  # the quote occurs twice
    # Another tool counted offsets differently, so its position is a little off.
    imported = Selector(true.exact, true.prefix, true.suffix, true.start + 7, true.end + 7)
    anchor = locate(body, imported)
    assert (anchor.status, anchor.start, anchor.end) == (AnchorStatus.MOVED, true.start, true.end)
    assert locate(body, true).status is AnchorStatus.ANCHORED


def test_locate_orphans_a_quote_that_is_not_there() -> None:
    body = seed_body("004")
    selector = Selector("talks collapsed in acrimony on Friday", "", "", 10, 47)
    anchor = locate(body, selector)
    assert anchor.status is AnchorStatus.ORPHANED
    assert 0.0 <= anchor.score < FUZZY_THRESHOLD


def test_every_seed_survives_a_round_of_edits_without_misplacement() -> None:
    """A smoke run over every seed: each sentence annotated, one sentence dropped per body."""
    for number in ("000", "001", "002", "003", "004"):
        old = seed_body(number)
        sentences = sentence_spans(old)
        start, end = sentences[len(sentences) // 2]
        new = old[:start] + old[end:]
        selectors = [selector_for(old, s, e) for s, e in sentences]
        for selector, anchor in zip(selectors, reanchor_many(old, new, selectors), strict=True):
            check_anchor(anchor, new, selector)
            if (selector.start, selector.end) == (start, end):
                assert anchor.status is AnchorStatus.ORPHANED
            else:
                assert anchor.status is not AnchorStatus.ORPHANED
                assert new[anchor.start : anchor.end] == selector.exact
