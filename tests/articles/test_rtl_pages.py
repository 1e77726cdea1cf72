"""Right-to-left and other scripts on the server-rendered pages: `lang` and `dir` on the
article's container and title and on every block that differs from it, in the reading, source,
compare, list and search views; logical CSS properties; readable slugs for non-Latin titles."""

import re
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.services import article_import
from tests.factories import make_articles

pytestmark = pytest.mark.django_db

RTL_DATA = Path(__file__).resolve().parent.parent / "data" / "rtl"
ENGLISH_QUOTE = "This plan is a sensible first step"
ARABIC_WORD = "الحافلات"


def import_fixture(name: str) -> Article:
    return article_import(name=name, data=(RTL_DATA / name).read_bytes()).article


@pytest.fixture
def arabic() -> Article:
    """A few Arabic paragraphs, one of them an English quote (tests/data/rtl)."""
    return import_fixture("ar_city_buses.txt")


@pytest.fixture
def ukrainian() -> Article:
    return import_fixture("uk_title.txt")


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def inherited(el, attr: str) -> str | None:
    """The value of `lang` or `dir` that applies to an element: its own or its nearest
    ancestor's (None when nothing sets it)."""
    for node in (el, *el.iterancestors()):
        if node.get(attr) is not None:
            return node.get(attr)
    return None


def expected(article: Article, block) -> tuple[str, str]:
    return (block.language or article.language, block.direction or article.direction)


def test_the_fixture_imports_as_arabic_with_one_english_block(arabic):
    """The ingest engine reads the fixture as Arabic, right to left, with the quote in English."""
    assert (arabic.language, arabic.direction) == ("ar", "rtl")
    differing = [
        (b.language, b.direction, b.text[: len(ENGLISH_QUOTE) + 1])
        for b in arabic.current_revision.blocks.all()
        if b.language or b.direction
    ]
    assert differing == [("en", "ltr", f'"{ENGLISH_QUOTE}')]


def test_reading_view_sets_lang_and_dir_on_the_body_and_on_differing_blocks(client, arabic):
    """The story container carries the article's lang/dir; only the English block its own."""
    doc = page(client, arabic.get_absolute_url())
    (body,) = doc.xpath('//*[@id="article-body"]')
    assert (body.get("lang"), body.get("dir")) == ("ar", "rtl")
    blocks = {b.body_start: b for b in arabic.current_revision.blocks.readable()}
    elements = body.xpath('.//*[contains(@class, "blk-text")]')
    assert len(elements) == len(blocks)
    for el in elements:
        block = blocks[int(el.get("data-start"))]
        assert (inherited(el, "lang"), inherited(el, "dir")) == expected(arabic, block)
        # Only a block that differs repeats lang/dir: an Arabic block inherits them.
        assert (el.get("lang") is not None) == bool(block.language)
    (quote,) = body.xpath(f'.//p[contains(., "{ENGLISH_QUOTE}")]')
    assert (quote.get("lang"), quote.get("dir")) == ("en", "ltr")
    (title,) = doc.xpath('//h1[@id="article-title"]')
    assert (inherited(title, "lang"), inherited(title, "dir")) == ("ar", "rtl")
    # The site's own words around the article stay English, left to right.
    assert doc.get("lang") == "en"
    assert inherited(doc.xpath('//*[@class="reading__tools"]')[0], "dir") is None


def test_an_english_article_is_marked_english_left_to_right(client, seeds):
    """The seeds read as before, their body marked lang="en" dir="ltr" with no block apart."""
    doc = page(client, seeds["004"].get_absolute_url())
    (body,) = doc.xpath('//*[@id="article-body"]')
    assert (body.get("lang"), body.get("dir")) == ("en", "ltr")
    assert body.xpath('.//*[contains(@class, "blk-text")][@dir or @lang]') == []


def test_source_view_marks_the_raw_text_and_the_extracted_blocks(client, arabic):
    """Raw pieces and extracted blocks carry lang/dir; the rule tooltips stay English."""
    doc = page(client, reverse("articles:source", args=[arabic.slug]))
    (raw,) = doc.xpath('//div[@class="raw"]')
    (extracted,) = doc.xpath('//div[@class="extracted"]')
    for container in (raw, extracted):
        assert (container.get("lang"), container.get("dir")) == ("ar", "rtl")
    (piece,) = raw.xpath(f'.//span[contains(@class, "blk")][contains(., "{ENGLISH_QUOTE}")]')
    assert (piece.get("lang"), piece.get("dir")) == ("en", "ltr")
    (paragraph,) = extracted.xpath(f'.//p[contains(., "{ENGLISH_QUOTE}")]')
    assert (paragraph.get("lang"), paragraph.get("dir")) == ("en", "ltr")
    tips = raw.xpath('.//span[@class="why"]')
    assert tips
    assert {(t.get("lang"), t.get("dir")) for t in tips} == {("en", "ltr")}
    tags = extracted.xpath('.//span[@class="kind-tag"]')
    assert {(t.get("lang"), t.get("dir")) for t in tags} == {("en", "ltr")}
    (link,) = doc.xpath("//h1/a")
    assert (link.get("lang"), link.get("dir")) == ("ar", "rtl")


