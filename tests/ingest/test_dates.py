"""Dates on news pages: formats and languages read, impossible dates refused, relative dates
counted from the page's own dates, and the publication date chosen from the page furniture."""

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.ingest import extract
from articles.ingest.dates import find_dates, is_date_line

UTC3 = timezone(timedelta(hours=3))

# (line, what the first hit is worth, its text in the line)
EXAMPLES = [
    ("25 Ocak 2017 Çarşamba, 16:16", datetime(2017, 1, 25, 16, 16), None),
    ("23 січня 2017 р.Президент України заявив", date(2017, 1, 23), "23 січня 2017 р."),
    ("…talks with regimeJanuary 23, 2017", date(2017, 1, 23), "January 23, 2017"),
    ("Jan 22, 2017 8:04 am", datetime(2017, 1, 22, 8, 4), None),
    (
        "Jan 22, 2017 8:04 p.m. EST",
        datetime(2017, 1, 22, 20, 4, tzinfo=timezone(-timedelta(hours=5))),
        None,
    ),
    ("2017-01-23T14:05:00+03:00", datetime(2017, 1, 23, 14, 5, tzinfo=UTC3), None),
    ("2017-01-23", date(2017, 1, 23), None),
    ("2017-01-23T14:05:00.000Z", datetime(2017, 1, 23, 14, 5, tzinfo=UTC), None),
    ("2017-01-23T14:05:00.123+0300", datetime(2017, 1, 23, 14, 5, tzinfo=UTC3), None),
    ("23.01.2017 14:05", datetime(2017, 1, 23, 14, 5), None),
    ("23/01/2017", date(2017, 1, 23), None),
    ("01/23/2017", date(2017, 1, 23), None),
    (
        "Published 02:30 IST, February 2nd 2025",
        datetime(2025, 2, 2, 2, 30, tzinfo=timezone(timedelta(minutes=330))),
        "02:30 IST, February 2nd 2025",
    ),
    ("12:45 Aug. 7, 2016", datetime(2016, 8, 7, 12, 45), None),
    ("15:39 | 3.02.15", datetime(2015, 2, 3, 15, 39), None),
    ("18:21, 28 December 2016", datetime(2016, 12, 28, 18, 21), None),
    (
        "Monday 23 January 2017 10.05 GMT",
        datetime(2017, 1, 23, 10, 5, tzinfo=UTC),
        "23 January 2017 10.05 GMT",
    ),
    ("٢٣ يناير ٢٠١٧", date(2017, 1, 23), None),
    ("۲۳ ژانویه ۲۰۱۷", date(2017, 1, 23), None),
    ("23 كانون الثاني/يناير 2017", date(2017, 1, 23), None),
    ("23 شباط 2017", date(2017, 2, 23), None),
    ("23 января 2017, 14:05", datetime(2017, 1, 23, 14, 5), None),
    (
        "Опубликовано: 23 января 2017 года, 14:05",
        datetime(2017, 1, 23, 14, 5),
        "23 января 2017 года, 14:05",
    ),
    ("FIRST AIRED: January 26, 2017", date(2017, 1, 26), "January 26, 2017"),
    ("This Article is From Jan 22, 2017", date(2017, 1, 22), "Jan 22, 2017"),
    ("23 de enero de 2017", date(2017, 1, 23), None),
    ("1er février 2017 à 14h05", datetime(2017, 2, 1, 14, 5), None),
    ("23. Januar 2017, 14:05 Uhr", datetime(2017, 1, 23, 14, 5), "23. Januar 2017, 14:05"),
    ("23 gennaio 2017", date(2017, 1, 23), None),
    ("23 de janeiro de 2017", date(2017, 1, 23), None),
    ("تاريخ النشر: 13th, February 2024 GMT", date(2024, 2, 13), "13th, February 2024"),
    ("10:17 29 сентября 2017Новости", datetime(2017, 9, 29, 10, 17), "10:17 29 сентября 2017"),
]


@pytest.mark.parametrize(("line", "value", "text"), EXAMPLES)
def test_dates_in_many_formats_and_languages_are_read(line, value, text):
    """Each printed form gives its date (and time and zone) and the span it covers."""
    hits = find_dates(line)
    assert hits, f"no date in {line!r}"
    hit = hits[0]
    assert hit.value == value
    if isinstance(value, datetime):
        assert hit.has_time
        assert value.utcoffset() == hit.value.utcoffset()
    assert line[hit.span[0] : hit.span[1]] == (text or line)


