"""The anchoring engine's text helpers (annotations.anchoring_text), as plain functions: word
characters, word boundaries, snapping a span to whole words, whitespace-insensitive search.

Pure functions, no database. Written from the mutation run of issue 17 (part 8): each case
pins a boundary (a tie, the first or last character of the text) that the anchoring tests
only reach by chance.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring_text import (
    MAX_OCCURRENCES,
    collapsed_occurrences,
    is_word,
    mid_word,
    snap,
    whole_word,
)


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("a", True),
        ("Z", True),
        ("7", True),
        ("_", True),
        ("é", True),
        ("ك", True),  # Arabic is written with spaces between words
        ("-", False),
        (" ", False),
        ("’", False),
        ("中", False),  # Chinese, Thai: no spaces, so no character is taken to form a word
        ("ก", False),
    ],
)
def test_word_characters(char, expected):
    """Letters, digits and underscore of spaced scripts are word characters; nothing else."""
    assert is_word(char) is expected


def test_mid_word_is_between_two_word_characters_only():
    """Inside a word; never at either end of the text, beside a space, or in Chinese."""
    text = "cease-fire now"
    assert mid_word(text, 2)
    assert not mid_word(text, 0)
    assert not mid_word(text, len(text))
    assert not mid_word(text, 5)  # before the hyphen
    assert not mid_word(text, 6)  # after it
    assert not mid_word(text, 10)  # before the space
    assert not mid_word("停火协议", 2)


def test_whole_word_needs_both_ends_at_a_boundary():
    text = "the ceasefire held"
    assert whole_word(text, 4, 13)
    assert not whole_word(text, 5, 13)
    assert not whole_word(text, 4, 12)
    assert whole_word(text, 0, len(text))


# --- snap -------------------------------------------------------------------------------------

TEXT = "abcd efgh ijkl"


@pytest.mark.parametrize(
    ("start", "end", "ends", "expected"),
    [
        # Most of the word is inside the span: the span takes the whole word.
        (1, 9, (True, False), (0, 9)),
        (6, 14, (True, False), (5, 14)),
        (5, 13, (False, True), (5, 14)),
        # A tie (as much of the word inside as outside) takes the word.
        (2, 9, (True, False), (0, 9)),
        (0, 7, (False, True), (0, 9)),
        # Less than half inside: the word is left out.
        (3, 9, (True, False), (4, 9)),
        (0, 6, (False, True), (0, 5)),
        (3, 6, (False, True), (3, 5)),
        # Ends not flagged, or already at a boundary, are kept.
        (1, 6, (False, False), (1, 6)),
        (5, 9, (True, True), (5, 9)),
    ],
)
def test_snap_widens_or_narrows_to_whole_words(start, end, ends, expected):
    assert snap(TEXT, start, end, ends=ends) == expected


def test_snap_never_leaves_an_empty_span():
    """A span inside one word takes the word, at either end, however little it covers."""
    assert snap(TEXT, 3, 4, ends=(True, False)) == (0, 4)  # the word's last letter alone
    assert snap("ceasefire", 6, 8, ends=(True, True)) == (0, 9)
    assert snap("ceasefire", 7, 8, ends=(True, False)) == (0, 8)
    assert snap("abcdefgh", 0, 2, ends=(False, True)) == (0, 8)


def test_snap_at_the_first_and_last_word_of_the_text():
    """A word that opens or closes the text is read up to the text's edge, never past it."""
    assert snap("abcdef ghi", 2, 10, ends=(True, False)) == (0, 10)
    assert snap("abc defghi", 0, 8, ends=(False, True)) == (0, 10)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab -", min_size=1, max_size=30),
    st.integers(0, 30),
    st.integers(1, 30),
    st.booleans(),
    st.booleans(),
)
def test_snap_keeps_a_non_empty_span_inside_the_text(text, start, length, first, last):
    """Whatever the span, the snapped one is inside the text, not empty, and whole-word at
    every flagged end that was moved."""
    start = min(start, len(text) - 1)
    end = min(start + length, len(text))
    new_start, new_end = snap(text, start, end, ends=(first, last))
    assert 0 <= new_start < new_end <= len(text)
    if first:
        assert not mid_word(text, new_start)
    else:
        assert new_start == start
    if last:
        assert not mid_word(text, new_end)
    else:
        assert new_end == end


# --- collapsed_occurrences --------------------------------------------------------------------


def test_occurrences_ignore_how_whitespace_is_written():
    """Runs of spaces, tabs and newlines match one space; spans are in the original text."""
    haystack = "x \t y and x y, x\n\ny"
    assert collapsed_occurrences(haystack, "x y") == [(0, 5), (10, 13), (15, 19)]
    assert collapsed_occurrences(haystack, "  x   y\n") == [(0, 5), (10, 13), (15, 19)]


def test_occurrences_overlap_and_stop_at_the_limit():
    assert collapsed_occurrences("aaaa", "aa") == [(0, 2), (1, 3), (2, 4)]
    assert collapsed_occurrences("aaaa", "a", limit=2) == [(0, 1), (1, 2)]
    assert collapsed_occurrences("a" * 300, "a") == [(i, i + 1) for i in range(MAX_OCCURRENCES)]
    assert MAX_OCCURRENCES == 200


def test_occurrences_of_nothing_are_none():
    assert collapsed_occurrences("some text", " \n ") == []
    assert collapsed_occurrences("some text", "other") == []
    assert collapsed_occurrences("", "x") == []


def test_occurrence_at_the_very_end_of_the_text():
    assert collapsed_occurrences("one  two", "two") == [(5, 8)]
    assert collapsed_occurrences("one  two  ", "one two") == [(0, 8)]
