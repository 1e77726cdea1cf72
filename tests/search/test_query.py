"""The query parser and the snippet highlighter: pure functions, no database."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.search import (
    MARK_CLOSE,
    MARK_OPEN,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    highlighted,
    parse_query,
)

QUOTED = re.compile(r'"(?:[^"]|"")*"')


@pytest.mark.parametrize(
    ("text", "words", "phrases"),
    [
        ("peace talks", ("peace", "talks"), ()),
        ('"peace talks" Astana', ("Astana",), ("peace talks",)),
        ('"peace talks', ("peace", "talks"), ()),
        ('"Astana"', ("Astana",), ()),
        ("AND( NEAR talks*", ("AND(", "NEAR", "talks*"), ()),
        ("- * : ^ \"\" ''", (), ()),
        ("talks talks", ("talks",), ()),
        ("  \t\x00 ", (), ()),
    ],
)
def test_parse_query_keeps_words_and_paired_quotes(text, words, phrases):
    """Words and paired-quote phrases are kept; lone punctuation and unpaired quotes are not."""
    parsed = parse_query(text)
    assert parsed.words == words
    assert parsed.phrases == phrases
    assert bool(parsed) == bool(words or phrases)


def test_fts5_expression_quotes_every_part():
    """Every word or phrase becomes one quoted FTS5 string, all of them required."""
    assert parse_query('AND( "peace talks" NEAR').fts5() == '"AND(" AND "NEAR" AND "peace talks"'


def test_long_query_is_truncated():
    """Over MAX_QUERY_LENGTH characters the query is cut, and says so."""
    parsed = parse_query("word " * 100)
    assert parsed.truncated
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert not parse_query("word").truncated


@given(st.text(max_size=400))
def test_any_input_parses_to_quoted_fts5_terms(text):
    """No input raises; the FTS5 expression is only quoted strings joined by AND."""
    parsed = parse_query(text)
    expression = parsed.fts5()
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert len(parsed.words) + len(parsed.phrases) <= MAX_TERMS
    if parsed:
        assert re.fullmatch(f"{QUOTED.pattern}( AND {QUOTED.pattern})*", expression)
    else:
        assert expression == ""
    assert "\x00" not in expression
    assert MARK_OPEN not in expression


def test_highlighted_escapes_text_and_marks_matches():
    """Stored text is escaped; only the markers become <mark>."""
    raw = f'<script>alert("x")</script> {MARK_OPEN}talks{MARK_CLOSE} & more'
    assert str(highlighted(raw)) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>talks</mark> &amp; more"
    )


@given(st.text(alphabet=st.sampled_from(["<", ">", "&", '"', "a", " ", MARK_OPEN, MARK_CLOSE])))
def test_highlighted_is_always_balanced_and_tag_free(raw):
    """Whatever the stored text holds, the result has balanced <mark> tags and no other tag."""
    html = str(highlighted(raw))
    assert "<" not in re.sub(r"</?mark>", "", html)
    opened = 0
    for tag in re.findall(r"</?mark>", html):
        opened += 1 if tag == "<mark>" else -1
        assert opened in (0, 1)
    assert opened == 0
