"""Saved HTML pages through the ingest engine: page text, kinds from markup, metadata, refusals.

Pure engine tests (no database): `extract_html` on small pages written for these tests, in
tests/ingest/fixtures/html/, imitating news pages.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.ingest import IngestError, Kind, OutletSignature, extract
from articles.ingest.html import NO_ARTICLE, extract_html, looks_like_html, page_url
from articles.ingest.html_meta import parse_date, read_meta, strip_site_name
from articles.ingest.html_text import parse_page, render_page
from articles.ingest.records import LineHint

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def page(name: str, **kwargs):
    return extract_html((FIXTURES / name).read_bytes(), **kwargs)


def kinds_of(result) -> dict[str, Kind]:
    return {block.text: block.kind for block in result.extraction.blocks}


def body_lines(result) -> list[str]:
    return [b.text for b in result.extraction.blocks if b.in_body]


# --- The page text -------------------------------------------------------------------------


def test_page_text_is_the_whole_visible_page_one_block_a_line():
    """Nav, figcaption, comments and footer stay in the page text; scripts and styles don't."""
    result = page("news_page.html")
    lines = result.page_text.split("\n\n")
    assert lines[:3] == ["The Riverside Courier", "News", "Sport"]
    assert "Residents wade through a flooded street in Millbrook on Thursday morning." in lines
    assert "Thank you to the crews who came out in the middle of the night to help us." in lines
    assert "Privacy policy" in lines
    assert "By Jane Doe and Tom Roe" in lines  # inline link text joined, whitespace collapsed
    assert "Share this story on every network" not in result.page_text  # a script
    assert ".share" not in result.page_text  # a style
    assert "| The Riverside Courier" not in result.page_text  # the <title> in the head


def test_every_block_is_its_span_of_the_page_text():
    """Each block's text is exactly its span of the page text (the source view tints it), and
    the blocks, in order, cover the whole page text but the whitespace between them."""
    for name in ("news_page.html", "arabic_rtl.html", "credit_midpage.html"):
        result = page(name)
        blocks = result.extraction.blocks
        assert blocks, name
        cursor = 0
        for block in blocks:
            assert result.page_text[block.start : block.end] == block.text
            assert block.text.strip(), block
            assert not result.page_text[cursor : block.start].strip(), (name, block)
            cursor = block.end
        assert not result.page_text[cursor:].strip(), name
        assert result.decoded.text == result.page_text


def test_hidden_elements_are_not_page_text():
    """Elements with `hidden` or display:none are not shown, so not read."""
    root = parse_page(
        "<html><body><p>Shown text here.</p><p hidden>Secret one</p>"
        '<div style="display: none">Secret two</div><template><p>Secret three</p></template>'
        "<p>Also <br>shown</p></body></html>"
    )
    assert render_page(root).text == "Shown text here.\n\nAlso\n\nshown"


# --- Kinds decided by the markup --------------------------------------------------------------


def test_news_page_furniture_is_found_by_its_markup():
    """Nav, share widget, caption, related list, newsletter, comments and footer are set aside;
    the story's paragraphs and subheading make the body."""
    result = page("news_page.html")
    kinds = kinds_of(result)
    assert kinds["Sport"] is Kind.BREADCRUMB
    assert kinds["Facebook Twitter Email"] is Kind.PROMO
    assert (
        kinds["Residents wade through a flooded street in Millbrook on Thursday morning."]
        is Kind.CAPTION
    )
    assert kinds["Council approves new flood defences after years of delay"] is Kind.PROMO
    assert kinds["Get the Courier's morning briefing in your inbox every day."] is Kind.PROMO
    assert kinds["riverwatcher"] is Kind.COMMENT
    assert kinds["About us"] is Kind.FOOTER  # the page footer ends the comment section
    body = body_lines(result)
    assert body[0] == "Floodwaters cut off valley towns as rivers burst banks"
    assert body[4] == "Roads closed"
    assert len(body) == 8
    assert all(line.endswith((".", '"', "”")) for i, line in enumerate(body) if i not in (0, 4))


