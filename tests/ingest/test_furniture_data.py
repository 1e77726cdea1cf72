"""The per-language phrase data (articles/ingest/data/furniture.json): every entry is read and
matched by the pattern of its family, so an edit that breaks one shows here."""

import json

import pytest

from articles.ingest import phrases

TABLE = json.loads(phrases.DATA.read_text(encoding="utf-8"))
LIST_FAMILIES = [name for name, value in TABLE.items() if not name.startswith("_")]
LANGUAGES = {"en", "ru", "uk", "tr", "ar", "fr", "de", "es"}


def entries(family: str) -> list[tuple[str, str]]:
    return [
        (lang, phrase)
        for lang, items in TABLE[family].items()
        if not lang.startswith("_") and isinstance(items, list)
        for phrase in items
    ]


def test_every_family_says_what_it_is_and_lists_languages():
    for family in LIST_FAMILIES:
        block = TABLE[family]
        assert block.get("_about"), family
        langs = {k for k in block if not k.startswith("_")}
        assert langs, family
        assert langs <= LANGUAGES | {"it", "pt"}, (family, langs - LANGUAGES)


@pytest.mark.parametrize("family", [f for f in LIST_FAMILIES if f != "relative_time"])
def test_every_phrase_is_clean_and_matched_whole(family):
    """Each phrase is trimmed, lower-case, unique in its language, and its family's pattern
    matches it as a whole line."""
    for lang, phrase in entries(family):
        assert phrase, (family, lang)
        assert phrase == phrase.strip(), (family, lang, phrase)
        assert phrase == phrase.casefold() or phrase != phrase.lower(), (family, lang, phrase)
        same = [p for lg, p in entries(family) if lg == lang and p == phrase]
        assert len(same) == 1, (family, lang, phrase)
        assert phrases.whole_line(family).match(phrase), (family, lang, phrase)
        assert phrases.starts_with(family).match(phrase + " x"), (family, lang, phrase)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_relative_time_per_language(lang):
    """Each language's units read with a number and its "ago" word."""
    entry = TABLE["relative_time"][lang]
    for unit in entry["units"]:
        if entry["after"]:
            text = f"3 {unit} {entry['after'][0]}"
        else:
            text = f"{entry['before'][0]} 3 {unit}"
        assert phrases.relative_time().match(text), (lang, text)


def test_core_families_cover_the_main_languages():
    for family in (
        "share_labels",
        "byline_labels",
        "navigation",
        "reading_time",
        "newsletter_words",
    ):
        langs = {lang for lang, _ in entries(family)}
        assert {"en", "ru", "uk", "tr", "ar"} <= langs, family


def test_phrases_are_case_insensitive_and_take_turkish_dotted_i():
    assert phrases.whole_line("share_labels").match("ABONE OL")
    assert phrases.whole_line("staff_words").match(phrases.fold_dotted_i("HABER MERKEZİ"))