def test_compare_columns_carry_their_own_article_language(client, arabic, ukrainian):
    """An Arabic and a Ukrainian column: each body and title in its own lang/dir."""
    url = f"{reverse('articles:compare')}?articles={arabic.slug},{ukrainian.slug}"
    doc = page(client, url)
    columns = {}
    for column in doc.xpath('//section[contains(@class, "cmp-col")]'):
        (body,) = column.xpath('.//div[contains(@class, "cmp-col__body")]')
        (title,) = column.xpath('.//h2[contains(@class, "cmp-col__title")]')
        assert (title.get("lang"), title.get("dir")) == (body.get("lang"), body.get("dir"))
        columns[body.get("lang")] = body
    assert {lang: body.get("dir") for lang, body in columns.items()} == {
        "ar": "rtl",
        "uk": "ltr",
    }
    (quote,) = columns["ar"].xpath(f'.//p[contains(., "{ENGLISH_QUOTE}")]')
    assert (quote.get("lang"), quote.get("dir")) == ("en", "ltr")
    badges = doc.xpath('//section[contains(@class, "cmp-col")]//span[@class="cmp-only-badge"]')
    assert badges
    assert {(b.get("lang"), b.get("dir")) for b in badges} == {("en", "ltr")}
    # The picker lists each title in its own language.
    picker = {
        el.text: (el.get("lang"), el.get("dir"))
        for el in doc.xpath('//ul[@class="compare-picker__list"]//bdi')
    }
    assert picker[arabic.title] == ("ar", "rtl")
    assert picker[ukrainian.title] == ("uk", "ltr")


def test_list_titles_carry_their_language(client, arabic, ukrainian, seeds):
    """Each title on the list is marked with its article's lang and dir."""
    doc = page(client, reverse("articles:list"))
    titles = {
        a.text: (a.get("lang"), a.get("dir")) for a in doc.xpath('//td[@data-label="Title"]/a[1]')
    }
    assert titles[arabic.title] == ("ar", "rtl")
    assert titles[ukrainian.title] == ("uk", "ltr")
    assert titles[seeds["004"].title] == ("en", "ltr")


def test_search_results_carry_the_article_language(client, arabic):
    """An Arabic hit's title and snippet are marked Arabic, right to left."""
    doc = page(client, f"{reverse('articles:search')}?q={ARABIC_WORD}")
    (result,) = doc.xpath('//li[contains(@class, "search-result--article")]')
    (title,) = result.xpath(".//h2/a")
    (snippet,) = result.xpath('.//p[@class="search-result__snippet"]')
    assert ARABIC_WORD in snippet.text_content()
    for el in (title, snippet):
        assert (el.get("lang"), el.get("dir")) == ("ar", "rtl")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("view", ["articles:list", "articles:compare"])
def test_reading_the_language_costs_no_query_per_article(client, view):
    """The list and the compare picker load lang/dir with the titles (no deferred loads)."""
    settings.ASTANA_ARTICLES_PER_PAGE = 50
    import_fixture("ar_city_buses.txt")
    make_articles(2)
    few = queries(client, reverse(view))
    import_fixture("uk_title.txt")
    make_articles(10, start=2)
    assert queries(client, reverse(view)) == few


# --- Stylesheets ----------------------------------------------------------------------------

STYLESHEETS = ["site.css", "compare.css", "annotator.css"]
PHYSICAL = re.compile(
    r"(?<![-\w])(?:(?:border|padding|margin)-(?:left|right)(?:-\w+)?\s*:|"
    r"text-align:\s*(?:left|right)\b)"
)
# Site chrome that is always laid out left to right (the page itself is English).
CHROME = re.compile(
    r"^\s*(?:\.skip-link|\.kbd-caret|\.caret-hint|\.colour-pick legend|\.combo__list|"
    r"\.account-form|\.toolbar|@media)"
)


@pytest.mark.parametrize("name", STYLESHEETS)
def test_stylesheets_lay_out_text_with_logical_properties(name):
    """Borders, paddings, margins and alignment around text follow its direction."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / name).read_text(encoding="utf-8")
    physical = [
        line.strip()[:80]
        for line in css.splitlines()
        if PHYSICAL.search(line) and not CHROME.match(line)
    ]
    assert physical == [], "use margin-inline-start, border-inline-start, text-align: start…"


# --- Slugs ----------------------------------------------------------------------------------


def test_non_latin_titles_give_readable_latin_slugs(arabic, ukrainian):
    """Arabic and Ukrainian titles are transliterated, not reduced to digits or the file name."""
    assert ukrainian.slug == "uryad-ukhvaliv-novu-programu-pidtrimki-fermeriv"
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+){4,}", arabic.slug), arabic.slug
    assert "txt" not in arabic.slug  # not made from the file name
    dated = article_import(
        name="dated.txt",
        data="23 січня 2017 р. уряд ухвалив програму\n\nКабінет міністрів ухвалив програму "
        "підтримки фермерів у південних областях.\n".encode(),
    ).article
    assert re.search(r"[a-z]{4}", dated.slug), dated.slug
    assert dated.slug != "23-2017"
