"""Who published a page: an agency on its own page, a paper carrying agency copy, and a
suggested name for an outlet the app does not know yet. The pages are written for the tests."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import OutletSignature, extract
from articles.ingest.metadata import PHRASES_FILE, _patterns, detect_outlet, suggest_outlet

OUTLETS = (
    OutletSignature("sabah", "Daily Sabah", ("Daily Sabah", "dailysabah.com")),
    OutletSignature("presstv", "Press TV", ("Press TV", "PressTV", "presstv.ir")),
    OutletSignature("reuters", "Reuters", ("Reuters",), is_agency=True),
    OutletSignature("ap", "Associated Press", ("Associated Press", "AP"), is_agency=True),
    OutletSignature("afp", "AFP", ("AFP", "Agence France-Presse"), is_agency=True),
    OutletSignature("tass", "TASS", ("TASS", "ITAR-TASS"), is_agency=True),
)

STORY = (
    "Kazakhstan and Uzbekistan have agreed on how much water each country will draw from the "
    "Syr Darya river during the irrigation season, the agriculture ministry said on Tuesday.\n\n"
    "Under the deal, Uzbekistan will release more water from its reservoirs in June and July, "
    "when farmers in the south need it most for cotton and rice.\n\n"
    "The two countries have argued over the river for decades, and last year several villages "
    "reported shortages during a heatwave.\n"
)


def page(top: str, bottom: str, dateline: str = "") -> str:
    title = "Kazakhstan and Uzbekistan agree to share river water"
    return f"{title}\n{top}\n{dateline}{STORY}\n{bottom}\n"


@pytest.mark.parametrize(
    ("top", "dateline", "bottom"),
    [
        ("January 24, 15:30", "ASTANA, January 24. /TASS/. ", "© TASS"),
        ("January 24, 15:30", "ASTANA, January 24. /TASS/. ", "TASS Russian News Agency"),
        ("", "ASTANA, January 24. /TASS/. ", "© 1999-2017 ITAR-TASS. All rights reserved."),
    ],
)
def test_tass_own_page_is_credited_to_tass(top, dateline, bottom):
    """An agency naming itself in its footer is the page's outlet, not just a credit."""
    x = extract(page(top, bottom, dateline), outlets=OUTLETS)
    assert x.outlet_key == "tass"
    assert "TASS" not in x.credits


def test_reuters_own_page_is_credited_to_reuters():
    """'Reuters Staff' and '© 2017 Reuters' are Reuters naming itself."""
    text = page(
        "Reuters Staff\n1 Min Read", "© 2017 Reuters. All rights reserved.", "ASTANA (Reuters) - "
    )
    x = extract(text, outlets=OUTLETS)
    assert x.outlet_key == "reuters"
    assert "staff byline" in x.outlet_rule or "copyright" in x.outlet_rule


def test_known_paper_carrying_reuters_stays_the_papers():
    """A dateline tag and photo credits name the source; the paper's footer names the page."""
    text = page(
        "Farmers walk along a dry canal near Shymkent. REUTERS/Jane Doe",
        "© 2017 Daily Sabah. All rights reserved.",
        "ASTANA (Reuters) - ",
    )
    x = extract(text, outlets=OUTLETS)
    assert x.outlet_key == "sabah"
    assert "Reuters" in x.credits


def test_unknown_paper_carrying_reuters_is_not_credited_to_reuters():
    """Without the paper in the app, the page is nobody's yet, and the paper is suggested."""
    text = page(
        "Farmers walk along a dry canal near Shymkent. REUTERS/Jane Doe",
        "Copyright © 2017 The Steppe Herald",
        "ASTANA (Reuters) - ",
    )
    x = extract(text, outlets=OUTLETS)
    assert x.outlet_key is None
    assert x.outlet_suggestion == "The Steppe Herald"
    assert "copyright" in x.outlet_suggestion_rule


def test_wire_copy_licence_does_not_credit_the_agency():
    """AP's syndication notice travels with the story: it names the source, not the page."""
    text = page(
        "",
        "Copyright 2017 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
        "ASTANA, Kazakhstan (AP) — ",
    )
    x = extract(text, outlets=OUTLETS)
    assert x.outlet_key is None
    assert x.outlet_suggestion == ""


def test_dateline_tag_alone_never_credits_an_agency():
    """'(Reuters) -' alone: the story's source, never the page's outlet."""
    x = extract(page("", "", "MOSCOW (Reuters) - "), outlets=OUTLETS)
    assert x.outlet_key is None
    assert "Reuters" in x.credits


def test_paper_wins_a_tie_with_an_agency():
    """Equal self-references: the paper is the publisher of agency copy it carries."""
    text = page("", "© 2017 Reuters\n© 2017 Daily Sabah", "")
    x = extract(text, outlets=OUTLETS)
    assert x.outlet_key == "sabah"


