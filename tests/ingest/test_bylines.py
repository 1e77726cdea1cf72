"""Bylines in many forms and languages: who wrote the story, and never in the body."""

import pytest

from articles.ingest import Kind, OutletSignature, extract
from articles.ingest.bylines import parse_byline, split_authors

AGENCIES = {"Reuters", "AFP", "Associated Press", "AP"}
LEAD = (
    "Officials in the capital said on Tuesday that the new bridge over the river would open "
    "to traffic next month after two years of delays."
)
HEADLINE = "New river bridge to open next month after long delays"


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Doe", ("Jane Doe",)),
        ("By Jane Holloway and Tom Ashdown", ("Jane Holloway", "Tom Ashdown")),
        ("By Jane Doe, Reuters", ("Jane Doe",)),
        ("By The Associated Press January 22, 2017 8:04 am", ("The Associated Press",)),
        ("Posted on 14 May 2024 by Aigerim Sadykova", ("Aigerim Sadykova",)),
        ("Reported by: Digital Desk", ("Digital Desk",)),
        ("Reuters Staff", ("Reuters Staff",)),
        ("HABER MERKEZİ", ("HABER MERKEZİ",)),
        ("Автор: Иван Петров", ("Иван Петров",)),
        ("Yazar: Ayşe Yılmaz", ("Ayşe Yılmaz",)),
        ("بقلم: أحمد علي", ("أحمد علي",)),
        (
            "Par Martin Untersinger (avec Damien Leloup et Morgane Tual)",
            ("Martin Untersinger", "Damien Leloup", "Morgane Tual"),
        ),
        ("Por Ana García y Luis Pérez", ("Ana García", "Luis Pérez")),
        (
            "by The Example Times news deskMarch 3, 2024 9:15 am",
            ("The Example Times news desk",),
        ),
    ],
)
def test_byline_forms(line, authors):
    found = parse_byline(line, AGENCIES)
    assert found is not None, line
    assert found.authors == authors
    assert found.rule.startswith("byline:")


@pytest.mark.parametrize(
    "line",
    [
        "By the way, the talks went on.",
        "Par ailleurs",
        "Officials said the bridge would open by March.",
        "Kazakhstan and Uzbekistan agree to share water",
        "Support SouthFront",
        "Medical Staff shortages hit rural hospitals across the region this winter again",
    ],
)
def test_not_bylines(line):
    assert parse_byline(line, AGENCIES) is None


def test_split_authors_keeps_people_and_drops_the_wire():
    assert split_authors("Jane Doe and Tom Roe, Reuters", AGENCIES) == ("Jane Doe", "Tom Roe")
    assert split_authors("Reuters", AGENCIES) == ("Reuters",)


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By The Associated Press January 22, 2017 8:04 am", ["The Associated Press"]),
        ("Reuters Staff", ["Reuters Staff"]),
        ("Автор: Иван Петров", ["Иван Петров"]),
        ("(Xinhua)", ["Xinhua"]),
    ],
)
def test_extract_fills_the_byline_and_keeps_it_out_of_the_body(byline, authors):
    x = extract(f"{HEADLINE}\n{byline}\n\n{LEAD}\n")
    assert x.byline == byline
    assert x.authors == authors
    assert x.byline_rule.startswith("byline:")
    assert byline not in x.body
    assert next(b for b in x.blocks if b.text == byline).kind is Kind.DATELINE


def test_reading_time_is_furniture_not_a_byline():
    x = extract(f"{HEADLINE}\nReuters Staff\n1 Min Read\n\n{LEAD}\n")
    assert "1 Min Read" not in x.body
    assert x.authors == ["Reuters Staff"]


def test_name_alone_after_the_story_is_its_signature():
    x = extract(f"{HEADLINE}\n\n{LEAD}\n\nFarah Mokrani\nRetour\n")
    assert x.authors == ["Farah Mokrani"]
    assert "Farah Mokrani" not in x.body


def test_name_alone_under_the_standfirst_is_the_author():
    standfirst = "Turkish police detained dozens of suspects in two days, officials said."
    x = extract(f"{HEADLINE}\n{standfirst}\nDuvar English\n{LEAD}\n")
    assert x.authors == ["Duvar English"]
    assert standfirst in x.body


def test_agency_in_the_byline_is_not_an_author():
    outlets = (OutletSignature("reuters", "Reuters", ("Reuters",), is_agency=True),)
    x = extract(f"{HEADLINE}\nBy Jane Doe, Reuters\n\n{LEAD}\n", outlets=outlets)
    assert x.authors == ["Jane Doe"]