def test_story_after_a_copyright_credit_is_not_footer():
    """A © picture credit mid-page opens no footer zone: the story after it stays."""
    result = page("credit_midpage.html")
    body = body_lines(result)
    assert body[0] == "Port strike enters second week"
    assert len(body) == 6
    assert body[-1].startswith("The city's mayor called on both sides")
    assert kinds_of(result)["© Harbour Times / John Smith"] is not Kind.PARAGRAPH


def test_main_content_lines_never_join_the_footer_zone():
    """With hints, a story line after a footer line stays in the story; without, it doesn't."""
    text = (
        "A headline about the harbour strike\n\n"
        "Dock workers stayed out on Tuesday, the union said in a statement.\n\n"
        "All rights reserved.\n\n"
        "More talks are planned for Friday"
    )
    last = text.index("More talks")
    plain = {b.text: b for b in extract(text).blocks}
    assert plain["More talks are planned for Friday"].kind is Kind.FOOTER
    hinted = extract(text, hints={last: LineHint(tag="p", main=True)})
    block = next(b for b in hinted.blocks if b.start == last)
    assert block.kind is Kind.PARAGRAPH
    assert block.in_body


def test_text_files_come_out_the_same_with_no_hints():
    """No hints and empty hints give exactly what extract gives a text file."""
    text = (FIXTURES.parent / "reuters_style.txt").read_text(encoding="utf-8")
    assert extract(text) == extract(text, hints=None) == extract(text, hints={})


# --- Metadata from the markup -------------------------------------------------------------------


def test_news_page_metadata_comes_from_the_markup():
    """Headline (no site suffix), published (not modified), authors (people, not "Staff")."""
    extraction = page("news_page.html").extraction
    assert extraction.title == "Floodwaters cut off valley towns as rivers burst banks"
    assert extraction.title_rule.startswith("html: <h1> matching")
    assert not extraction.title_derived
    assert extraction.published == datetime(
        2024, 10, 17, 8, 38, tzinfo=timezone(timedelta(hours=1))
    )
    assert extraction.published_rule == "html: JSON-LD datePublished"
    assert extraction.authors == ["Jane Doe", "Tom Roe"]
    assert extraction.byline_rule == "html: JSON-LD author"
    assert extraction.language == "en"
    assert extraction.outlet_key is None
    assert extraction.outlet_suggestion == "The Riverside Courier"
    assert extraction.outlet_suggestion_rule == "html: og:site_name"


def test_canonical_address_is_the_pages_url_unless_one_is_given():
    """The canonical link is the page's address; an address given wins."""
    assert page("news_page.html").url == "https://courier.example/news/2024/10/17/valley-floods"
    given = page("news_page.html", url="https://example.org/x")
    assert given.url == "https://example.org/x"


def test_arabic_page_is_right_to_left():
    """An Arabic page: language, direction, headline and story from the markup and text."""
    result = page("arabic_rtl.html")
    extraction = result.extraction
    assert extraction.language == "ar"
    assert extraction.direction == "rtl"
    assert extraction.title == "فيضانات تقطع الطرق في شمال البلاد"
    assert extraction.published == datetime(2024, 11, 3, 14, 20)
    assert extraction.authors == ["سارة أحمد"]
    assert extraction.outlet_suggestion == "صحيفة الوادي"
    assert len([b for b in extraction.blocks if b.kind is Kind.PARAGRAPH]) == 4
    assert kinds_of(result)["مشاركة فيسبوك تويتر"] is Kind.PROMO


def test_site_name_matches_a_known_outlet_and_an_agency_gets_its_own_page():
    """og:site_name naming a known outlet (an agency too) credits the page to it."""
    outlets = (
        OutletSignature("7", "Riverside Courier", ("The Riverside Courier", "courier.example")),
        OutletSignature("9", "Reuters", ("Reuters",), is_agency=True),
    )
    extraction = page("news_page.html", outlets=outlets).extraction
    assert extraction.outlet_key == "7"
    assert extraction.outlet_rule == "html: og:site_name “The Riverside Courier”"
    data = (FIXTURES / "news_page.html").read_bytes().replace(b"The Riverside Courier", b"Reuters")
    assert extract_html(data, outlets=outlets).extraction.outlet_key == "9"


