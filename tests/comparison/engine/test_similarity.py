"""Lexical sentence similarity (articles.comparison.engine.similarity) as plain functions:
stems, concepts, polarity, sentence terms and the pair's TF-IDF cosine.

Pure engine tests, no database. Written from the mutation run of issue 17 (part 8): the
paraphrase and gold tests reach these functions only through whole comparisons, where a
changed suffix rule or weight rarely changes which links are made.
"""

from collections import Counter

import pytest

from articles.comparison.engine.document import prepare
from articles.comparison.engine.similarity import (
    CHAR_N,
    PairSpace,
    light_stem,
    overlap,
    polarity,
    sentence_features,
    sentence_terms,
    stem,
    word_info,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cease-fire", "ceasefire"),
        ("u.s.", "us"),
        ("rebel's", "rebel"),
        ("rebels'", "rebel"),
        ("parties", "party"),
        ("flies", "fly"),
        ("lies", "lie"),  # too short for -ies: only the -s goes
        ("sons", "son"),
        ("gas", "gas"),  # too short to lose its -s
        ("press", "press"),
        ("talks", "talk"),
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("refused", "refus"),
        ("refusing", "refus"),
        ("refuse", "refus"),
        ("attended", "attend"),
        ("wanted", "want"),
        ("playing", "play"),
        ("hired", "hired"),  # too short to lose -ed
        ("having", "having"),  # too short to lose -ing
        ("red", "red"),
        ("force", "forc"),
        ("take", "take"),  # too short to lose its -e
    ],
)
def test_light_stem(word, expected):
    assert light_stem(word) == expected


def test_word_info_reads_concepts_content_and_negation():
    """A word's light stem, its concept with character n-grams, content or stop word, and
    whether it negates or refuses."""
    assert word_info("rebels") == (
        "rebel",
        ("@armed", ("@armed", "#reb", "rebe", "ebel", "bel#")),
        True,
        False,
    )
    assert word_info("the") == ("the", None, False, False)
    assert word_info("refused")[1][0] == "@boycott"
    assert word_info("refused")[3] is True
    assert word_info("didn't")[3] is True
    assert word_info("kazakhstan") == (
        "kazakhstan",
        ("kazakhstan", ("#kaz", "kaza", "azak", "zakh", "akhs", "khst", "hsta", "stan", "tan#")),
        True,
        False,
    )
    assert CHAR_N == 4


def test_polarity():
    assert polarity("the rebels will attend the talks".split())
    assert not polarity("the rebels refused to attend".split())
    assert not polarity("the rebels won't attend".split())
    assert not polarity("they will never attend".split())


def test_sentence_terms_join_two_word_expressions_into_their_concept():
    """ "take part" counts as attending; stop words count nothing; each term once."""
    stems, chars = sentence_terms("rebels will take part in the talks".split())
    assert stems == Counter({"@armed": 1, "take": 1, "@attend": 1, "@talks": 1})
    assert chars["@attend"] == 1
    assert chars["part"] == 1  # the second word's own n-grams are kept too
    assert "will" not in stems
    assert "the" not in stems


def test_overlap_is_the_multiset_intersection():
    assert overlap(Counter("aab"), Counter("abbc")) == 2
    assert overlap(Counter("abbc"), Counter("aab")) == 2
    assert overlap(Counter("a"), Counter("b")) == 0


A = "The rebels refused to attend the talks in Astana. Russia and Turkey back the truce."
B = "Militant groups will boycott the negotiations in Astana. The weather was cold today."


def _space(a: str = A, b: str = B) -> PairSpace:
    first, second = prepare("a", a, (3, 5)), prepare("b", b, (3, 5))
    return PairSpace(sentence_features(first), sentence_features(second))


def test_the_same_claim_in_other_words_scores_between_nothing_and_all():
    """Refused/boycott, rebels/militant groups, talks/negotiations share concepts: the pair
    scores well; sentences that share nothing score 0 and are no candidates."""
    space = _space()
    assert space.candidates() == {(0, 0): 4}
    assert space.shared_stems(0, 0) == 4
    assert space.same_polarity(0, 0)
    assert not space.same_polarity(0, 1)
    assert space.score(0, 1) == 0.0
    assert space.score(1, 1) == 0.0
    # The tuned thresholds (Config.paraphrase_*) are read against this scale: pinned.
    assert space.score(0, 0) == pytest.approx(0.446393, abs=1e-6)
    assert space.rough(0, 0) == pytest.approx(space.score(0, 0), abs=1e-6)


def test_a_sentence_scores_one_against_itself_and_the_score_is_symmetric():
    space = _space(A, A)
    assert space.score(0, 0) == 1.0
    assert space.score(1, 1) == 1.0
    assert space.score(0, 1) == 0.0
    forward, backward = _space(A, B), _space(B, A)
    assert forward.score(0, 0) == backward.score(0, 0)


def test_features_count_sentences_per_term_and_read_dates():
    """Document frequencies are per sentence; a sentence giving a day gets the @date term."""
    doc = prepare("a", "The truce began on 29 December. The truce held. Talks began.", (3, 5))
    features = sentence_features(doc)
    assert features.term_df["@ceasefire"] == 2
    assert features.sentences_of["@ceasefire"] == [0, 1]
    assert features.terms[0]["@date"] == 1
    assert "@date" not in features.terms[1]
    assert features.polarity == [True, True, True]
    # The content words themselves (folded, unstemmed) bound what a near link can align.
    assert features.content[1] == Counter({"truce": 1, "held": 1})
    assert sentence_features(doc) is features  # cached on the document
