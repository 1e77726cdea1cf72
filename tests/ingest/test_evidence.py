"""Position rules need corroborating evidence: a line is set aside by its place on the page
only with a second signal (function-word density, link-likeness, topic, repetition), so that
a story paragraph is never lost to a rule that guessed."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import Kind, density, evidence, extract
from articles.ingest import furniture as f
from articles.ingest.datelines import find_dateline, is_dateline_only
from articles.ingest.titles import RULE_SENTENCE, Line, choose_sentence_title

STORY = (
    "Turkish police detained dozens of suspects in two days in operations across the country.",
    "Istanbul police raided 17 addresses on Monday to detain suspects linked to the group.",
    "The nine suspects were taken to the police station and questioned by prosecutors.",
)


def body_texts(text: str) -> list[str]:
    return [b.text for b in extract(text).blocks if b.in_body]


# --- function-word density (data/function_words.json) -----------------------------------


def test_every_language_list_is_clean_and_short():
    """Each list is lower case, trimmed, without repeats, and short (function words only)."""
    raw = json.loads(density.DATA.read_text(encoding="utf-8"))
    assert raw["_about"]
    langs = {k for k in raw if not k.startswith("_")}
    assert {"en", "fr", "de", "es", "it", "pt", "ru", "uk", "tr", "ar", "fa", "he"} <= langs
    for lang in langs:
        words = raw[lang]
        assert 20 <= len(words) <= 80, lang
        assert len(set(words)) == len(words), lang
        for word in words:
            assert word == word.strip() == word.casefold(), (lang, word)


@pytest.mark.parametrize(
    ("lang", "sentence", "label"),
    [
        (
            "en",
            "The talks were held in the capital and the delegations met for a day.",
            "Most Viewed Stories Today",
        ),
        (
            "fr",
            "Les députés ont adopté le projet de loi à une large majorité.",
            "Derniers articles publiés",
        ),
        (
            "de",
            "Die Polizei hat in der Nacht mehrere Wohnungen in der Stadt durchsucht.",
            "Weitere Inhalte Navigation",
        ),
        (
            "es",
            "El incendio obligó a evacuar a los vecinos de la zona por la noche.",
            "Últimas noticias España",
        ),
        ("ru", "Полицейские задержали его на площади, когда он шёл в офис.", "Главное сегодня"),
        (
            "uk",
            "Про це він заявив під час виступу в парламенті, що був у столиці.",
            "Головне сьогодні",
        ),
        ("fa", "این زلزله در شهر کرمانشاه رخ داد و به خانه ها آسیب زد که", "اخبار ایران"),
        ("he", "הוא אמר כי הם היו על הגבול עם כל הכוחות של הצבא", "חדשות היום"),
    ],
)
def test_a_story_sentence_is_denser_than_a_label(lang, sentence, label):
    """The density of a short story sentence is above a widget label's, per language.
    (A three-word label with a preposition, "Loi sur le renseignement", is not sparse: density
    is one signal among others, never enough alone.)"""
    assert density.density(sentence, lang) > density.HEADLINE_DENSITY
    assert density.is_headline_sparse(label, lang)


def test_elision_counts_as_a_function_word():
    """ "l'Assemblée" holds the article "l'"."""
    assert density.density("l'Assemblée", "fr") == 1.0
    assert density.density("", "fr") == 0.0


# --- a lone headline-shaped line after the story -----------------------------------------


def test_last_paragraph_without_full_stop_is_kept():
    """The story's last line lost its full stop: dense in function words, it stays."""
    last = "The suspects in Adana were reportedly plotting the abduction of the deputies"
    text = "Police detain suspects\n\n" + "\n\n".join(STORY) + "\n\n" + last + "\n"
    assert last in body_texts(text)


def test_lone_related_headline_after_the_story_goes():
    """A sparse headline on a topic the story never touched is a related link."""
    related = "Families of fighters cleared from al-Hol camp in northeast Syria, says report"
    text = "Police detain suspects\n\n" + "\n\n".join(STORY) + "\n\n" + related + "\n"
    assert related not in body_texts(text)


def test_tail_line_is_link_needs_a_second_signal():
    seen = evidence.story_words(STORY)
    assert evidence.tail_line_is_link("- Mother illustrates her pregnancy", seen)  # a bullet
    assert evidence.tail_line_is_link("Most Viewed", seen)  # a label's length
    # sparse, but on the story's own topic: kept
    assert not evidence.tail_line_is_link("Istanbul police detain suspects in raids", seen)


# --- a name alone after the lead ---------------------------------------------------------


