"""Where linked passages differ: each kind of difference found, each false alarm left out.

The stance pass (`stance.judge_pair`) is run on one link covering two short passages, as
`link_pair` runs it on the links it finds; a few cases go through `compare` end to end.
"""

from datetime import date

import pytest

from articles.comparison.engine import compare
from articles.comparison.engine.differences import from_sentences, same_name
from articles.comparison.engine.document import prepare
from articles.comparison.engine.results import DEFAULT_CONFIG, Link
from articles.comparison.engine.stance import dateline, judge_pair, reference_day


def judged(a_text: str, b_text: str, *, a_day: date | None = None, b_day: date | None = None):
    """The judged link between two whole passages, and its differences."""
    a, b = prepare("a", a_text, (3, 5)), prepare("b", b_text, (3, 5))
    a.published, b.published = a_day, b_day
    link = Link("paraphrase", "a", 0, len(a_text), "b", 0, len(b_text), 0.5)
    found = from_sentences(
        a, (0, len(a_text)), b, (0, len(b_text)), "paraphrase", DEFAULT_CONFIG.max_date_gap_days
    )
    (judged_link,), differences = judge_pair(a, b, [link], found, DEFAULT_CONFIG)
    return judged_link, differences


def readings(differences) -> list[tuple[str, str, str]]:
    return [(d.kind, d.a_text, d.b_text) for d in differences]


# --- Numbers ------------------------------------------------------------------------------


def test_a_different_count_of_the_same_thing_is_a_number_difference():
    """Ten factions against twenty factions."""
    _, found = judged(
        "The statement said 10 factions were suspending talks.",
        "The statement said 20 factions were suspending talks.",
    )
    assert readings(found) == [("number", "10 factions", "20 factions")]


def test_counts_of_people_by_any_name_with_the_same_role_are_compared():
    """Six wounded seamen against three injured sailors; on board is not wounded."""
    _, found = judged(
        "The navy said six of its seamen were wounded.",
        "Russia said three Ukrainian sailors were lightly injured.",
    )
    assert [d.kind for d in found] == ["number"]
    _, found = judged(
        "The plane had 188 persons on board.", "Three passengers were injured in the crash."
    )
    assert found == []


def test_parts_that_add_up_to_the_whole_are_no_difference():
    """181 passengers and eight crew are the 189 people on board; "all 189 died" counts
    those on board."""
    parts = "It was carrying 181 passengers including one child and eight crew members."
    assert judged(parts, "The plane had 189 passengers and crew on board.")[1] == []
    _, found = judged(
        "Lion Air crash: rescuers believe all 189 died.", "The flight had 188 persons on board."
    )
    assert [d.kind for d in found] == ["number"]


@pytest.mark.parametrize(
    ("a_text", "b_text"),
    [
        ("Eight major groups signed the deal.", "8 major groups signed the deal."),
        ("At least 844 people were hurt.", "More than 800 people were hurt, officials said."),
        ("Two Ukrainian navy boats were seized.", "Three Ukrainian sailors were seized."),
    ],
    ids=["spelled-out", "hedged-but-consistent", "different-things"],
)
def test_equal_or_unlike_counts_are_no_difference(a_text, b_text):
    """Eight = 8; "more than 800" can be 844; boats are not sailors."""
    assert judged(a_text, b_text)[1] == []


# --- Dates --------------------------------------------------------------------------------


def test_the_date_of_one_event_read_differently_is_a_date_difference():
    """Came into effect on 29 December 2016 against came into force on December 30, 2016."""
    link, found = judged(
        "The truce came into effect on 29 December 2016 and followed the evacuation of Aleppo.",
        "The deal came into force at midnight on December 30, 2016, and appears to be holding.",
    )
    assert readings(found) == [("date", "29 December 2016", "December 30, 2016")]
    assert (link.stance, link.differs_by) == ("differ", ("date",))


def test_dates_of_different_events_are_not_compared():
    """A vote on 31 December is another event than a ceasefire that started on 30 December."""
    _, found = judged(
        "The Security Council voted on 31 December to back the plan.",
        "The ceasefire started on 30 December across the country.",
    )
    assert found == []


def test_a_dateline_date_is_not_a_story_date():
    """ "ASTANA, January 24 (Reuters) -" dates the report, not the opening of the talks."""
    a_text = "ASTANA, January 24 (Reuters) - The talks opened in Astana, the ministry said."
    b_text = "The talks opened in Astana on January 23, the ministry said."
    assert dateline(prepare("a", a_text, (3, 5)))[0] == [(0, 31)]
    assert judged(a_text, b_text)[1] == []
    # The same date in the story is compared.
    story = "The talks opened in Astana on January 24, the ministry said."
    assert [d.kind for d in judged(story, b_text)[1]] == ["date"]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Talks open in Astana\n\nJanuary 24, 2017\n\nThe talks opened.", "January 24, 2017"),
        (
            "Talks open\n\nBy Jane Doe | 24 January 2017\n\nThe talks opened.",
            "By Jane Doe | 24 January 2017",
        ),
        ("ASTANA, January 24 /TASS/. The talks opened.", "ASTANA, January 24 /TASS/. "),
    ],
)
def test_byline_and_dateline_lines_are_found(body, line):
    """A date line, a byline and a TASS dateline near the top are what dateline() marks."""
    spans, _ = dateline(prepare("a", body, (3, 5)))
    assert [body[s:e] for s, e in spans] == [line]