@pytest.mark.parametrize(
    ("bottom", "name"),
    [
        ("© 2017 TRT World", "TRT World"),
        ("TRT World and Agencies", "TRT World"),
        ("Copyright © Hürriyet Daily News", "Hürriyet Daily News"),
        ("All rights reserved © 2017 Anews", "Anews"),
        (
            "© Copyright 2017, Al Arabiya News Channel. All rights reserved.",
            "Al Arabiya News Channel",
        ),
        (
            "Българско национално радио © 2025 Всички права са запазени",
            "Българско национално радио",
        ),
        ("جميع الحقوق محفوظة © 2017 الجزيرة", "الجزيرة"),
        ("Tüm hakları saklıdır © 2017 Hürriyet", "Hürriyet"),
    ],
)
def test_suggestion_from_self_references(bottom, name):
    """An unknown outlet is suggested from its copyright or 'and agencies' line."""
    x = extract(page("", bottom), outlets=OUTLETS)
    assert x.outlet_key is None
    assert x.outlet_suggestion == name
    assert x.outlet_suggestion_rule.startswith("suggestion:")


def test_suggestion_from_the_html_site_name_first():
    """A site name from the page's markup is the best suggestion."""
    x = extract(page("", "© 2017 TRT World"), outlets=OUTLETS)
    name, rule = suggest_outlet(x.blocks, outlets=OUTLETS, site_name="TRT World Türkçe")
    assert (name, rule) == ("TRT World Türkçe", "html: og:site_name")
    assert suggest_outlet(x.blocks, outlets=OUTLETS, site_name="Reuters")[0] == "TRT World"


def test_never_a_photo_agency_or_a_quoted_source():
    """Picture credits and sources the story cites are never suggested."""
    text = page(
        "Photo: © Getty Images\nFarmers walk along a dry canal. (Photo by AFP)",
        "Source: Interfax\nFollow us",
    )
    x = extract(text, outlets=OUTLETS)
    assert x.outlet_key is None
    assert x.outlet_suggestion == ""
    mid = STORY.replace("\n\nUnder", "\n\n© Maxim Shemetov\n\nUnder")
    x = extract(f"Headline of the story\n\n{mid}", outlets=OUTLETS)
    assert x.outlet_suggestion == ""


def test_a_web_address_in_the_footer_is_the_last_resort():
    """A bare address in the footer is suggested when nothing better names the page."""
    x = extract(page("", "© 2017 All rights reserved.\nsteppeherald.kz"), outlets=OUTLETS)
    assert x.outlet_suggestion == "steppeherald.kz"
    assert "web address" in x.outlet_suggestion_rule


def test_no_outlets_known():
    """With no outlets at all the page still gets a suggestion."""
    x = extract(page("", "© 2017 TRT World"))
    assert x.outlet_key is None
    assert x.outlet_suggestion == "TRT World"
    assert detect_outlet(x.blocks, ())[0] is None


LINE = st.text(
    alphabet=st.sampled_from(list("©(c) Reuters TASS agencies Staff 2017 .,-—\n")), max_size=2000
)


@settings(deadline=None, max_examples=80)
@given(LINE, LINE)
def test_any_page_gives_a_sane_outlet_and_suggestion(top, bottom):
    """Adversarial furniture: no crash, a known key or None, a short suggestion or none."""
    x = extract(page(top, bottom), outlets=OUTLETS)
    assert x.outlet_key in {None, *(o.key for o in OUTLETS)}
    assert len(x.outlet_suggestion) <= 80
    assert bool(x.outlet_suggestion) == bool(x.outlet_suggestion_rule.startswith("suggestion"))


@settings(deadline=None, max_examples=20)
@given(st.integers(min_value=1, max_value=5000))
def test_long_lines_are_read_only_so_far(n):
    """A huge footer line is searched only in its head, so the answer does not depend on its
    tail (bounded work)."""
    head = "© 2017 TRT World. "
    short = extract(page("", head + "x " * 300), outlets=OUTLETS)
    long = extract(page("", head + "x " * 300 + "(c) Reuters Staff " * n), outlets=OUTLETS)
    assert (short.outlet_key, short.outlet_suggestion) == (long.outlet_key, long.outlet_suggestion)


PHRASES = json.loads(PHRASES_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("family", sorted(f for f in PHRASES if not f.startswith("_")))
def test_every_phrase_is_data_that_its_pattern_finds(family):
    """Each phrase of each language is lower case, and the family's pattern finds it."""
    pattern = _patterns()[
        {
            "rights_reserved": "rights",
            "with_agencies": "with_agencies_phrase",
            "staff": "staff_phrase",
        }.get(family, family)
    ]
    for language, phrases in PHRASES[family].items():
        assert phrases, (family, language)
        for phrase in phrases:
            assert phrase == phrase.lower().strip(), (family, language, phrase)
            line = f"{phrase}: Name" if family == "source" else f"Name {phrase}"
            assert pattern.search(line), (family, language, phrase)
