"""The story clustering engine as plain functions: terms, vectors, similarity, placement."""

import time
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.stories import engine
from articles.stories.engine import Candidate, Profile, Vocabulary

QUAKE = (
    "A magnitude 6.4 earthquake struck Lombok on Sunday, killing 14 people. The quake damaged "
    "houses in East Lombok, said Sutopo Purwo Nugroho of the disaster agency."
)
QUAKE_2 = (
    "Rescuers searched for survivors on Lombok after the earthquake killed 14 people, Sutopo "
    "Purwo Nugroho said. Hundreds of houses in East Lombok were damaged."
)
CRASH = (
    "A Lion Air jet with 189 people on board crashed into the Java Sea after leaving Jakarta. "
    "Divers found wreckage off Karawang, officials in Jakarta said on Monday."
)


def _vectors(*texts: str) -> list[engine.Vectors]:
    counts = [engine.term_counts("", t) for t in texts]
    vocabulary = engine.vocabulary_of(
        Profile(key=str(i), day=None, counts=c) for i, c in enumerate(counts)
    )
    return [engine.vectors(c, vocabulary) for c in counts]


def test_terms_keep_names_numbers_and_content_words_not_stopwords():
    counts = engine.term_counts("Quake hits Lombok", QUAKE)
    # "Lombok" twice inside the body's sentences, once inside the title (which counts twice).
    assert counts["@lombok"] == 2 + engine.TITLE_WEIGHT
    assert counts["lombok"] == 2 + engine.TITLE_WEIGHT
    assert counts["#14"] == 1
    assert "the" not in counts
    assert "of" not in counts
    assert "@the" not in counts
    assert counts["@sutopo"] == 1
    # A sentence's first word is no name ("Divers found wreckage ...").
    crash = engine.term_counts("", CRASH)
    assert "@divers" not in crash
    assert crash["divers"] == 1
    assert crash["@jakarta"] == 2


def test_numbers_with_thousands_separators_are_one_term():
    for text in ("5,300 dead", "5.300 Tote", "5\u00a0300 morts", "5300 dead"):
        assert "#5300" in engine.term_counts("", "Officials said " + text)
    assert "#2023" in engine.term_counts("", "In 2023, 300 people")
    assert "#300" in engine.term_counts("", "In 2023, 300 people")


def test_folding_drops_accents_case_and_possessives():
    assert engine.fold_term("Ávila’s") == "avila"
    # The first word opens the text, so only the second is taken for a name.
    assert engine.term_counts("", "Zürich and ZURICH") == {"zurich": 2, "@zurich": 1}


def test_other_languages_function_words_are_not_terms():
    counts = engine.term_counts("", "Les pompiers sont dans la ville pour une intervention.")
    assert "les" not in counts
    assert "dans" not in counts
    assert "une" not in counts
    assert counts["pompiers"] == 1


def test_vector_is_unit_length_and_keeps_the_heaviest_terms():
    counts = {f"w{i}": i + 1 for i in range(100)}
    vocabulary = Vocabulary(articles=10, df={})
    vec = engine.vector(counts, vocabulary, size=5)
    assert set(vec) == {"w99", "w98", "w97", "w96", "w95"}
    assert abs(sum(w * w for w in vec.values()) - 1) < 1e-9


def test_names_and_numbers_carry_a_report_across_languages():
    english = (
        "Rescuers in Derna counted 5,300 dead after the Wadi Derna dams burst, "
        "Hichem Chkiouat said."
    )
    french = (
        "A Derna, les secours comptent 5300 morts apres la rupture des barrages, "
        "selon Hichem Chkiouat."
    )
    other = "In Valencia the Poyo ravine overflowed and 95 people died, Carlos Mazon said."
    en, fr, es = _vectors(english, french, other)
    across = engine.similarity(en, fr)
    assert across > engine.JOIN
    assert across > 2 * engine.similarity(en, es)
    assert "@derna" in en.entities
    assert "#5300" in en.entities
    assert "#5300" in fr.entities
    assert all(engine.is_entity(term) for term in en.entities)


def test_rare_terms_weigh_more():
    vocabulary = Vocabulary(articles=100, df={"common": 90, "rare": 1})
    vec = engine.vector({"common": 1, "rare": 1}, vocabulary)
    assert vec["rare"] > vec["common"]


