"""Paraphrase links that hold beyond one story: the story's own actors and act anchor no
claim, a count is linked only for the same act on the same kind of thing, and a general
table of news acts (courts, contests, crowds, rescues) reads verbs of any story.

Pure engine tests on small made-up sentences and articles, no database.
"""

from collections import Counter

from articles.comparison.engine import Link, compare
from articles.comparison.engine.frames import (
    background_keys,
    counts_clash,
    match_frames,
    sentence_frame,
    strong_families,
)

# A sentence both made-up articles carry word for word, so that the pair is compared.
SHARED = "\n\nThe dispute has dragged on for months, the foreign ministry said in a statement."


def _paraphrases(a: str, b: str) -> list[Link]:
    links = compare({"a": a + SHARED, "b": b + SHARED}).links
    return [link for link in links if link.kind == "paraphrase"]


def test_keys_that_run_through_both_articles_are_background():
    """A key held by a third of the sentences of both articles is background; a key one
    article rarely holds, or a number, is not."""
    a = Counter({"actor:Spain": 4, "predicate:vote": 5, "actor:rajoy": 1, "number:844": 4})
    b = Counter({"actor:Spain": 3, "predicate:vote": 1, "actor:rajoy": 3, "number:844": 3})
    found = background_keys(((a, 10), (b, 9)), 0.3)
    assert found == {"actor:Spain"}


def test_the_storys_actors_anchor_nothing_without_a_specific_act():
    """Two sentences sharing only the story's actors and act are no claim; the same actors
    with a specific act shared are."""
    background = frozenset({"actor:Spain", "actor:catal", "predicate:vote"})
    a = sentence_frame("The Catalan leaders said Spain had tried to stop the vote.")
    b = sentence_frame("Spanish officials called the Catalan vote a farce.")
    assert match_frames(a, b).anchors == 2
    quiet = match_frames(a, b, background=background)
    assert quiet.anchors == 0
    assert not strong_families(quiet)
    c = sentence_frame("Spain detained the Catalan officials before the vote.")
    d = sentence_frame("The Catalan officials were arrested by Spain.")
    assert match_frames(c, d, background=background).anchors == 2


def test_the_storys_act_denied_on_both_sides_is_a_claim():
    """ "There was no referendum" twice is a claim, though the vote runs through the story."""
    background = frozenset({"predicate:vote"})
    a = sentence_frame("Rajoy said there had been no referendum at all.")
    b = sentence_frame("Rajoy declared there was no vote in Catalonia.")
    assert "vote" in strong_families(match_frames(a, b, background=background))
    c = sentence_frame("Rajoy said the referendum was a farce.")
    d = sentence_frame("Rajoy called the vote a farce.")
    assert "vote" not in strong_families(match_frames(c, d, background=background))


def test_a_count_is_read_with_the_act_it_counts():
    """Each figure counts those who do or undergo the acts near it."""
    frame = sentence_frame(
        "The navy said six of its seamen were wounded when coast guards opened fire on three ships."
    )
    assert ("uniformed", "6", "injure") in frame.count_acts
    assert ("vessel", "3", "fire") in frame.count_acts


def test_counts_of_different_acts_make_no_counted_claim():
    """Six seamen wounded and 24 sailors detained are two claims; two and six wounded are
    one claim told two ways."""
    wounded = sentence_frame("Six seamen were wounded and the ships were later seized.")
    detained = sentence_frame("The coast guard detained 24 sailors and seized the ships.")
    assert not match_frames(wounded, detained).counted
    two = sentence_frame("Officials said two sailors were injured.")
    assert match_frames(two, wounded).counted


def test_the_counted_noun_is_no_act():
    """ "15,000 votes were still being counted": the votes are what is counted."""
    frame = sentence_frame("He said 15,000 votes were still being counted.")
    assert {act for _, _, act in frame.count_acts} == {"count"}
    assert not sentence_frame("The region has 5.3 million registered voters.").count_acts


def test_a_figure_before_an_auxiliary_and_an_act_is_a_count():
    """ "more than 200 were injured" counts the injured."""
    frame = sentence_frame("At least 91 people died and more than 200 were injured.")
    assert ("", "200") in frame.counts


def test_the_same_act_on_different_things_clashes():
    """Ships seized and sailors detained are the same act on different patients; people and
    sailors on board may be the same ones."""
    ships = sentence_frame("Russia seized three Ukrainian navy ships.")
    sailors = sentence_frame("Russia detained 24 Ukrainian sailors.")
    assert counts_clash(ships, sailors)
    assert match_frames(ships, sailors).clash
    aboard = sentence_frame("There were 23 people on board the ships.")
    held = sentence_frame("Russia is holding 24 sailors who were detained on board the ships.")
    assert not counts_clash(aboard, held)


def test_court_and_contest_verbs_are_acts():
    """Convicted / found guilty, upheld / ratified, increased / extended, acquitted against
    convicted, won / defeated: acts of a general news table."""
    convicted = sentence_frame("The court convicted the former president of bribery.")
    guilty = sentence_frame("The former president was found guilty of graft.")
    assert {"convict", "corrupt"} <= strong_families(match_frames(convicted, guilty))
    upheld = sentence_frame("The panel upheld the verdict.")
    ratified = sentence_frame("The judges voted to ratify the verdict.")
    assert "accept" in match_frames(upheld, ratified).families
    increased = sentence_frame("The court increased his sentence to 12 years.")
    extended = sentence_frame("The judges extended the sentence to 12 years.")
    assert {"extend", "sentence"} <= match_frames(increased, extended).families
    acquitted = sentence_frame("The court acquitted the former president.")
    assert not match_frames(convicted, acquitted).same_polarity
    won = sentence_frame("The opposition candidate won the election.")
    defeated = sentence_frame("The ruling party was defeated in the election.")
    assert not match_frames(won, defeated).same_polarity


def test_carried_out_is_no_count_of_people_aboard():
    """ "carried out attacks" says nothing about who was carried."""
    frame = sentence_frame("Coast guard vessels carried out aggressive actions.")
    assert "carry" not in frame.families


def test_sentences_sharing_only_the_storys_actors_and_act_are_not_linked():
    """In a story where every sentence names Spain, Catalonia and the vote, sending police to
    stop the vote and calling it unlawful are not one claim; the same act told two ways is."""
    a = (
        "Spain said the Catalan vote was illegal. The Catalan officials defended the vote. "
        "Spain sent police to stop the Catalan vote. The Catalan vote went ahead in Barcelona."
    )
    b = (
        "Spain called the Catalan referendum unlawful. The Catalan leaders backed the "
        "referendum. Police from Spain tried to halt the Catalan ballot. The Catalan ballot "
        "was held in Girona."
    )
    pairs = {
        (a[link.a_start : link.a_end], b[link.b_start : link.b_end]) for link in _paraphrases(a, b)
    }
    police = "Spain sent police to stop the Catalan vote."
    assert (police, "Spain called the Catalan referendum unlawful.") not in pairs
    assert (police, "Police from Spain tried to halt the Catalan ballot.") in pairs