def test_the_text_language_wins_over_a_template_lang_attribute():
    """A French story on a page marked lang="en": French, and the rule says why."""
    paragraphs = "".join(
        f"<p>Les habitants de la vallée ont quitté leurs maisons dans la nuit, et les secours "
        f"sont arrivés avec des bateaux pour aider les familles {n}.</p>"
        for n in range(5)
    )
    data = f'<html lang="en"><body><h1>Crue dans la vallée</h1>{paragraphs}</body></html>'
    extraction = extract_html(data.encode()).extraction
    assert extraction.language == "fr"
    assert "the text wins" in extraction.language_rule


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Floods cut off towns | The Courier", "The Courier", "Floods cut off towns"),
        ("Floods cut off towns - The Courier", "The Courier", "Floods cut off towns"),
        ("The Courier - Floods cut off towns", "The Courier", "Floods cut off towns"),
        ("Floods cut off towns | World | The Courier", "The Courier", "Floods cut off towns"),
        ("Floods - and fears - in the valley", "The Courier", "Floods - and fears - in the valley"),
        ("Floods cut off towns", "", "Floods cut off towns"),
    ],
)
def test_site_names_are_stripped_from_headlines(title, site, expected):
    """ " | Site name" suffixes and "Site name - " prefixes go; dashes inside a headline stay."""
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-17", date(2024, 10, 17)),
        ("2024-10-17T08:38", datetime(2024, 10, 17, 8, 38)),
        ("2024-10-17T08:38:00Z", datetime(2024, 10, 17, 8, 38, tzinfo=UTC)),
        (
            "2024-10-17T08:38:00.000+0300",
            datetime(2024, 10, 17, 8, 38, tzinfo=timezone(timedelta(hours=3))),
        ),
        ("2024-10-17T00:00:00+00:00", date(2024, 10, 17)),
        ("Thu, 17 Oct 2024 08:38:00 GMT", datetime(2024, 10, 17, 8, 38, tzinfo=UTC)),
        ("2024-13-45", None),
        ("yesterday", None),
    ],
)
def test_markup_dates_are_parsed_with_their_zone(value, expected):
    """ISO and RFC 2822 dates: zone kept when given, midnight read as the day only."""
    assert parse_date(value) == expected


def meta_of(head: str, body: str = ""):
    return read_meta(parse_page(f"<html><head>{head}</head><body>{body}</body></html>"))


def test_published_never_takes_the_modified_date():
    """article:modified_time and an "updated" <time> are never the publication date."""
    meta = meta_of(
        '<meta property="article:modified_time" content="2024-05-02T10:00:00Z">',
        '<time class="updated" datetime="2024-05-02T10:00">x</time>'
        '<time datetime="2024-05-01T09:15">1 May</time>',
    )
    assert meta.published == datetime(2024, 5, 1, 9, 15)
    assert meta.published_rule == "html: <time>"


def test_authors_are_people_before_desks_and_never_addresses():
    """Staff and site names only when no person is named; URLs and domains never."""
    staff = meta_of('<meta name="author" content="Courier Staff">')
    assert staff.authors == ["Courier Staff"]
    assert staff.authors_rule == "html: author (names no person)"
    both = meta_of('<meta name="author" content="Courier Staff, Jane Doe">')
    assert both.authors == ["Jane Doe"]
    urls = meta_of(
        '<meta property="article:author" content="https://facebook.com/courier">'
        '<meta name="author" content="courier.example">'
    )
    assert urls.authors == []


def test_markup_language_and_direction_are_read():
    """<html lang="uk-UA"> gives "uk"; dir on <html> gives the direction."""
    meta = read_meta(parse_page('<html lang="uk-UA" dir="rtl"><body><p>x</p></body></html>'))
    assert (meta.language, meta.language_rule) == ("uk", "html: <html lang>")
    assert (meta.direction, meta.direction_rule) == ("rtl", "html: <html dir>")


# --- Recognising and refusing pages -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("page.html", b"anything", True),
        ("PAGE.HTM", b"anything", True),
        ("page.txt", b"<!DOCTYPE html><html><body>x", True),
        ("page", b"\xef\xbb\xbf  <!-- saved -->\n<html lang=en>", True),
        ("page.txt", b"Floods cut off towns\n\n<html> in the text", False),
        ("page.txt", b"Plain text news file.", False),
    ],
)
def test_html_is_known_by_name_or_by_how_it_begins(name, data, expected):
    """.html/.htm names, or bytes that open with a doctype or <html> (after comments)."""
    assert looks_like_html(name, data) is expected


