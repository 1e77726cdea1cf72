"""General rules that keep "differ" for one fact read two ways: a number differs only for the
same thing counted in the same role and at the same time of report, a name only where a name
replaced a name, and opposing predicates only for one subject.

Each case runs the stance pass on one link over two passages (`judged`), or `compare` on two
short articles for the replaced words of a near-verbatim span.
"""

import pytest

from articles.comparison.engine import compare

from .test_differences_kinds import judged, readings

# --- Numbers: what is counted, when, in which role ------------------------------------------


def test_a_tally_its_own_sentence_replaces_is_compared_only_with_earlier_tallies():
    """ "rising from more than 460 to over 760" reports 760 now: 844 differs from "over 760",
    never from the superseded 460; two reports of one change compare its start with its
    start ("from nine to 12 years" / "from nine and a half years ... to 12 years")."""
    _, found = judged(
        "Officials said the number of people wounded had nearly doubled, rising from more "
        "than 460 to over 760.",
        "Catalonia's health services said 844 people were injured.",
    )
    assert readings(found) == [("number", "over 760", "844 people")]
    _, found = judged(
        "The court also increased his sentence from nine to 12 years in prison.",
        "The panel voted to extend his original sentence from nine and a half years in prison "
        "to 12 years.",
    )
    assert readings(found) == [("number", "nine", "nine and a half years")]


def test_an_amount_of_change_is_not_a_level():
    """ "an increase of more than two years" is no rival to a sentence of 12 years."""
    _, found = judged(
        "The judge called for an increase of more than two years in jail time.",
        "The court also increased his jail time to 12 years.",
    )
    assert found == []


@pytest.mark.parametrize(
    ("a_text", "b_text", "differ"),
    [
        ("Over 760 people were hurt.", "More than 800 people were hurt.", True),
        ("At least 844 people were hurt.", "More than 800 people were hurt.", False),
        ("Over 760 people were hurt.", "844 people were hurt.", True),
        ("About 2.25 million people voted.", "2.26 million people voted.", False),
        ("Only 2.3 million people voted.", "2.26 million people voted.", False),
        ("As many as 800 tourists are waiting.", "700 tourists are waiting.", True),
        ("As many as 800 tourists are waiting.", "780 tourists are waiting.", False),
        ("As many as 800 tourists are waiting.", "850 tourists are waiting.", True),
    ],
)
def test_a_hedged_figure_stands_for_the_values_it_rounds(a_text, b_text, differ):
    """ "more than 800" is 800 up to the next hundred (844 is one), "over 760" is 760 up to
    770: two hedged floors with different tallies differ; a scaled figure ("2.3 million")
    is rounded."""
    _, found = judged(a_text, b_text)
    assert bool(found) == differ, readings(found)


def test_people_of_two_named_classes_are_two_things():
    """33 police are not 844 protesters; "844 people" against "33 police" are too far apart
    to be one count; "23 people on board" and "24 sailors" are one."""
    assert judged("844 people were hurt in the clashes.", "33 police were hurt.")[1] == []
    assert judged("300 protesters were hurt.", "33 police were hurt in the clashes.")[1] == []
    _, found = judged(
        "At least 844 people and 33 police were reported to have been hurt.",
        "Officials said over 760 people had been hurt.",
    )
    assert readings(found) == [("number", "At least 844 people", "over 760 people")]
    _, found = judged(
        "There were 23 people on board the ships.",
        "Russia is holding 24 Ukrainian sailors who were detained on board three navy ships.",
    )
    assert readings(found) == [("number", "23 people", "24 Ukrainian sailors")]


def test_the_readings_shown_are_the_two_closest_figures():
    """Of two counts with no match, the one nearest the other side's figure is shown."""
    _, found = judged(
        "Officials said 5 people were hurt on Sunday and 48 people were hurt on Monday.",
        "Officials said 50 people were hurt.",
    )
    assert readings(found) == [("number", "48 people", "50 people")]


def test_a_part_of_a_count_is_no_rival_count():
    """ "six wounded, two of them heavily" reads six; "two of the deaths were in Bali" is
    part of the toll."""
    _, found = judged(
        "We have information about six wounded, two of them heavily.",
        "Russia said that three Ukrainian sailors were wounded.",
    )
    assert readings(found) == [("number", "six wounded", "three Ukrainian sailors")]
    assert (
        judged(
            "The death toll will increase, he said, adding that two of the deaths were in Bali.",
            "He said the death toll had risen to 98.",
        )[1]
        == []
    )


