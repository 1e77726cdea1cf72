"""Dates on news pages at the edges of their rules: the longest date line, the nearest year,
an impossible day without its year, the precision of relative dates, the furniture word
limit, a date glued to the start of a headline, datelines inside the first paragraph and a
'published' line below the story.

Pure engine tests (no database). Written from the mutation run of issue 17 (part 8): each
case fails when the boundary or choice it names is changed.
"""

from datetime import date, datetime

import pytest

from articles.ingest import extract
from articles.ingest.dates import MAX_DATE_LINE, find_dates, is_date_line

TWO_DATES = (
    "Published: Monday 23 January 2017 14:05 GMT | Updated: Monday 23 January 2017 15:30 GMT"
)


def published(page: str):
    x = extract(page)
    return x.published, x.published_rule


def _padded(length: int) -> str:
    """The two labelled dates, spaced out to `length` characters."""
    gap = " " * (length - len(TWO_DATES) + 1)
    return TWO_DATES.replace(" | ", gap + "| ")


def test_a_date_line_may_be_as_long_as_the_limit_and_no_longer():
    assert MAX_DATE_LINE == 100
    assert len(_padded(100)) == 100
    assert is_date_line(_padded(100))
    assert not is_date_line(_padded(101))


def test_a_date_without_its_year_takes_the_year_of_the_nearest_dated_one():
    """Not the first date of the page: the one printed closest to it."""
    text = "2 March 2016\n" + "filler " * 30 + "\n2 March 2017\n5 January"
    hits = find_dates(text)
    assert hits[2].value == date(2017, 1, 5)
    assert hits[2].pattern.endswith("(year from another date on the page)")


def test_a_borrowed_year_that_makes_an_impossible_day_is_left_open():
    """29 February next to a date of 2017: no such day that year, so no year and no value."""
    (dated, leap) = find_dates("1 March 2017\n29 February")
    assert dated.value == date(2017, 3, 1)
    assert leap.value is None
    assert leap.pattern.endswith("(year undecided)")
    (_, leap) = find_dates("1 March 2016\n29 February")
    assert leap.value == date(2016, 2, 29)


@pytest.mark.parametrize(
    ("line", "value", "precision"),
    [
        ("7 months ago", date(2016, 6, 23), "month"),
        ("3 weeks ago", date(2017, 1, 2), "day"),
        ("2 hours ago", datetime(2017, 1, 23, 12, 5), "hour"),
        ("Вчера, 09:30", datetime(2017, 1, 22, 9, 30), "minute"),
    ],
)
def test_a_relative_date_is_as_precise_as_its_unit_or_its_time(line, value, precision):
    hit = find_dates(f"{line}\n23.01.2017 14:05")[0]
    assert (hit.value, hit.precision, hit.relative) == (value, precision, True)


# --- The publication date of whole pages -------------------------------------------------

FLOODS = (
    "\nLe sud de la France sous l'eau\n"
    "Des pluies torrentielles se sont abattues sur le sud de la France jeudi, a-t-on appris.\n"
)


def test_a_furniture_line_of_twelve_words_gives_its_date_and_of_thirteen_only_first():
    """A short line above the story is the page's own; a longer one only if it opens with
    its date (see test_dates.py for the caption that ends a long line)."""
    twelve = "Personnes secourues par un pompier près de Givors, France, 17 octobre 2024"
    thirteen = twelve.replace("pompier", "pompier tout")
    assert len(twelve.split()) == 12
    value, rule = published(twelve + FLOODS)
    assert value == date(2024, 10, 17)
    assert rule.startswith("date in the page furniture above the story")
    assert published(thirteen + FLOODS) == (None, "")


def test_a_date_glued_before_the_headline_with_a_separator_is_read():
    page = (
        "January 23, 2017 | Syrian opposition to attend talks\n"
        "Some armed Syrian opposition groups have decided to attend the peace talks next week,"
        " officials said.\n"
    )
    value, rule = published(page)
    assert value == date(2017, 1, 23)
    assert rule.startswith("date glued to the headline: 'January 23, 2017 | Syrian")


STORY = (
    "Kazakhstan and Uzbekistan agree to share water\n"
    "{place}, January 24 Kazakhstan and Uzbekistan have agreed on how much water each"
    " country will draw from the river, the ministry said on Tuesday.\n\n"
    "Published: 25.01.2017\n"
)


@pytest.mark.parametrize("place", ["ASTANA", "NY"])
def test_a_dateline_left_in_the_first_paragraph_gives_the_day(place):
    """A place in capitals (two letters at least), a comma and a date open the paragraph: its
    date is the page's, the year from the page's other date; a long line is quoted cut."""
    value, rule = published(STORY.format(place=place))
    assert value == date(2017, 1, 24)
    paragraph = STORY.format(place=place).split("\n")[1]
    assert rule == (
        f"date in the dateline: '{paragraph[:79]}…' (year from another date on the page)"
    )


@pytest.mark.parametrize("place", ["N", "Astana"])
def test_one_capital_or_a_place_in_small_letters_is_no_dateline(place):
    """Then the page's date is its 'published' line below the story."""
    value, rule = published(STORY.format(place=place))
    assert value == date(2017, 1, 25)
    assert rule == "a 'published' date line below the story: 'Published: 25.01.2017'"


def test_a_published_line_below_the_story_is_the_date_when_none_is_above():
    page = (
        "Kazakhstan and Uzbekistan agree to share water\n"
        "Kazakhstan and Uzbekistan have agreed on how much water each country will draw from"
        " the river, the ministry said on Tuesday.\n\n"
        "The two countries have argued over the river for decades.\n\n"
        "Published: 25.01.2017\n"
    )
    assert published(page) == (
        date(2017, 1, 25),
        "a 'published' date line below the story: 'Published: 25.01.2017'",
    )


def test_a_long_published_line_is_quoted_cut_at_eighty_characters():
    page = (
        f"Floods close main highway between two Kazakh cities\n{TWO_DATES}\n"
        "Floods caused by a sudden thaw have closed the main highway, officials said on Sunday.\n"
    )
    value, rule = published(page)
    assert value == datetime.fromisoformat("2017-01-23T14:05:00+00:00")
    assert rule == f"a 'published' label above the story: '{TWO_DATES[:79]}…'"
