"""The month, weekday and date-word tables: every language complete, every name read."""

from datetime import date

import pytest

from articles.ingest.data import date_words, months
from articles.ingest.dates import find_dates, is_date_line
from articles.ingest.datewords import fold

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ru", "uk", "tr", "ar", "fa")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_twelve_months_and_seven_weekdays(language):
    """One entry per language: twelve months and seven weekdays, none empty."""
    assert len(months.MONTHS[language]) == 12
    assert len(months.WEEKDAYS[language]) == 7
    assert all(forms for forms in months.MONTHS[language] + months.WEEKDAYS[language])


def test_a_month_name_means_one_month_in_every_language():
    """A folded name never stands for two different months ("mar" is March everywhere)."""
    meaning: dict[str, int] = {}
    for language, table in months.MONTHS.items():
        for number, forms in enumerate(table, start=1):
            for form in forms:
                key = fold(form)
                assert meaning.setdefault(key, number) == number, (language, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_month_form_is_read_in_a_date(language):
    """Each month form, full or abbreviated or declined, reads as its month in "23 <form> 2017"."""
    for number, forms in enumerate(months.MONTHS[language], start=1):
        for form in forms:
            hits = find_dates(f"23 {form} 2017")
            assert [h.value for h in hits] == [date(2017, number, 23)], (language, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_weekday_may_stand_in_a_date_line(language):
    """Each weekday form is date-line furniture beside a date."""
    for forms in months.WEEKDAYS[language]:
        for form in forms:
            assert is_date_line(f"{form}, 23.01.2017 14:05"), (language, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_and_connector_may_stand_in_a_date_line(language):
    """ "Published", "Updated" and connector words in each language leave a date line one."""
    for table in (date_words.PUBLISHED, date_words.UPDATED, date_words.CONNECTORS):
        for phrase in table.get(language, ()):
            assert is_date_line(f"{phrase} 23.01.2017"), (language, phrase)


@pytest.mark.parametrize("language", LANGUAGES)
def test_published_and_updated_labels_are_told_apart(language):
    """A hit after a label carries the label's meaning."""
    for name, table in (("published", date_words.PUBLISHED), ("updated", date_words.UPDATED)):
        for phrase in table.get(language, ()):
            (hit,) = find_dates(f"{phrase}: 23.01.2017")
            assert hit.label == name, (language, phrase)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_relative_form_counts_back(language):
    """Each unit word with each "ago" marker, and each day word, resolves against the page."""
    reference = date(2017, 6, 15)
    after = date_words.AGO_AFTER.get(language, ())
    before = date_words.AGO_BEFORE.get(language, ())
    for word, unit in date_words.UNITS[language].items():
        count = "" if unit.endswith(":2") else "3 "
        lines = [f"{count}{word} {marker}" for marker in after]
        lines += [f"{marker} {count}{word}" for marker in before]
        for line in lines:
            hits = find_dates(line, reference=reference)
            assert [h.relative for h in hits] == [True], (language, line)
            assert hits[0].value is not None, (language, line)
            assert hits[0].value <= reference, (language, line)
    for word, back in date_words.DAYS_BACK[language].items():
        (hit,) = find_dates(word, reference=reference)
        assert hit.value == date(2017, 6, 15 - back), (language, word)


def test_zones_are_offsets_within_fourteen_hours():
    """Every zone name maps to a plausible offset and is read after a time."""
    for name, minutes in date_words.ZONES.items():
        assert abs(minutes) <= 14 * 60
        (hit,) = find_dates(f"23.01.2017 14:05 {name}")
        assert hit.offset == minutes, name
