"""The headline: never navigation, a label, a date, a count or a site name; a repeat wins."""

import pytest

from articles.ingest import Kind, OutletSignature, extract
from articles.ingest.titles import (
    RULE_ABOVE_BYLINE,
    RULE_FIRST_LONG,
    RULE_MENU_ROW,
    RULE_REPEATED,
    Line,
    choose_title,
    holds_date,
    never_headline,
    without_glued_date,
)

LEAD = (
    "Officials in the capital said on Tuesday that the new bridge over the river would open "
    "to traffic next month after two years of delays."
)
SECOND = "The project cost about $120 million, according to the city's transport department."
HEADLINE = "New river bridge to open next month after long delays"
OUTLETS = (OutletSignature("tass", "TASS", ("TASS", "TASS Russian News Agency"), is_agency=True),)


def page(*top: str) -> str:
    return "\n".join(top) + f"\n\n{LEAD}\n\n{SECOND}\n"


@pytest.mark.parametrize(
    "junk",
    [
        "International",
        "7 months ago",
        "This Article is From Jan 22, 2017",
        "FIRST AIRED: January 26, 2017",
        "Back to Main page",
        "-",
        "12",
        "TASS Russian News Agency",
        "January 24, 15:30 UTC+3",
        "2 saat önce",
        "5 дней назад",
    ],
)
def test_furniture_above_the_headline_never_wins(junk):
    """A section label, date, relative time, count, navigation or site name above the
    headline is never taken for it, and stays out of the body."""
    x = extract(page(junk, HEADLINE), outlets=OUTLETS)
    assert x.title == HEADLINE
    assert junk not in x.body.split("\n\n")


@pytest.mark.parametrize(
    "line",
    [
        "This Article is From Jan 22, 2017",
        "FIRST AIRED: January 26, 2017",
        "Updated: 2015-04-01 18:14",
        "7 months ago",
        "-",
        "|||",
        "0",
        "Back to Main page",
        "Главная",
    ],
)
def test_never_headline(line):
    """Dates with labels, relative times, punctuation, counts and navigation are never headlines."""
    assert never_headline(line)


@pytest.mark.parametrize(
    "headline",
    [
        "Syria talks set for January 23 in Astana",
        "Kazakhstan and Uzbekistan agree to share water",
        "Украина и Польша договорились о новом пункте пропуска",
        "Kazakistan ile Türkiye arasında yeni uçak seferleri başlıyor",
    ],
)
def test_headlines_mentioning_dates_are_still_headlines(headline):
    """A headline that mentions a day has more to say than a date label."""
    assert not never_headline(headline)
    assert not holds_date(headline)


def test_repeated_headline_wins_over_the_first_long_line():
    """A line printed twice above the story is the headline; the repeat is kept once."""
    text = page("Kazakh economy news in brief today", HEADLINE, "Edition", HEADLINE)
    x = extract(text)
    assert x.title == HEADLINE
    assert x.title_rule == RULE_REPEATED
    titles = [b for b in x.blocks if b.kind is Kind.TITLE]
    assert len(titles) == 2
    assert [b.in_body for b in titles] == [True, False]


def test_line_above_the_byline_wins():
    """The headline stands right above the byline (a teaser line above it loses)."""
    x = extract(page("Read our special report on the region today", HEADLINE, "By Jane Doe"))
    assert x.title == HEADLINE
    assert x.title_rule == RULE_ABOVE_BYLINE


def test_first_long_line_when_nothing_else_decides():
    x = extract(page("World", HEADLINE))
    assert (x.title, x.title_rule) == (HEADLINE, RULE_FIRST_LONG)
    assert block_kind(x, "World") is Kind.BREADCRUMB


def test_menu_row_loses_to_a_real_headline_but_is_a_last_resort():
    """A row of capitalised menu words is the headline only when nothing else can be."""
    menu = "Events Podcasts Videos Weather Markets Sport"
    x = extract(page(menu, HEADLINE))
    assert x.title == HEADLINE
    alone = choose_title([Line(menu, ""), Line(LEAD, "")], 1)
    assert alone == (0, RULE_MENU_ROW)


def test_caption_with_a_dated_place_is_not_the_headline():
    """ "…, Givors, France, 17 octobre 2024" closes a picture caption, not a headline."""
    caption = "Personnes secourues par un pompier, Givors, France, 17 octobre 2024"
    x = extract(page(caption, "Le sud de la France sous l'eau après des pluies"))
    assert x.title == "Le sud de la France sous l'eau après des pluies"


def test_no_headline_derives_one_and_says_so():
    x = extract(f"{LEAD}\n\n{SECOND}\n")
    assert x.title_derived
    assert x.title_rule.startswith("title: derived")


def test_headline_glued_to_its_date_loses_the_date():
    assert (
        without_glued_date("Syrian opposition to talk with regimeJanuary 23, 2017")
        == "Syrian opposition to talk with regime"
    )
    assert without_glued_date("Talks on January 23, 2017") == "Talks on January 23, 2017"


def test_headline_trailing_off_with_an_ellipsis():
    """ "İstanbul bir kez daha sallandı..." is a headline, not a sentence."""
    x = extract(page("İstanbul bir kez daha sallandı..."))
    assert x.title == "İstanbul bir kez daha sallandı..."
    assert not x.title_derived


def test_arabic_headline_without_capitals():
    """Scripts without capitals start headlines with any letter."""
    headline = "كازاخستان تعلن عن خطة جديدة لدعم المزارعين"
    lead = "أعلنت حكومة كازاخستان يوم الثلاثاء عن خطة جديدة لدعم المزارعين في الجنوب."
    x = extract(f"الرئيسية\n{headline}\n\n{lead}\n")
    assert x.title == headline


def block_kind(x, text: str) -> Kind:
    return next(b.kind for b in x.blocks if b.text == text)


def test_title_bar_counts_as_a_print_of_the_headline():
    """ "Headline | Site" at the top of a copied page: the bare headline below wins."""
    x = extract(page(f"{HEADLINE} | Example News", "Menu", HEADLINE))
    assert x.title == HEADLINE
    assert x.title_rule == RULE_REPEATED
    assert f"{HEADLINE} | Example News" not in x.body