def test_a_time_zone_is_kept_as_an_offset_and_a_missing_year_stays_open():
    """ "January 24, 15:30 UTC+3": offset +180 minutes; no year anywhere, so no value."""
    (hit,) = find_dates("January 24, 15:30 UTC+3")
    assert hit.offset == 180
    assert hit.has_time
    assert hit.value is None
    assert "year undecided" in hit.pattern


def test_a_missing_year_is_taken_from_another_date_on_the_page():
    """A yearless date borrows the year of the nearest date that prints one."""
    hits = find_dates("January 24, 15:30 UTC+3\n\nUpdated 25.01.2017")
    assert hits[0].value == datetime(2017, 1, 24, 15, 30, tzinfo=UTC3)
    assert "year from another date" in hits[0].pattern


@pytest.mark.parametrize("line", ["31.02.2017", "13/13/2017", "2017-02-30", "25:10 23.01.2017x"])
def test_impossible_dates_are_refused(line):
    """No 31 February, no month 13, no hour 25: nothing is clamped into a date."""
    assert all(
        hit.value is None or (isinstance(hit.value, date) and hit.value.year == 2017)
        for hit in find_dates(line)
    )
    assert not any(hit.value == date(2017, 3, 2) for hit in find_dates(line))
    assert find_dates("31.02.2017") == []
    assert find_dates("2017-02-30") == []


def test_ambiguous_numeric_dates_follow_the_page():
    """03/02/2017 is read day-first unless the page's other dates say month-first."""
    (alone,) = find_dates("03/02/2017")
    assert alone.value == date(2017, 2, 3)
    us_page = find_dates("03/02/2017\n12/25/2016")
    assert us_page[0].value == date(2017, 3, 2)
    named = find_dates("March 2, 2017\n03/02/2017")
    assert named[1].value == date(2017, 3, 2)


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("7 months ago", date(2016, 6, 23)),
        ("2 hours ago", datetime(2017, 1, 23, 12, 5)),
        ("yesterday", date(2017, 1, 22)),
        ("вчера", date(2017, 1, 22)),
        ("dün", date(2017, 1, 22)),
        ("أمس", date(2017, 1, 22)),
        ("5 дней назад", date(2017, 1, 18)),
        ("3 дні тому", date(2017, 1, 20)),
        ("منذ ساعتين", datetime(2017, 1, 23, 12, 5)),
        ("vor 2 Stunden", datetime(2017, 1, 23, 12, 5)),
        ("il y a 3 jours", date(2017, 1, 20)),
        ("hace una hora", datetime(2017, 1, 23, 13, 5)),
        ("Вчера, 09:30", datetime(2017, 1, 22, 9, 30)),
    ],
)
def test_relative_dates_count_back_from_the_pages_own_latest_date(line, value):
    """Relative dates resolve against the latest absolute date on the page, never the clock."""
    hits = find_dates(f"{line}\n23.01.2017 14:05")
    assert hits[0].relative
    assert hits[0].value == value


def test_relative_dates_without_a_date_on_the_page_have_no_value():
    """With no absolute date to count from, "7 months ago" stays unresolved."""
    (hit,) = find_dates("7 months ago")
    assert hit.relative
    assert hit.value is None


@pytest.mark.parametrize(
    "line",
    [
        "January 5, 2024",
        "Updated: 23.01.2017 14:05",
        "Published 02:30 IST, February 2nd 2025",
        "7 months ago",
        "25 Ocak 2017 Çarşamba, 16:16",
        "FIRST AIRED: January 26, 2017",
        "This Article is From Jan 22, 2017",
        "Mis à jour le 23 janvier 2017 à 14h05",
        "Опубликовано: 23 января 2017 года, 14:05",
        "نشر في 23 كانون الثاني 2017",
        "Monday, 14:05",
        "Вчера, 09:30",
    ],
)
def test_date_lines_in_all_languages(line):
    """A line of only a date, time or relative date (with labels, weekday) is a date line."""
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "18 March Division",
        "By The Associated Press January 22, 2017 8:04 am",
        "23 січня 2017 р.Президент України заявив",
        "Talks resumed on January 23, 2017 in Astana, officials said.",
        "2,500 $",
        "177",
        "Today's top stories",
        "International",
        "",
    ],
)
def test_lines_with_more_than_a_date_are_not_date_lines(line):
    """Story sentences, bylines, counts and labels are not date lines."""
    assert not is_date_line(line)


# --- The publication date of whole pages -------------------------------------------------


def published(page: str):
    x = extract(page)
    return x.published, x.published_rule


