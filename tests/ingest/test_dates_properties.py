"""Property tests of the date reader: any text at all is read without error, in work linear
in its length, and every hit it reports is a real date inside the text."""

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest.datepatterns import scan
from articles.ingest.dates import find_dates, is_date_line
from articles.ingest.datewords import tokenize

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Pieces that make the patterns start, almost match and back off: digits of every length,
# separators, month and weekday names, labels, zones and "ago" markers, in any order.
PIECES = st.sampled_from(
    [
        "1",
        "12",
        "2017",
        "٢٣",
        "31",
        "99",
        "00",
        ":",
        ".",
        "/",
        "-",
        "+",
        ",",
        " ",
        "T",
        "Z",
        "January",
        "Jan",
        "января",
        "Ocak",
        "كانون",
        "الثاني",
        "يناير",
        "Monday",
        "Çarşamba",
        "Published",
        "Updated:",
        "UTC",
        "GMT",
        "IST",
        "am",
        "p.m.",
        "st",
        "nd",
        "го",
        "de",
        "ago",
        "назад",
        "منذ",
        "il y a",
        "months",
        "hours",
        "ساعتين",
        "yesterday",
        "вчера",
        "р.",
        "года",
        "|",
        "(",
        ")",
        "\n",
    ]
)
TEXT = st.lists(PIECES, min_size=0, max_size=400).map("".join)


def reads(text: str) -> int:
    """Token reads the patterns make over the text."""
    _, count = scan(tokenize(text))
    return count


@SETTINGS
@given(TEXT)
def test_any_text_gives_real_dates_inside_it(text):
    """No input crashes the reader; each hit lies in the text and is a real date or None."""
    for hit in find_dates(text):
        start, end = hit.span
        assert 0 <= start < end <= len(text)
        assert hit.value is None or isinstance(hit.value, date | datetime)
        if hit.offset is not None:
            assert abs(hit.offset) <= 14 * 60
    is_date_line(text)


@SETTINGS
@given(st.lists(PIECES, min_size=1, max_size=30).map("".join), st.integers(100, 800))
def test_work_is_linear_in_the_length_of_adversarial_text(unit, times):
    """A piece repeated thousands of times costs at most a constant number of token reads per
    token: no pattern rereads the text behind it."""
    text = unit * times
    tokens = tokenize(text)
    assert reads(text) <= 60 * max(1, len(tokens))
    find_dates(text)


def test_long_runs_of_digits_separators_and_month_names_finish():
    """Runs built to make a backtracking matcher explode are read in linear work."""
    for unit in ("1.", "12/", "2017-", "January 1, ", "23 января ", "1:2", "ago ", "+"):
        small, large = unit * 1000, unit * 4000
        assert reads(large) <= 4 * reads(small) + 100
        find_dates(large)
    assert not is_date_line("1." * 5000)