def test_name_after_lead_is_byline_only_when_the_story_does_not_take_it_up():
    """ "Duvar English" under a standfirst is a byline; "Police Raids" is a subheading the
    next paragraph is about."""
    lead, after = STORY[0], STORY[1]
    assert evidence.name_is_not_topic("Duvar English", (lead, after))
    assert not evidence.name_is_not_topic("Police Raids", (lead, "The police raids began at dawn."))


def test_subheading_after_the_lead_stays_in_the_body():
    text = (
        "Police detain suspects\n\n"
        + STORY[0]
        + "\n\nIstanbul Raids\n\n"
        + STORY[1]
        + "\n\n"
        + STORY[2]
        + "\n"
    )
    blocks = {b.text: b for b in extract(text).blocks}
    assert blocks["Istanbul Raids"].in_body
    assert blocks["Istanbul Raids"].kind is not Kind.DATELINE


# --- colon datelines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "President Tokayev: The talks will go on next week.",
        "Министр Лавров: Россия продолжит переговоры.",
        "Tokayev: “We will host the talks again.”",
        "Putin: we will see what happens next.",
    ],
)
def test_a_speaker_and_a_colon_is_no_dateline(text):
    assert find_dateline(text) is None


@pytest.mark.parametrize("text", ["Astana: The talks began on Monday.", "غزة: قال مسؤول إن"])
def test_a_place_and_a_colon_is_a_dateline(text):
    assert find_dateline(text) is not None


def test_a_place_and_a_colon_alone_on_a_line():
    assert is_dateline_only("Astana:") is not None


# --- other corroborated shapes -------------------------------------------------------------


def test_word_row_is_a_menu_not_a_lead():
    menu = " ".join(["أخبار", "الأردن", "اقتصاديات", "مغاربيات", "خليجيات", "دوليات"] * 3)
    assert evidence.is_word_row(menu)
    assert not evidence.is_word_row(STORY[0])
    assert not evidence.is_word_row("Menu items")  # too short to tell


def test_highlights_and_short_sentences_under_the_headline_are_kept():
    assert evidence.keeps_above_lead("- عمليات التبريد ما زالت مستمرة تجنّباً لتجدّد الحرائق")
    assert evidence.keeps_above_lead("İstanbul’da orman yangını çıktı.")
    assert not evidence.keeps_above_lead("Photo by Reuters")
    assert not evidence.keeps_above_lead("Updated")


def test_acronym_and_uncased_name_shapes():
    assert evidence.is_agency_acronym("İHA")
    assert evidence.is_agency_acronym("DPA")
    assert not evidence.is_agency_acronym("GÜNDEM")
    assert not evidence.is_agency_acronym("Ok")
    assert evidence.is_uncased_name("سعيد منار.")
    assert not evidence.is_uncased_name("في غزة")  # a function word
    assert not evidence.is_uncased_name("Ben Knight")  # a cased script


def test_a_late_heading_with_most_of_the_text_to_come_is_no_appended_story():
    assert evidence.is_tail(chars_after=500, story_chars=400)
    assert not evidence.is_tail(chars_after=3000, story_chars=600)


# --- a headline printed as a sentence -----------------------------------------------------


def test_sentence_headline_opening_the_page():
    lines = [
        Line("حوادث", ""),
        Line("زلزال قوي بايران.", ""),
        Line(
            "اهتزت منطقة الشرق الأوسط و ايران بالضبط على زلزال قوي بلغت شدته 7.3 على سلم ريشتر", ""
        ),
    ]
    assert choose_sentence_title(lines, 2) == (1, RULE_SENTENCE)


def test_a_sentence_title_keeps_its_line_in_the_body():
    """The headline printed as a sentence may be the story's first sentence: it gives the
    title its text, and the line stays story text (nothing is lost when it is)."""
    first = "Семибалльное землетрясение произошло на Камчатке."
    text = (
        first
        + "\nПодземные толчки зафиксировали в Тихом океане на глубине шести километров"
        + " от побережья.\n"
    )
    result = extract(text)
    assert result.title == first
    assert result.title_rule == RULE_SENTENCE
    assert first in body_texts(text)


def test_sentence_headline_needs_longer_text_under_it():
    lines = [Line("The talks began on Monday.", ""), Line("They ended on Tuesday.", "")]
    assert choose_sentence_title(lines, 0) is None


# --- properties ----------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "- ",
        "•",
        " ",
        ":",
        ".",
        "the ",
        "of ",
        "في ",
        "Name ",
        "ISIS ",
        "«",
        "“",
        "{",
        "a",
        "é",
        "\u0640",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=400).map("".join))
