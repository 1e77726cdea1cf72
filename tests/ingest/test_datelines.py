"""Datelines in any script, found in the first story paragraph whatever stands above it."""

import pytest

from articles.ingest import Kind, extract
from articles.ingest.datelines import find_dateline, is_dateline_only

REST = "said on Tuesday that the new bridge would open to traffic next month."
SECOND = "The project cost about $120 million, according to the transport department."


@pytest.mark.parametrize(
    ("opening", "place", "agency"),
    [
        ("ASTANA, Kazakhstan (AP) — ", "ASTANA", "AP"),
        ("MOSCOW (Reuters) - ", "MOSCOW", "Reuters"),
        ("ASTANA, January 24. /TASS/. ", "ASTANA", "TASS"),
        ("КИЕВ, 3 февраля /ТАСС/. ", "КИЕВ", "ТАСС"),
        ("МОСКВА (Рейтер) - ", "МОСКВА", "Рейтер"),
        ("ANKARA (AA) - ", "ANKARA", "AA"),
        ("ASTANA. KAZINFORM - ", "ASTANA", "KAZINFORM"),
        ("Astana: ", "Astana", None),
        ("غزة: ", "غزة", None),
        ("أستانا (رويترز) - ", "أستانا", "رويترز"),
        ("PARADISE, Calif. (AP) — ", "PARADISE, Calif.", "AP"),
        ("MONTRÉAL – ", "MONTRÉAL", None),
    ],
)
def test_dateline_forms(opening, place, agency):
    found = find_dateline(opening + "Officials " + REST)
    assert found is not None
    assert (found["place"], found["agency"]) == (place, agency)
    assert found["end"] == len(opening.rstrip())


@pytest.mark.parametrize(
    "sentence",
    [
        "Putin said: we will not accept this.",
        "Update: the talks were postponed.",
        "The company (Gazprom) - said nothing more.",
        "In Moscow, officials said - nothing.",
        "He told Reuters on Monday that the talks would go on.",
        "Analysis: why the talks failed.",
    ],
)
def test_ordinary_sentences_are_never_cut(sentence):
    assert find_dateline(sentence) is None


def test_dateline_under_furniture_is_found():
    """Furniture lines above the lead never hide its dateline (was: only the first
    unclassified line was tried)."""
    text = (
        "World News\nBridge to open next month\nReuters Staff\n1 Min Read\n"
        f"MOSCOW (Reuters) - Officials {REST}\n\n{SECOND}\n"
    )
    x = extract(text)
    assert (x.dateline, x.dateline_agency) == ("MOSCOW", "Reuters")
    assert x.body.split("\n\n")[1].startswith("Officials said")


def test_dateline_alone_on_its_line():
    assert is_dateline_only("ASTANA, Kazakhstan (AP) —")
    assert not is_dateline_only("The talks went on")
    x = extract(f"Bridge to open next month\n\nASTANA, Kazakhstan (AP) —\n\nOfficials {REST}\n")
    dateline = next(b for b in x.blocks if b.text.startswith("ASTANA"))
    assert dateline.kind is Kind.DATELINE
    assert "ASTANA" not in x.body


def test_tass_dateline_fills_place_and_agency():
    text = (
        "Back to Main page\nInternational\n-\nBridge over the Ishim to open in spring\n"
        "January 24, 15:30 UTC+3\n"
        f"ASTANA, January 24. /TASS/. Officials {REST}\n\n{SECOND}\n"
    )
    x = extract(text)
    assert (x.dateline, x.dateline_agency) == ("ASTANA", "TASS")
    assert "/TASS/" not in x.body