def test_page_url_comes_from_a_link_source_path():
    """A link import's source path gives the page's address (where it redirected to)."""
    assert page_url("https://a.example/x -> https://b.example/y") == "https://b.example/y"
    assert page_url("https://a.example/x") == "https://a.example/x"
    assert page_url("/home/me/pages/x.html") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"<html>\x00\x01\x02</html>", "binary"),
        (b"Just a line of text with no markup at all.", "not an HTML page"),
        (b"<html><head><title>x</title></head><body></body></html>", NO_ARTICLE),
    ],
)
def test_bad_pages_are_refused_with_a_one_line_reason(data, message):
    """Empty, binary, markup-free and text-free pages raise IngestError saying why."""
    with pytest.raises(IngestError, match=message) as excinfo:
        extract_html(data)
    assert "\n" not in str(excinfo.value)


def test_a_page_with_no_article_is_refused():
    """An error page (navigation, a one-line apology, a footer) is not an article."""
    with pytest.raises(IngestError, match=f"^{NO_ARTICLE}$"):
        page("not_found.html")


def test_an_oversized_page_is_refused():
    """A page over the byte limit is refused before it is read."""
    with pytest.raises(IngestError, match="over the limit"):
        extract_html((FIXTURES / "news_page.html").read_bytes(), max_bytes=1000)


def test_a_furniture_word_on_the_storys_own_wrapper_is_ignored():
    """class="article ad-marker" around the story marks no furniture: the story stays."""
    story = "".join(
        f"<p>Dock workers stayed out for a {n}th day on Tuesday, leaving ships waiting at "
        f"anchor outside the harbour while talks with the operator stalled again.</p>"
        for n in range(4, 9)
    )
    data = (
        '<html lang="en"><body><article class="article ad-marker"><h1>Port strike goes on</h1>'
        f"<div>Harbour desk</div>{story}</article>"
        '<div class="ad-slot"><p>Buy our boats today</p></div></body></html>'
    )
    result = extract_html(data.encode())
    assert len([b for b in result.extraction.blocks if b.kind is Kind.PARAGRAPH]) >= 5
    kinds = kinds_of(result)
    assert kinds["Harbour desk"] is not Kind.PROMO  # left to the text rules
    assert kinds["Buy our boats today"] is Kind.PROMO


def test_what_the_main_content_extractor_left_out_is_set_aside():
    """Between story lines: a run of left-out lines (a gallery) and a short left-out line (a
    caption); after them: all but long running text. Before them: nothing changes."""
    story = "Crews worked through the night as the rivers rose, the council said on Friday."
    lines = [
        ("Valley towns cut off by floods", "h1", False),
        ("The standfirst says what happened in one line", "p", False),
        (story, "p", True),
        (story.replace("Crews", "Boats"), "p", True),
        ("Residents on the high street", "p", False),  # a caption
        (story.replace("Crews", "Teams"), "p", True),
        *((f"Slide {n}: water in the street, seen from the bridge.", "p", False) for n in range(4)),
        (story.replace("Crews", "Pumps"), "p", True),
        ("Author Jane Doe", "li", False),
        ("Keywords floods, valley", "li", False),
    ]
    text = "\n\n".join(line for line, _, _ in lines)
    hints, cursor = {}, 0
    for line, tag, main in lines:
        hints[cursor] = LineHint(tag=tag, main=main)
        cursor += len(line) + 2
    kinds = {b.text: b.kind for b in extract(text, hints=hints).blocks}
    assert kinds["The standfirst says what happened in one line"] is not Kind.PROMO
    assert kinds["Residents on the high street"] is Kind.CAPTION
    assert kinds["Slide 2: water in the street, seen from the bridge."] is Kind.PROMO
    assert kinds["Author Jane Doe"] is Kind.PROMO
    assert kinds["Keywords floods, valley"] is Kind.PROMO
    assert list(kinds.values()).count(Kind.PARAGRAPH) >= 4
