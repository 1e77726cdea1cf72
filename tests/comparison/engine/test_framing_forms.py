"""Framing counts words as a reader would: inflections fold into one row, context rules hold."""

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.comparison.engine import DEFAULT_LEXICON, Term, frame_article
from articles.comparison.engine.framing import lemma

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def counts(text: str, lexicon=DEFAULT_LEXICON) -> dict[str, dict[str, int]]:
    return frame_article("a", text, lexicon).counts


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("rebels", "rebel"),
        ("rebel's", "rebel"),
        ("militants", "militant"),
        ("militias", "militia"),
        ("authorities", "authority"),
        ("gunmen", "gunman"),
        ("churches", "church"),
        ("websites", "website"),
        ("news", "news"),
        ("us", "us"),
        ("damascus", "damascus"),
        ("crisis", "crisis"),
        ("press", "press"),
    ],
)
def test_lemma_folds_the_plural_and_possessive_only(word, expected):
    """Plurals and possessives fold; words whose -s is no plural stay."""
    assert lemma(word) == expected


def test_singular_and_plural_count_in_one_row_named_by_the_lexicon():
    """'rebels', 'rebel', 'Rebels'' and 'rebel's' all count under the row 'rebel'."""
    text = "Rebels met a rebel. The rebels' demands and the rebel's son. Militants, a militant."
    found = counts(text)["armed groups"]
    assert found == {"rebel": 4, "militant": 2}


def test_terrorist_and_terrorists_fold_and_phrases_inflect():
    """Multi-word terms inflect too: 'armed groups' counts under 'armed group'."""
    found = counts("Terrorists and a terrorist; two armed groups and one armed group's leader.")
    assert found["armed groups"] == {"terrorist": 2, "armed group": 2}


def test_a_lexicon_listing_both_forms_gives_one_row_named_by_the_first():
    """'rebels' and 'rebel' both listed: one row, named by the first, every use counted once."""
    lexicon = {"armed": ("rebels", "rebel", Term("militant", not_before=("spokesman",)))}
    found = counts("The rebels and a rebel, the rebel's.", lexicon)
    assert found == {"armed": {"rebels": 3}}
    lexicon = {"armed": ("rebel", Term("rebels", not_before=("leader",)))}
    assert counts("A rebel leader and rebels leaders and a rebel.", lexicon) == {
        "armed": {"rebel": 1}
    }


@pytest.mark.parametrize(
    "text",
    [
        "Shaam Network, an opposition news website, reported on Monday.",
        "The opposition-run website said so.",
        "An opposition TV channel showed it.",
        "Opposition newspapers and opposition media said so.",
        "An opposition Orient TV report.",
        "The opposition party and opposition lawmakers voted.",
        "The political opposition in Ankara.",
    ],
)
def test_opposition_naming_media_or_politics_is_not_an_armed_group(text):
    """'opposition' before a media or political noun (or one word further) is not counted."""
    assert "opposition" not in counts(text)["armed groups"]


@pytest.mark.parametrize(
    "text",
    [
        "The opposition fighters said the talks would go ahead.",
        "The armed opposition will attend, the news agency said.",
        "Syrian opposition groups and the opposition delegation.",
        "He spoke to the opposition. News of the deal spread.",
    ],
)
def test_opposition_naming_the_armed_side_is_counted(text):
    """'opposition' for the armed side still counts."""
    assert counts(text)["armed groups"].get("opposition", 0) >= 1


def test_names_keep_their_s_and_lose_their_possessive():
    """A capitalised lexicon word is a name: 'Hamas' is not 'Hama'; "Assad's" is 'Assad'."""
    lexicon = {"actors": ("Hamas", "Hama", Term("Assad government"))}
    found = counts("Hamas said Hama was calm. Hamas's leaders met the Assad's government.", lexicon)
    assert found == {"actors": {"Hamas": 2, "Hama": 1, "Assad government": 1}}


def test_context_phrases_and_the_any_word_mark():
    """A context phrase must match in order; '*' stands for any one word."""
    lexicon = {"t": (Term("ceasefire", not_before=("* violations", "monitoring body")),)}
    text = (
        "The ceasefire held. Ceasefire reported violations. Ceasefire monitoring body. "
        "Ceasefire monitoring began. Ceasefire violations."
    )
    assert counts(text, lexicon) == {"t": {"ceasefire": 3}}


def test_the_default_lexicon_names_each_row_once():
    """The default lexicon has no two terms of a family that fold to the same words."""
    assert DEFAULT_LEXICON
    for terms in DEFAULT_LEXICON.values():
        assert terms
        phrases = [t.phrase if isinstance(t, Term) else t for t in terms]
        keys = [tuple(lemma(w) for w in p.lower().replace("-", " ").split()) for p in phrases]
        assert len(set(keys)) == len(keys)


# --- Properties ----------------------------------------------------------------------------

NOUNS = ("rebel", "militant", "terrorist", "faction", "insurgent")
FILLER = ("the", "said", "on", "monday", "town", "near", "talks", "and", "of", "they")


def forms(noun: str) -> list[str]:
    return [noun, noun + "s", noun + "'s", noun + "s'", noun.capitalize() + "s", noun.upper()]


token = st.one_of(
    st.sampled_from(FILLER).map(lambda w: (None, w)),
    st.sampled_from(NOUNS).flatmap(lambda n: st.sampled_from(forms(n)).map(lambda f: (n, f))),
    st.sampled_from(("armed group", "armed groups", "Armed Groups", "armed group's")).map(
        lambda f: ("armed group", f)
    ),
)
separator = st.sampled_from((" ", ", ", ". ", " - ", "; ", "\n\n", ' "'))


@SETTINGS
@given(st.lists(st.tuples(token, separator), max_size=40))
def test_any_inflected_form_counts_once_under_its_lemma_row(items):
    """Every inflected use counts once under the row of its lemma; nothing else counts."""
    text = "".join(form + sep for (_, form), sep in items)
    lexicon = {"armed": (*NOUNS, "armed group")}
    expected: dict[str, int] = {}
    for (noun, _), _ in items:
        if noun is not None:
            expected[noun] = expected.get(noun, 0) + 1
    framing = frame_article("a", text, lexicon)
    assert framing.counts == {"armed": expected}
    spans = sorted((hit.start, hit.end) for hit in framing.hits)
    assert all(end <= start for (_, end), (start, _) in pairwise(spans))


@SETTINGS
@given(st.lists(st.tuples(token, separator), max_size=40), st.permutations(NOUNS))
def test_listing_both_forms_never_double_counts(items, order):
    """A lexicon listing singular and plural counts exactly what it counts with one form."""
    text = "".join(form + sep for (_, form), sep in items)
    single = frame_article("a", text, {"armed": order})
    both = frame_article("a", text, {"armed": tuple(f for n in order for f in (n, n + "s"))})
    assert both.counts == single.counts
    assert [(h.start, h.end) for h in both.hits] == [(h.start, h.end) for h in single.hits]