def test_the_choice_of_differing_dates_does_not_depend_on_the_side():
    """Two dates of one event on one side, one of them the other side's: no difference,
    whichever passage comes first."""
    two = "The truce took effect on 29 December; the deal came into force on 30 December."
    one = "The truce came into force on 30 December, officials said."
    assert judged(two, one)[1] == []
    assert judged(one, two)[1] == []


# --- Relative dates -----------------------------------------------------------------------


def test_a_weekday_read_against_the_publication_date_clashes_with_a_written_date():
    """ "Launched on Tuesday" in an article of Wednesday 25 January 2017 is 24 January."""
    a_text = "The Astana talks were launched on Tuesday, officials said."
    b_text = "The Astana talks began on Monday 23 January 2017, officials said."
    link, found = judged(a_text, b_text, a_day=date(2017, 1, 25))
    assert readings(found) == [("relative-date", "Tuesday", "23 January 2017")]
    assert link.differs_by == ("relative-date",)
    same = "The Astana talks were launched on Monday, officials said."
    assert judged(same, b_text, a_day=date(2017, 1, 25))[1] == []


def test_a_weekday_clashes_with_a_dated_day_of_another_weekday_even_without_a_date():
    """23 January 2017 was a Monday: "on Tuesday" cannot be it."""
    _, found = judged(
        "The Astana talks were launched on Tuesday.", "The Astana talks began on 23 January 2017."
    )
    assert [d.kind for d in found] == ["relative-date"]


def test_relative_dates_fall_back_to_the_dateline_date():
    """ "Yesterday" in a report datelined 25 January 2017 is 24 January; without the
    dateline, it reads against nothing and is no difference."""
    b_text = "The Astana talks began on 23 January 2017."
    datelined = "ASTANA, January 25, 2017 /TASS/. The Astana talks began yesterday."
    assert reference_day(prepare("a", datelined, (3, 5))) == date(2017, 1, 25)
    assert [d.kind for d in judged(datelined, b_text)[1]] == ["relative-date"]
    assert judged("The Astana talks began yesterday.", b_text)[1] == []


def test_compare_takes_publication_dates():
    """compare(published=...) reads relative dates against the given day."""
    a = "The Astana talks were launched on Tuesday in the Kazakh capital, officials said."
    b = "The Astana talks were launched on 23 January 2017 in the Kazakh capital, officials said."
    found = compare({"a": a, "b": b}, published={"a": date(2017, 1, 25)}).differences
    assert [d.kind for d in found] == ["relative-date"]


# --- Names and places ---------------------------------------------------------------------

QUOTE = "“The majority of the groups decided to attend the talks,” he told reporters on Monday."


def _near(a_name: str, b_name: str):
    a = f"Zakaria Malahifji of the {a_name} said the talks would focus on the ceasefire. {QUOTE}"
    b = f"Zakaria Malahifji of the {b_name} said the talks would focus on the ceasefire. {QUOTE}"
    return compare({"a": a, "b": b})


def test_a_description_against_a_name_is_no_difference():
    """ "Fastaqim rebel group" against "Fastaqim Kama Umirt Union"."""
    comparison = _near("Fastaqim rebel group", "Fastaqim Kama Umirt Union")
    assert comparison.links
    assert comparison.differences == ()


@pytest.mark.parametrize(
    ("a_name", "b_name"),
    [("Free Syrian Army", "FSA"), ("U.N. Union", "UN Union"), ("Kiev Union", "Kyiv Union")],
)
def test_variants_of_a_name_in_aligned_passages_are_no_difference(a_name, b_name):
    """An abbreviation, dotted initials or another transliteration in the same sentence."""
    comparison = _near(a_name, b_name)
    assert comparison.links
    assert comparison.differences == ()


def test_two_different_names_for_one_role_are_a_name_difference():
    """The same sentence naming another group."""
    comparison = _near("Fastaqim Union", "Sultan Murad Division")
    assert readings(comparison.differences) == [("name", "Fastaqim Union", "Sultan Murad Division")]


def test_two_different_places_are_a_place_difference():
    """Talks in Geneva against talks in Vienna, in one sentence otherwise the same."""
    a = "The next round of political negotiations will take place in Geneva on February 8, he said."
    b = "The next round of political negotiations will take place in Vienna on February 8, he said."
    found = compare({"a": a, "b": b}).differences
    assert readings(found) == [("place", "Geneva", "Vienna")]


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("UN", "U.N."),
        ("Kiev", "Kyiv"),
        ("FSA", "Free Syrian Army"),
        ("Mohammad Alloush", "Mohammed Allush"),
        ("Jaish al-Islam", "Jaish al-Islam group"),
        ("Ankara", "Turkey"),
    ],
)
def test_spelling_abbreviation_and_transliteration_variants_are_one_name(x, y):
    """Variants of one name are never a difference."""
    assert same_name(x, y)
    assert same_name(y, x)


def test_unrelated_names_are_not_variants():
    """Geneva is not Vienna; Alloush is not Malahifji."""
    assert not same_name("Geneva", "Vienna")
    assert not same_name("Mohammad Alloush", "Zakaria Malahifji")