def test_evidence_predicates_never_crash_and_stay_bounded(text):
    """Any line, however long and odd, gets an answer; density is a share."""
    assert 0.0 <= density.density(text) <= 1.0
    evidence.is_word_row(text)
    evidence.keeps_above_lead(text)
    evidence.is_uncased_name(text)
    evidence.tail_line_is_link(text, {"isis"})
    evidence.name_is_not_topic(text, (text,))
    find_dateline(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60).map("".join))
def test_a_story_paragraph_after_any_tail_line_is_kept(tail):
    """Whatever line stands after the story, the story's paragraphs stay in the body."""
    text = "Police detain suspects\n\n" + "\n\n".join(STORY) + "\n\n" + tail + "\n"
    kept = body_texts(text)
    for paragraph in STORY:
        assert paragraph in kept


def test_density_reads_a_bounded_probe():
    """A huge line costs no more than its first PROBE characters."""
    line = "the " * 100_000
    assert density.density(line) == 1.0


# --- a live page's date-led headline -------------------------------------------------------

LIVE_STORY = (
    "Ukraine says it struck a building where Russian troops were housed in the east.\n"
    "Moscow confirmed the strike but gave a lower toll than the one officials reported.\n"
)


def test_date_led_headline_above_a_byline_is_the_title():
    """A CNN-style live page: "January 3, 2023 Russia-Ukraine news" above its byline."""
    text = "Live Updates\nJanuary 3, 2023 Russia-Ukraine news\nBy Jane Doe, CNN\n" + LIVE_STORY
    assert extract(text).title == "January 3, 2023 Russia-Ukraine news"


def test_date_led_headline_alone_is_the_title():
    text = "January 3, 2023 Russia-Ukraine news\n" + LIVE_STORY
    assert extract(text).title == "January 3, 2023 Russia-Ukraine news"


def test_date_led_line_loses_to_a_real_headline():
    """With a proper headline on the page, a dated line is still never the title."""
    text = (
        "January 3, 2023 Russia-Ukraine news\nUkraine strikes barracks in the east\n" + LIVE_STORY
    )
    assert extract(text).title == "Ukraine strikes barracks in the east"


@pytest.mark.parametrize(
    "line",
    [
        "This Article is From Jan 22, 2017",
        "January 24, 15:30 UTC+3",
        "FIRST AIRED: January 26, 2017",
    ],
)
def test_a_label_and_a_date_is_still_no_headline(line):
    assert extract(line + "\n" + LIVE_STORY).title != line


def test_a_stamp_with_a_tatweel_is_no_name():
    assert not evidence.is_uncased_name("مدار الساعة ـ")


def test_an_uncased_name_closing_the_page_is_its_signature():
    text = "زلزال قوي يضرب إيران\n" + "\n".join(
        [
            "اهتزت منطقة الشرق الأوسط على زلزال قوي بلغت شدته 7.3 على سلم ريشتر في الليل.",
            "وقال مسؤولون إن فرق الإنقاذ وصلت إلى المناطق المتضررة في غرب البلاد صباحا.",
            "سعيد منار.",
        ]
    )
    result = extract(text)
    assert result.authors == ["سعيد منار"]
    assert "سعيد منار." not in body_texts(text)


def test_an_uncased_short_line_before_more_text_stays():
    """Not the page's last line of text: no evidence it is a signature."""
    text = "\n".join(
        [
            "زلزال قوي يضرب إيران",
            "اهتزت منطقة الشرق الأوسط على زلزال قوي بلغت شدته 7.3 على سلم ريشتر في الليل.",
            "سعيد منار.",
            "وقال مسؤولون إن فرق الإنقاذ وصلت إلى المناطق المتضررة في غرب البلاد صباحا.",
        ]
    )
    assert "سعيد منار." in body_texts(text)


@pytest.mark.parametrize(
    "line",
    [
        ".alrai-epaper-widget{margin-top: 20px; max-width:250px}",
        "#box, .item > p { color: red; font-size: 12px; }",
    ],
)
def test_a_style_sheet_rule_is_furniture(line):
    assert f.is_style_rule(line)


def test_code_in_a_story_is_no_style_rule():
    assert not f.is_style_rule("rekt: { list: [ list: [ ] ] }")
    assert not f.is_style_rule("if (x) { return y; }")


def test_contributor_note_is_set_aside():
    note = "Associated Press writers Rahim Faiez and Mitch Weiss contributed to this report."
    assert f.is_contributor_note(note)
    assert not f.is_contributor_note("He contributed money to the campaign this year.")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from([".a", "{", "}", ":", ";", "a", " ", "-", "#", "b:c"]), max_size=600
    ).map("".join)
)
def test_style_rule_stays_linear_on_adversarial_lines(text):
    """Nested-looking input never makes the pattern backtrack for long; a line with no
    closing brace is never a rule."""
    if not text.rstrip().endswith("}"):
        assert not f.is_style_rule(text)