def test_the_role_of_a_count_is_read_in_its_own_clause():
    """ "killing 91 people and injuring hundreds": 91 are the dead, not the injured."""
    assert (
        judged(
            "More than 200 people were seriously injured.",
            "A quake struck Lombok on Sunday, killing 91 people and injuring hundreds.",
        )[1]
        == []
    )


def test_what_is_counted_ends_before_a_participle():
    """ "20 ships carrying migrants" counts ships."""
    _, found = judged(
        "The coast guard seized 20 ships carrying migrants.", "The coast guard seized 30 ships."
    )
    assert readings(found) == [("number", "20 ships", "30 ships")]


def test_what_is_counted_ends_at_the_people_counted():
    """ "wounded more than 800 people trying to vote" counts people, not "trying"."""
    _, found = judged(
        "Riot police wounded more than 800 people trying to vote on Sunday.",
        "The number of people wounded had risen to over 760.",
    )
    assert readings(found) == [("number", "more than 800 people", "over 760")]


def test_a_count_named_by_what_befell_them_counts_people():
    """ "91 killed await rescue" counts the dead, not "rescue"."""
    _, found = judged(
        "91 killed await rescue after massive quake in Indonesia",
        "The quake struck Lombok, killing at least 98 people.",
    )
    assert readings(found) == [("number", "91 killed", "at least 98 people")]


def test_a_number_in_a_name_is_no_count():
    """ "The Boeing 737 passenger plane" counts no passengers."""
    assert (
        judged(
            "It was carrying 181 passengers and eight crew members.",
            "The Boeing 737 passenger plane lost contact 13 minutes after takeoff.",
        )[1]
        == []
    )


# --- Replaced words of a near span -----------------------------------------------------------

_QUAKE = (
    "The quake was measured at magnitude 7.0 by Indonesian authorities and struck early on "
    "Sunday evening at a fairly shallow depth of {depth} in the northern part of the island. "
    "Shallow quakes tend to cause more damage than deeper ones, officials said on Monday."
)
_MOSQUE = (
    "Rescuers pulled bodies from the rubble of a mosque that collapsed in {place} prayed "
    "inside, the disaster agency spokesman said in a statement on Monday."
)


def _near_differences(template: str, a: str, b: str) -> list[tuple[str, str, str]]:
    comparison = compare({"a": template.format(**a), "b": template.format(**b)})
    assert any(link.kind in ("near", "verbatim") for link in comparison.links)
    return readings(comparison.differences)


def test_a_figure_given_with_its_conversion_is_the_same_figure():
    """ "10.5 kilometers (6 miles)" against "six miles": one side gives more, no clash."""
    assert (
        _near_differences(_QUAKE, {"depth": "10.5 kilometers (6 miles)"}, {"depth": "six miles"})
        == []
    )


def test_a_name_differs_only_where_a_name_replaced_a_name():
    """ "northern Lombok while villagers" / "Lading-Lading village while people": a region
    and a village described, not two names for one place."""
    assert (
        _near_differences(
            _MOSQUE,
            {"place": "northern Lombok while villagers"},
            {"place": "Lading-Lading village while people"},
        )
        == []
    )


# --- Predicates --------------------------------------------------------------------------


def test_a_verb_that_carries_another_is_no_predicate_of_its_own():
    """ "going to announce" is no attending; "agreed to hold talks" is no accepting."""
    assert (
        judged(
            "The rebels are going to announce their decision on Monday.",
            "The rebels will not attend the talks.",
        )[0].stance
        == "agree"
    )
    assert (
        judged(
            "Russia and Turkey agreed to hold the talks in Astana.",
            "Russia and Turkey rejected the proposal made by the rebels.",
        )[0].stance
        == "agree"
    )
    # A predicate of its own all the same: "going to Astana", "agreed to the plan".
    assert (
        judged(
            "All the rebel groups are going to Astana.", "The rebel groups are not going to Astana."
        )[0].stance
        == "differ"
    )


def test_opposing_predicates_need_one_subject():
    """ "The death toll rose" and "share prices fell" are two facts; "the majority of the
    groups decided to attend" and "the majority of opposition groups refused" are one."""
    assert (
        judged("The death toll rose sharply on Monday.", "Share prices fell sharply on Monday.")[
            0
        ].stance
        == "agree"
    )
    assert judged(
        "The majority of the groups decided to attend.",
        "The majority of opposition groups have refused to attend.",
    )[0].differs_by == ("polarity",)
