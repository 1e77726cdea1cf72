"""A note's snippet on the search page reads as the rendered note, not as its Markdown."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.notes import note_text
from annotations.search import MARK_CLOSE, MARK_OPEN

from .conftest import annotate

pytestmark = pytest.mark.django_db


def test_note_snippet_shows_rendered_words_with_the_match_marked(client, make_article, alice):
    """`**Key** point` shows as "Key point"; link targets, code fences and list marks go."""
    article = make_article("md.txt", "Notes in Markdown", "Officials said the talks went on.")
    annotate(
        alice,
        article,
        "Officials said",
        note="**Key** point about the _mistral_, see [the report](https://example.org/r)\n\n"
        "- first\n- second `code`",
    )
    response = client.get("/search/", {"q": "mistral"})
    (result,) = response.context["results"].results
    snippet = str(result.snippet)
    assert snippet.startswith("Key point about the <mark>mistral</mark>, see the report")
    for syntax in ("**", "_mistral_", "](", "https://example.org", "- first", "`"):
        assert syntax not in snippet
    assert "first second code" in snippet


def test_a_note_of_markup_characters_keeps_its_words_escaped(client, make_article, alice):
    """Raw HTML in a note stays text (escaped), as the rendered note shows it."""
    article = make_article("md2.txt", "Notes in Markdown", "Officials said the talks went on.")
    annotate(alice, article, "Officials said", note="<b>bora</b> *wind*")
    response = client.get("/search/", {"q": "bora"})
    (result,) = response.context["results"].results
    assert str(result.snippet) == "&lt;b&gt;<mark>bora</mark>&lt;/b&gt; wind"


@pytest.mark.parametrize(
    ("note", "text"),
    [
        ("**Key** point", "Key point"),
        ("a\n\nb", "a b"),
        ("# Head\nbody", "Head body"),
        ("> quoted *words*", "quoted words"),
        ("![a chart](c.png) shows", "a chart shows"),
        ("```\nx = 1\n```", "x = 1"),
        (f"{MARK_OPEN}**Key**{MARK_CLOSE} point", f"{MARK_OPEN}Key{MARK_CLOSE} point"),
        ("", ""),
    ],
)
def test_note_text(note, text):
    assert note_text(note) == text


@settings(max_examples=60, deadline=None)
@given(
    unit=st.sampled_from(["![", "[", "*", "**_", "`", "> ", "- ", "1. ", "<a>", "\\", "[a]("]),
    repeat=st.integers(min_value=1, max_value=4000),
)
def test_note_text_stays_linear_on_adversarial_notes(unit, repeat):
    """Runs of Markdown's openers take time in proportion to their length (markdown-it is
    linear): 4,000 repeats stay well under a second, and no character is invented."""
    note = unit * repeat
    began = time.perf_counter()
    text = note_text(note)
    assert time.perf_counter() - began < 2.0
    assert len(text) <= len(note)
