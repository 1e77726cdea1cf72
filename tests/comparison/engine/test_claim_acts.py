"""Claim frames read as a reader would: acts of force, counted claims, refusals, negation.

Pure engine tests on small made-up sentences and articles, no database.
"""

import pytest

from articles.comparison.engine import Link, compare
from articles.comparison.engine.frames import acts_clash, match_frames, sentence_frame

# A sentence both made-up articles carry word for word, so that the pair is compared.
SHARED = "\n\nThe incident is the worst in years, the foreign ministry said in a statement."


def _paraphrases(a: str, b: str) -> list[Link]:
    links = compare({"a": a + SHARED, "b": b + SHARED}).links
    return [link for link in links if link.kind == "paraphrase"]


def test_ramming_and_firing_are_different_acts_of_one_cast():
    rammed = sentence_frame("A Chinese coast guard vessel rammed a Philippine supply boat.")
    fired = sentence_frame("Chinese coast guard ships fired on Philippine supply boats.")
    seized = sentence_frame("Chinese coast guard ships seized two Philippine boats.")
    attacked = sentence_frame("Chinese coast guard ships attacked Philippine boats.")
    assert acts_clash(rammed, fired)
    assert acts_clash(fired, seized)
    assert not acts_clash(rammed, attacked)  # "attacked" names any act
    assert not acts_clash(seized, sentence_frame("The Chinese navy captured the boats."))


def test_same_actors_and_ships_with_a_different_act_are_not_linked():
    links = _paraphrases(
        "A Chinese coast guard vessel rammed a Philippine navy supply boat near the disputed "
        "shoal on Monday, the Philippine military said.",
        "On Monday Chinese coast guard ships opened fire on Philippine navy supply boats close "
        "to the disputed shoal, according to the Philippine military.",
    )
    assert links == []


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Two soldiers were injured in the blast.", ("uniformed", "2")),
        ("Six of its seamen were wounded.", ("uniformed", "6")),
        ("At least six wounded.", ("", "6")),
        ("All 189 on board are feared dead.", ("", "189")),
        ("The police said 844 people were hurt.", ("people", "844")),
        ("Troops seized three boats.", ("vessel", "3")),
    ],
)
def test_a_figure_counts_the_noun_after_it(text, count):
    assert count in sentence_frame(text).counts


@pytest.mark.parametrize(
    "text",
    [
        "The Boeing 737 crashed.",  # a model number, no count
        "The plane vanished 13 minutes after take-off.",
        "The number hurt has risen to 844 after police fired.",  # what follows is no unit
    ],
)
def test_designations_and_durations_count_nothing(text):
    assert not sentence_frame(text).counts


def test_two_counts_of_the_wounded_are_one_counted_claim_alike_or_not():
    two = sentence_frame("Two Ukrainian servicemen were injured in the attack.")
    six = sentence_frame("The navy said six of its seamen were wounded.")
    assert match_frames(two, six).counted
    # Far apart (25 times), or votes against the wounded: different counts.
    assert not match_frames(six, sentence_frame("Officials said 150 sailors were hurt.")).counted
    assert not match_frames(six, sentence_frame("Six ballots were counted.")).counted


def test_people_aboard_must_be_the_same_figure():
    a = sentence_frame("All 189 passengers and crew aboard the jet were killed.")
    assert match_frames(a, sentence_frame("The plane carried 188 people on board.")).counted
    assert not match_frames(a, sentence_frame("In 2013 all 108 persons on board survived.")).counted


def test_differing_counts_of_one_claim_are_linked_in_other_words():
    links = _paraphrases(
        "Two soldiers were injured when the convoy was attacked near the border.",
        "Six servicemen were wounded, the army said on Monday.",
    )
    assert len(links) == 1
    assert ("number", "Two / Six") in links[0].shared


def test_refusing_to_attend_is_attending_refused():
    frame = sentence_frame("The rebels have refused to attend the talks.")
    assert ("participate", False) in frame.predicates
    assert ("participate", True) not in frame.predicates
    declined = sentence_frame("The government declined to accept the deal.")
    assert ("accept", False) in declined.predicates
    refused = sentence_frame("The government refused to accept the deal.")
    assert refused.predicates == {("accept", False)}  # the refusal is no claim of its own


def test_negation_denies_the_nearest_predicate_only():
    frame = sentence_frame(
        "Three sailors were wounded and taken to hospital, but they were not killed."
    )
    assert ("injure", True) in frame.predicates
    assert ("kill", False) in frame.predicates
    assert ("participate", False) in sentence_frame("The groups will not attend.").predicates
    later = sentence_frame("They were not in a critical condition, but two sailors were wounded.")
    assert later.predicates == {("injure", True)}


def test_a_country_outside_the_middle_east_is_one_actor():
    for text in (
        "Spain rejected the vote.",
        "Madrid rejected the vote.",
        "Spanish officials rejected the vote.",
    ):
        assert "Spain" in sentence_frame(text).actors, text
    assert "Indonesia" in sentence_frame("Jakarta ordered a search.").actors
    assert "Russia" in sentence_frame("Forces of the Russian Federation held them.").actors