def test_same_event_is_closer_than_another_event():
    quake, quake_2, crash = _vectors(QUAKE, QUAKE_2, CRASH)
    assert engine.similarity(quake, quake_2) > 2 * engine.similarity(quake, crash)
    assert engine.similarity(quake, quake) > 0.99


def test_days_apart_damp_and_linked_passages_add():
    quake, quake_2 = _vectors(QUAKE, QUAKE_2)
    near = engine.similarity(quake, quake_2, days=1)
    assert engine.similarity(quake, quake_2, days=engine.SAME_DAYS) == near
    far = engine.similarity(quake, quake_2, days=engine.SAME_DAYS + int(engine.HALF_LIFE))
    assert abs(far - near / 2) < 1e-9
    linked = engine.similarity(quake, quake_2, linked_chars=engine.PASSAGE_CHARS * 3)
    assert abs(linked - (near + engine.PASSAGE_BONUS)) < 1e-9


def test_assign_joins_the_story_of_its_neighbour_with_evidence():
    quake, quake_2, crash = _vectors(QUAKE, QUAKE_2, CRASH)
    candidates = [
        Candidate(key="q", vectors=quake, day=date(2018, 7, 29), stories=frozenset({"1"})),
        Candidate(key="c", vectors=crash, day=date(2018, 10, 29), stories=frozenset({"2"})),
    ]
    placement = engine.assign("new", quake_2, date(2018, 7, 30), candidates)
    assert set(placement.stories) == {"1"}
    evidence = placement.stories["1"]
    assert evidence.closest[0].key == "q"
    assert "lombok" in evidence.closest[0].terms
    assert evidence.closest[0].days == 1
    assert not placement.new_story


def test_assign_founds_a_story_with_unplaced_neighbours_and_nothing_alone():
    quake, quake_2, crash = _vectors(QUAKE, QUAKE_2, CRASH)
    founding = engine.assign("new", quake_2, None, [Candidate(key="q", vectors=quake, day=None)])
    assert [n.key for n in founding.founding] == ["q"]
    alone = engine.assign("new", crash, None, [Candidate(key="q", vectors=quake, day=None)])
    assert not alone.new_story
    assert not alone.stories


def test_assign_never_places_an_article_with_itself():
    (quake,) = _vectors(QUAKE)
    placement = engine.assign("q", quake, None, [Candidate(key="q", vectors=quake, day=None)])
    assert not placement.new_story
    assert not placement.stories


def test_cluster_groups_events_and_pairwise_counts():
    profiles = [
        Profile(key="a", day=date(2018, 7, 29), counts=engine.term_counts("", QUAKE)),
        Profile(key="b", day=date(2018, 7, 30), counts=engine.term_counts("", QUAKE_2)),
        Profile(key="c", day=date(2018, 10, 29), counts=engine.term_counts("", CRASH)),
    ]
    stories = engine.cluster(profiles)
    assert stories == [{"a", "b"}]
    gold = {"a": "quake", "b": "quake", "c": "crash"}
    assert engine.pairwise(stories, gold) == (1, 1, 1)
    assert engine.pairwise([{"a", "b", "c"}], gold) == (1, 3, 1)


def test_best_title_names_what_the_articles_share():
    centre = {"lombok": 0.5, "@lombok": 0.3, "quake": 0.4}
    titles = ["Sam Jones and agencies", "Quake hits Lombok", "Morning briefing"]
    assert engine.best_title(titles, centre) == "Quake hits Lombok"
    assert engine.best_title([], centre) is None


@given(st.text(max_size=400), st.text(max_size=80))
@settings(max_examples=150, deadline=None)
def test_terms_are_bounded_and_deterministic(body, title):
    first = engine.term_counts(title, body)
    assert first == engine.term_counts(title, body)
    assert all(len(term) <= 70 for term in first)
    assert sum(first.values()) <= len(body) + engine.TITLE_WEIGHT * len(title)


