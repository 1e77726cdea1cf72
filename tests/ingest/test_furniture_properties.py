"""Property tests of the furniture, title, byline and dateline rules: no input crashes them,
long adversarial lines leave them correct, and the whole engine's work grows linearly with the
page (counted in Python calls, never timed)."""

import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import BODY_SEPARATOR, Kind, extract
from articles.ingest import furniture as f
from articles.ingest.bylines import parse_byline
from articles.ingest.datelines import find_dateline, is_dateline_only
from articles.ingest.titles import Line, choose_title, never_headline, without_glued_date

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = st.sampled_from(
    [
        "(",
        ")",
        "/",
        "—",
        "-",
        ":",
        " ",
        "  ",
        "©",
        "#",
        "@",
        "<",
        ">",
        "By ",
        "ASTANA",
        ", ",
        ". ",
        "/TASS/",
        "(AP)",
        "Photo: ",
        "January 24",
        "2017",
        "8:04 am",
        "pic.twitter.com/",
        "Staff",
        "Автор:",
        "مشاركة",
        "ago",
        "7 months",
        "a",
        "Aa",
        "İ",
        "...",
        "…",
        "!",
        "?",
        "\u00a0",
    ]
)
ADVERSARIAL = st.lists(PIECES, min_size=1, max_size=400).map("".join)
LONG = st.builds(lambda piece, n: piece * n, PIECES, st.integers(1000, 6000))


def all_rules(line: str) -> None:
    f.line_rule(line)
    parse_byline(line, {"Reuters"})
    find_dateline(line)
    is_dateline_only(line)
    never_headline(line)
    without_glued_date(line)
    f.is_menu_row(line)
    f.is_name_alone(line)
    f.agency_alone(line)
    f.ends_with_credit(line)
    f.is_related_link(line)


@SETTINGS
@given(st.text(max_size=300))
def test_no_line_crashes_the_rules(line):
    all_rules(line)


@SETTINGS
@given(ADVERSARIAL)
def test_adversarial_lines_keep_the_rules_consistent(line):
    """Whatever a dateline rule cuts is a prefix of the line; a byline's authors come from it."""
    all_rules(line)
    found = find_dateline(line)
    if found is not None:
        assert 0 < found["end"] <= len(line)
        assert found["place"]
        assert found["place"] in line
    byline = parse_byline(line)
    if byline is not None:
        assert byline.authors
        folded = line.replace("(", " ").replace(")", " ")
        for author in byline.authors:
            assert all(word in folded for word in author.split())


@settings(SETTINGS, max_examples=40)
@given(LONG)
def test_long_repeated_lines_are_read_correctly(line):
    """Thousands of repeats of one piece: no dateline is longer than its probe, and a long
    line is never a short widget."""
    all_rules(line)
    found = find_dateline(line)
    assert found is None or found["end"] <= 200
    assert not f.is_share_label(line)
    assert not f.is_reading_time(line)
    assert not f.is_support_appeal(line)


HEADLINE = "Floods close main highway between two Kazakh cities"
LEAD = (
    "ASTANA, Kazakhstan (AP) — Floods caused by a sudden thaw have closed the main highway "
    "between two cities, emergency officials said Sunday."
)
FURNITURE_LINES = st.sampled_from(
    [
        "Back to Main page",
        "International",
        "-",
        "7 months ago",
        "This Article is From Jan 22, 2017",
        "By The Associated Press January 22, 2017 8:04 am",
        "Reuters Staff",
        "1 Min Read",
        "(File)",
        "0",
        "#World News",
        "Abone Ol",
        "مشاركة :",
        "© Maxim Shemetov",
        "Enter your email address",
        "Unsubscribe at any time",
        "<image>data:image/png;base64,AAAA</image>",
    ]
)


@SETTINGS
@given(st.lists(FURNITURE_LINES, max_size=6), st.lists(FURNITURE_LINES, max_size=6))
def test_furniture_around_a_story_never_reaches_the_body(above, below):
    """Whatever furniture stands above the headline and below the story: the headline and
    dateline are found, the story is whole, and no furniture line is in the body."""
    story = ["Officials said the road could reopen by Wednesday if temperatures fall again."]
    text = "\n".join([*above, HEADLINE, LEAD, "", *story, "", *below]) + "\n"
    x = extract(text)
    assert x.title == HEADLINE
    assert (x.dateline, x.dateline_agency) == ("ASTANA", "AP")
    body = x.body.split(BODY_SEPARATOR)
    assert body[0] == HEADLINE
    assert body[1].startswith("Floods caused by")
    assert body[2:] == story
    for line in {*above, *below}:
        assert line not in body
    assert all(b.kind is not Kind.PARAGRAPH or b.text in x.body for b in x.blocks)


@SETTINGS
@given(st.lists(st.sampled_from(["", "byline", "date", "other"]), max_size=40))
def test_title_chooser_returns_an_unclassified_line_before_the_lead(roles):
    lines = [Line(f"Heading number {i} about a topic", role) for i, role in enumerate(roles)]
    chosen = choose_title(lines, len(lines))
    if chosen is not None:
        index, rule = chosen
        assert lines[index].classified == ""
        assert rule.startswith("title:")


def lines_run(text: str) -> int:
    """Python lines the engine executes reading `text` (a count, not a time: a loop inside a
    loop shows here even when it makes no calls)."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        extract(text)
    finally:
        sys.settrace(None)
    return count


BLOCKS = [
    "Stay on top of the news\nEnter your email address\nSign up\n",
    "Headline Of A Related Story Here\n",
    "Read also\nlist of items\n",
    "Rescue workers carry sandbags along a road\n© Name Surname\n",
    "Officials said the road could reopen by Wednesday if temperatures fall again.\n\n",
    "#Tag\n0\n-\n",
    "Farah Mokrani\n",
]


def test_engine_work_grows_linearly_with_the_page():
    """Twice the lines, at most about twice the work, for pages made of every pattern the
    furniture passes walk over (runs of promo lines, labels, credits, headline lists)."""
    for block in BLOCKS:
        small = block * 100
        large = block * 200
        ratio = lines_run(large) / lines_run(small)
        assert ratio < 2.4, (block, ratio)


def test_a_desk_byline_is_made_of_words():
    """Found by the property above: "Staff( Staff" was a desk byline whose author held a
    bracket; a desk's name is capitalised words ("Reuters Staff", "HABER MERKEZİ")."""
    assert parse_byline("Staff( Staff") is None
    assert parse_byline("Reuters Staff").authors == ("Reuters Staff",)
    assert parse_byline("HABER MERKEZİ").authors == ("HABER MERKEZİ",)