def test_a_date_line_under_the_headline_is_the_publication_date():
    """The date line right under the headline, with its rule quoting the line."""
    page = (
        "Dünya\nKazakistan ile Türkiye arasında yeni uçak seferleri başlıyor\n"
        "25 Ocak 2017 Çarşamba, 16:16\n"
        "ANKARA (AA) - Kazakistan ile Türkiye arasında mart ayından itibaren haftada dört yeni"
        " uçak seferi düzenlenecek, 3 Şubat 2017 tarihinde açıklandı.\n\n"
        "Yetkililer, yeni hatların iki ülke arasındaki ticareti artırmasını"
        " beklediklerini söyledi.\n"
    )
    value, rule = published(page)
    assert value == datetime(2017, 1, 25, 16, 16)
    assert rule == "date line under the headline: '25 Ocak 2017 Çarşamba, 16:16'"


def test_published_is_preferred_over_updated():
    """An "Updated" line above a "Published" line does not win."""
    page = (
        "Floods close main highway between two Kazakh cities\n"
        "Updated: 24.01.2017 09:00\nPublished: 22.01.2017 08:04\n"
        "Floods caused by a sudden thaw have closed the main highway, officials said on Sunday.\n"
    )
    value, rule = published(page)
    assert value == datetime(2017, 1, 22, 8, 4)
    assert rule.startswith("a 'published' label")


def test_dates_in_story_sentences_and_comments_are_never_taken():
    """A page with dates only in its story and comments has no publication date."""
    page = (
        "Rebels to take part in Astana peace talks\n\n"
        "The truce came into effect on 29 December 2016 and followed the evacuation of Aleppo.\n\n"
        "Talks are due to open in Astana on January 23, 2017, officials said on Monday.\n\n"
        "Notify of\n\nKim Jong\n\n23.01.2017 14:05\n\nGood analysis of the talks, thanks a lot.\n"
    )
    assert published(page) == (None, "")


def test_the_datelines_date_takes_its_year_from_elsewhere_on_the_page():
    """ "ASTANA, January 24. /TASS/." gives the day; the year comes from another date line."""
    page = (
        "Kazakhstan and Uzbekistan agree to share water\n"
        "ASTANA, January 24. /TASS/. Kazakhstan and Uzbekistan have agreed on how much water each"
        " country will draw from the river, the ministry said on Tuesday.\n\n"
        "The two countries have argued over the river for decades, officials said.\n\n"
        "Published: 25.01.2017\n"
    )
    value, rule = published(page)
    assert value == date(2017, 1, 24)
    assert rule.startswith("date in the dateline: 'ASTANA, January 24. /TASS/.")
    assert rule.endswith("(year from another date on the page)")
    assert published(page.replace("Published: 25.01.2017\n", "")) == (None, "")


def test_a_relative_date_is_counted_from_the_pages_own_dates():
    """ "2 hours ago" above the story, a timestamped comment below it: counted back from it."""
    page = (
        "Kazakhstan and Uzbekistan agree to share water\n2 hours ago\n"
        "Kazakhstan and Uzbekistan have agreed on how much water each country will draw from the"
        " river, the ministry said on Tuesday.\n\nLeave a comment\n\nAigerim\n\n"
        "23.01.2017 14:05\n\nGood news for farmers on both sides of the border.\n"
    )
    value, rule = published(page)
    assert value == datetime(2017, 1, 23, 12, 5)
    assert rule.startswith("relative date counted back from the page's latest date")


def test_a_relative_date_alone_is_not_a_publication_date():
    """ "7 months ago" with no absolute date anywhere gives no publication date."""
    page = (
        "Kazakhstan and Uzbekistan agree to share water\n7 months ago\n"
        "Kazakhstan and Uzbekistan have agreed on how much water each country will draw from the"
        " river, the ministry said on Tuesday.\n"
    )
    assert published(page) == (None, "")


def test_the_date_glued_to_a_headline_is_read():
    """A browser copy that glued the title to its date still gives the date."""
    page = (
        "Syrian opposition to attend talks with regimeJanuary 23, 2017\n"
        "Some armed Syrian opposition groups have decided to attend the peace talks next week,"
        " officials said.\n"
    )
    value, _rule = published(page)
    assert value == date(2017, 1, 23)


def test_a_date_inside_a_caption_above_the_story_is_not_the_pages():
    """A long line above the headline ending in a place and date is a caption, not a date."""
    page = (
        "Personnes secourues par un pompier pour sortir de leur voiture prisonnière des eaux,"
        " Givors, France, 17 octobre 2024\n"
        "Le sud de la France sous l'eau\n"
        "Des pluies torrentielles se sont abattues sur le sud de la France jeudi, a-t-on appris.\n"
    )
    assert published(page) == (None, "")


def test_the_seeds_print_no_publication_date():
    """The five seed files show no date line: their dates are all inside story sentences."""
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        assert published(seed.read_text(encoding="utf-8")) == (None, "")