@given(
    st.lists(
        st.dictionaries(st.sampled_from("abcdefghij"), st.integers(1, 5), min_size=1),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=100, deadline=None)
def test_cluster_is_deterministic_and_places_each_article_in_known_stories(counts):
    profiles = [Profile(key=f"k{i}", day=None, counts=c) for i, c in enumerate(counts)]
    stories = engine.cluster(profiles)
    assert stories == engine.cluster(profiles)
    keys = {p.key for p in profiles}
    assert all(story <= keys and len(story) >= 2 for story in stories)


def _term_time(text: str) -> float:
    started = time.perf_counter()
    engine.term_counts(text, text)
    return time.perf_counter() - started


def test_term_extraction_is_linear_on_adversarial_text():
    """Long runs of apostrophes, hyphens, digits with separators, capitals and marks: ten
    times the text costs about ten times as much (not a hundred)."""
    pieces = ["a'" * 50, "1,0" * 50, "A-" * 50, "É" * 50, ". X" * 50, "\u0301" * 50]
    unit = " ".join(pieces)
    small = min(_term_time(unit * 20) for _ in range(3))
    large = min(_term_time(unit * 200) for _ in range(3))
    assert large < small * 25


def _plain(words: dict[str, float]) -> engine.Vectors:
    return engine.Vectors(words=words, entities={})


def test_an_unplaced_article_closer_than_any_story_founds_a_new_story():
    # The story would take the article (score 0.6), but an unplaced article is its twin: the
    # two make a story of their own rather than the article joining the weaker match.
    own = _plain({"flood": 0.6, "bologna": 0.8})
    member = Candidate(key="m", vectors=_plain({"flood": 1.0}), day=None, stories=frozenset("1"))
    twin = Candidate(key="t", vectors=_plain({"flood": 0.6, "bologna": 0.8}), day=None)
    placement = engine.assign("new", own, None, [member, twin])
    assert [n.key for n in placement.founding] == ["t"]
    assert not placement.stories
    # The story still wins over a weaker unplaced neighbour.
    weak = Candidate(key="w", vectors=_plain({"bologna": 0.3, "rain": 0.95}), day=None)
    joined = engine.assign("new", own, None, [member, weak])
    assert set(joined.stories) == {"1"}


def test_names_match_across_scripts_and_spellings():
    assert engine.name_key(engine.fold_term("Магдебург")) == engine.name_key("magdeburg")
    assert engine.name_key(engine.fold_term("Путиным")) == "putin"  # case ending cut
    assert engine.name_key(engine.fold_term("Казахстане")) == engine.name_key("kazakhstan")
    # Short names keep their letters (a skeleton of three consonants would join too many).
    assert engine.name_key("rhodes") == "rhodes"
    assert engine.name_key("mannheim") != engine.name_key("mannheimer")
    russian = engine.term_counts("", "Самолет упал близ Актау, сообщили в Магдебурге и Казахстане.")
    english = engine.term_counts("", "The plane fell near Aktau, officials in Magdeburg said.")
    assert {t for t in russian if t.startswith("@")} & {
        t for t in english if t.startswith("@")
    } == {
        "@aktau",
        "@" + engine.name_key("magdeburg"),
    }


def test_digits_and_arabic_letter_forms_are_folded():
    persian = engine.term_counts("", "زلزله ۷.۳ ریشتر در ایران")
    arabic = engine.term_counts("", "زلزال 7.3 على سلم ريشتر في ايران")
    assert "#73" in persian
    assert {"#73", engine.fold_term("ریشتر"), engine.fold_term("ایران")} <= persian.keys() & (
        arabic.keys()
    )


def test_a_headlines_capitals_are_names_only_when_the_body_has_them():
    counts = engine.term_counts(
        "Thousands of Tourists Evacuate Greek Island Rhodes", "Fire reached hotels on Rhodes."
    )
    assert "@rhodes" in counts
    assert "@tourists" not in counts
    assert "@evacuate" not in counts
    assert counts["tourists"] == engine.TITLE_WEIGHT  # still a word


def test_nouns_after_an_article_are_not_names_where_nouns_are_capitalised():
    german = (
        "Nach dem Angriff in Solingen sucht die Polizei den Täter. Die Polizei sperrte die "
        "Innenstadt, der Täter floh mit einem Messer, sagte Sprecher Thomas Decker in Solingen."
    )
    names = {t for t in engine.term_counts("", german) if t.startswith("@")}
    assert "@" + engine.name_key("solingen") in names
    assert "@" + engine.name_key("polizei") not in names
    assert "@" + engine.name_key("tater") not in names
    # English capitalises few words: a name after "the" stays a name.
    english = engine.term_counts("", "Officials at the Kremlin said the fire in Moscow was out.")
    assert "@kremlin" in english
