"""The dev part of the ingest gold set: its labels are valid, and no page regresses.

Each dev page is scored the way `python -m tests.ingest.goldset dev` scores it. A check the
engine gets right today must stay right; a check it gets wrong today is listed in
`goldset_dev_known.json` and must stay listed only while it is wrong, so the list shrinks as
the engine improves.
"""

import importlib.util
import json
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from tests.ingest.goldset import (
    FIELDS,
    GOLD,
    PageScore,
    date_right,
    dateline_right,
    normalise,
    score_page,
    strip_dateline,
)

KNOWN_FILE = Path(__file__).with_name("goldset_dev_known.json")
CHECKS = (*FIELDS, "paragraphs", "junk")
DEV = GOLD / "dev"
DEV_KEYS = sorted(label.stem for label in DEV.glob("*.json"))


@cache
def validator() -> ModuleType:
    """tests/data/ingest/validate.py, loaded from its path (the data folder is no package)."""
    spec = importlib.util.spec_from_file_location("ingest_gold_validate", GOLD / "validate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def known_misses() -> dict[str, list[str]]:
    return json.loads(KNOWN_FILE.read_text(encoding="utf-8"))


@cache
def score(key: str) -> PageScore:
    gold = json.loads((DEV / f"{key}.json").read_text(encoding="utf-8"))
    page = DEV / f"{key}.{'txt' if gold['format'] == 'text' else 'html'}"
    return score_page(page, gold)


def is_right(result: PageScore, check: str) -> bool:
    if check == "paragraphs":
        return not result.lost
    if check == "junk":
        return not result.junk
    return bool(getattr(result, check))


def test_dev_labels_are_valid():
    """Every dev label is well formed, its texts occur in its page, its outlet is in a to m."""
    assert validator().validate("dev") == []


def test_dev_part_is_as_wide_as_promised():
    """The dev part keeps at least 22 pages, 11 outlets, the required languages, 4 saved pages."""
    golds = [json.loads((DEV / f"{key}.json").read_text(encoding="utf-8")) for key in DEV_KEYS]
    languages = [gold["language"] for gold in golds]
    assert len(golds) >= 22
    assert len({validator().outlet_domain(gold["url"]) for gold in golds}) >= 11
    assert all(languages.count(code) >= 1 for code in ("en", "ar", "tr"))
    assert languages.count("ru") >= 2
    assert languages.count("uk") >= 2
    assert {"fr", "de", "es"} & set(languages)
    assert sum(gold["format"] == "html" for gold in golds) >= 4


def test_known_misses_name_dev_pages_and_checks():
    """The known-misses file names only dev pages and checks the scorer makes."""
    for key, checks in known_misses().items():
        assert key in DEV_KEYS, f"{key} is not a dev page"
        assert set(checks) <= set(CHECKS), f"{key}: unknown checks {set(checks) - set(CHECKS)}"


@pytest.mark.parametrize("key", DEV_KEYS)
def test_dev_page_does_not_regress(key):
    """Checks right today stay right; a known miss that is now right must leave the list."""
    result = score(key)
    if not result.scored:
        pytest.skip(result.note)
    known = set(known_misses().get(key, []))
    regressed = [check for check in CHECKS if check not in known and not is_right(result, check)]
    fixed = [check for check in CHECKS if check in known and is_right(result, check)]
    assert not regressed, (
        f"{key} regressed on {regressed}: got {result.got}, lost {result.lost}, junk {result.junk}"
    )
    assert not fixed, f"{key} is now right on {fixed}: remove them from {KNOWN_FILE.name}"


# --- The scorer's own rules -----------------------------------------------------------------


def test_dates_match_by_day_then_minute_then_offset():
    """A gold day needs the same day; a gold time the same minute; offsets count when both exist."""
    plus3 = timezone(timedelta(hours=3))
    assert date_right("2017-01-24", date(2017, 1, 24))
    assert date_right("2017-01-24", datetime(2017, 1, 24, 9, 5))
    assert not date_right("2017-01-24", date(2017, 1, 25))
    assert date_right("2017-01-24T15:30", datetime(2017, 1, 24, 15, 30, 59, tzinfo=plus3))
    assert not date_right("2017-01-24T15:30", date(2017, 1, 24))
    assert not date_right("2017-01-24T15:30", datetime(2017, 1, 24, 15, 31))
    assert date_right("2017-01-24T15:30+03:00", datetime(2017, 1, 24, 15, 30, tzinfo=plus3))
    assert not date_right("2017-01-24T15:30+03:00", datetime(2017, 1, 24, 15, 30, tzinfo=UTC))
    # The same instant written in another zone is the same date and time.
    assert date_right("2017-01-24T15:30+03:00", datetime(2017, 1, 24, 12, 30, 40, tzinfo=UTC))
    assert not date_right("2017-01-24T15:30+03:00", datetime(2017, 1, 24, 12, 31, tzinfo=UTC))
    assert date_right(None, None)
    assert not date_right(None, date(2017, 1, 24))


def test_datelines_compare_place_casefolded_and_agency_when_labelled():
    """Place is compared without case; the agency only when the gold names one."""
    assert dateline_right({"place": "ANKARA", "agency": None}, "Ankara", "Reuters")
    assert dateline_right({"place": "MOSCOW", "agency": "Reuters"}, "MOSCOW", "reuters")
    assert not dateline_right({"place": "MOSCOW", "agency": "Reuters"}, "MOSCOW", "")
    assert dateline_right(None, "", "")
    assert not dateline_right(None, "ASTANA", "")
    # The city without the region printed after it is the place; another place is not.
    assert dateline_right({"place": "KABUL, Afghanistan", "agency": None}, "KABUL", "")
    assert not dateline_right({"place": "KABUL, Afghanistan", "agency": None}, "Afghanistan", "")


def test_dateline_formula_is_stripped_from_the_first_paragraph():
    """Recall looks for the first paragraph without its "PLACE (Agency) —" opening."""
    assert strip_dateline("MOSCOW (Reuters) - Talks began.", "MOSCOW") == "Talks began."
    assert strip_dateline("PARADISE, Calif. (AP) — Fire grew.", "PARADISE, Calif.") == "Fire grew."
    assert strip_dateline("غزة: قتل القائد", "غزة") == "قتل القائد"
    assert strip_dateline("Talks began in MOSCOW - today.", "MOSCOW") == (
        "Talks began in MOSCOW - today."
    )


def test_texts_compare_without_spacing_or_quote_style():
    """Curly, angle and straight quotes and any run of spaces compare equal."""
    assert normalise("“Bred”  «x»\u00a0’a’") == normalise('"Bred" "x" \'a\'')
