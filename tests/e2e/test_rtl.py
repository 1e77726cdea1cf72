"""Right-to-left text in a real browser: an Arabic article (with one English quote) reads right
to left in the reading, source and compare views, at desktop and phone widths, and a reader
can select Arabic words, highlight them and find the highlight on the same words after reload.

Selections are mouse drags from the first letter to the last as the reader sees them: in
Arabic the first letter is at the right. Nothing sleeps: every step waits for a condition.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from articles.models import Article
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

from .helpers import detail_url, source_url

pytestmark = pytest.mark.e2e

RTL_DATA = Path(__file__).resolve().parent.parent / "data" / "rtl"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(DESKTOP, id="1280x900"), pytest.param(PHONE, id="390x844")]

ARABIC_PHRASE = "شبكة الحافلات العامة"  # in the first paragraph
ARABIC_TITLE_START = "مجلس المدينة"
PARAGRAPH_START = "وقال رئيس المجلس"  # the start of the second paragraph, at its right edge
ENGLISH_QUOTE = "This plan is a sensible first step"
ENGLISH_PHRASE = "sensible first step"

# The viewport rectangles of a phrase's first and last letters in the article body, and the
# block's direction, for a drag from the one to the other.
PHRASE_JS = """
(phrase) => {
  for (const block of document.querySelectorAll('#article-body .blk-text')) {
    const at = block.textContent.indexOf(phrase);
    if (at < 0) continue;
    const point = (offset) => {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (offset < node.data.length) return [node, offset];
        offset -= node.data.length;
      }
      return null;
    };
    const letter = (offset) => {
      const [node, index] = point(offset);
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      const r = range.getClientRects()[0];
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    block.scrollIntoView({ block: 'center' });
    return {
      rtl: getComputedStyle(block).direction === 'rtl',
      first: letter(at),
      last: letter(at + phrase.length - 1),
    };
  }
  return null;
}
"""

# For each readable block: its direction, alignment, and where its first and last letters and
# its own box lie (the first letter of right-to-left text is at its right edge).
BLOCKS_JS = """
(root) => Array.from(root.querySelectorAll('.blk-text, .cmp-blk, .extracted p')).map((el) => {
  const style = getComputedStyle(el);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest('.cmp-only-badge, .cmp-why, .kind-tag')) nodes.push(n);
  }
  const rect = (node, index) => {
    const range = document.createRange();
    range.setStart(node, index);
    range.setEnd(node, index + 1);
    return range.getClientRects()[0];
  };
  const firstNode = nodes.find((n) => n.data.trim());
  const lastNode = [...nodes].reverse().find((n) => n.data.trim());
  const firstAt = firstNode.data.search(/\\S/);
  const lastAt = lastNode.data.trimEnd().length - 1;
  const box = el.getBoundingClientRect();
  // A compare block may open with its "only here" badge: the line starts there.
  const badge = el.querySelector(':scope > .cmp-only-badge');
  const first = badge ? badge.getBoundingClientRect() : rect(firstNode, firstAt);
  const last = rect(lastNode, lastAt);
  const beforeLast = lastAt > 0 ? rect(lastNode, lastAt - 1) : last;
  return {
    text: el.textContent.trim().slice(0, 40),
    lastChar: lastNode.data[lastAt],
    direction: style.direction,
    align: style.textAlign,
    lang: el.closest('[lang]').getAttribute('lang'),
    left: box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
    right: box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
    first: { left: first.left, right: first.right },
    last: { left: last.left, right: last.right, top: last.top },
    beforeLast: { left: beforeLast.left, right: beforeLast.right, top: beforeLast.top },
  };
})
"""


@pytest.fixture
def rtl_articles(live_server, transactional_db, django_db_serialized_rollback) -> dict:
    """The Arabic fixture and one English seed (Press TV), in the live server's database."""
    arabic = article_import(
        name="ar_city_buses.txt", data=(RTL_DATA / "ar_city_buses.txt").read_bytes()
    ).article
    english = article_import(name=SEED_NAMES["004"], data=seed_path("004").read_bytes()).article
    assert (arabic.language, arabic.direction) == ("ar", "rtl")
    return {"arabic": arabic, "english": english}


@pytest.fixture
def reader(make_page, rtl_articles, django_user_model, live_server):
    """A page factory signed in as a reader (a session made with Client.force_login)."""
    user = django_user_model.objects.create_user("rania", password="a-long-test-password-1")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    def _make(viewport: dict[str, int]) -> Page:
        page = make_page(viewport=viewport)
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return page

    return _make


def assert_no_horizontal_overflow(page: Page) -> None:
    size = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert size["scroll"] <= size["client"], (
        f"the page is {size['scroll']}px wide in a {size['client']}px viewport"
    )


def assert_laid_out_by_language(blocks: list[dict], *, rtl: str = "ar") -> None:
    """Arabic blocks run right to left, start at the right and end with their full stop at
    the left; other blocks run left to right from the left edge."""
    assert blocks
    for block in blocks:
        where = f"{block['text']!r}"
        if block["lang"] == rtl:
            assert block["direction"] == "rtl", where
            assert block["align"] in ("start", "right"), where
            assert abs(block["first"]["right"] - block["right"]) <= 2, where  # right-aligned
            if block["lastChar"] in ".:" and block["last"]["top"] == block["beforeLast"]["top"]:
                # Punctuation at the end of the sentence stands at its left end.
                assert block["last"]["right"] <= block["beforeLast"]["left"] + 1, where
        else:
            assert block["direction"] == "ltr", where
            assert abs(block["first"]["left"] - block["left"]) <= 2, where


def open_article(page: Page, article: Article) -> None:
    page.goto(detail_url(article))
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)


def drag_select(page: Page, phrase: str) -> dict:
    """Drag over a phrase from its first letter to its last as they appear on screen."""
    found = page.evaluate(PHRASE_JS, phrase)
    assert found, f"{phrase!r} is not in the article body"
    first, last = found["first"], found["last"]
    x1, x2 = (
        (first["right"] - 1, last["left"] + 1)
        if found["rtl"]
        else (
            first["left"] + 1,
            last["right"] - 1,
        )
    )
    page.mouse.move(x1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(x2, (last["top"] + last["bottom"]) / 2, steps=8)
    page.mouse.up()
    assert page.evaluate("() => getSelection().toString()") == phrase
    expect(page.locator("#annotator-pop")).to_be_visible()
    return found


def highlight_and_check(
    page: Page, article: Article, phrase: str, count: int, *, sheet: bool = False
) -> Annotation:
    """Highlight the selection yellow; the stored quote and offsets are the phrase's. With
    sheet (a phone), the sidebar is a bottom sheet: it is opened to see the count, then shut."""
    bar = page.get_by_role("toolbar", name="Annotate the selected text")
    bar.get_by_role("button", name=re.compile(r"^Highlight yellow")).click()
    expect(bar).to_be_hidden()
    if sheet:
        page.get_by_role("button", name=f"Annotations ({count})").click()
        dialog = page.get_by_role("dialog", name=f"Annotations ({count})")
        expect(dialog).to_be_visible()
    expect(page.get_by_role("tab", name=f"In the text ({count})")).to_be_visible()
    if sheet:
        page.get_by_role("button", name="Close the annotations").click()
        expect(dialog).to_be_hidden()
    annotation = Annotation.objects.get(exact=phrase)
    body = article.current_revision.body
    assert body[annotation.start : annotation.end] == phrase
    return annotation


@pytest.mark.parametrize("viewport", SIZES)
def test_arabic_reads_right_to_left_and_highlights_stay_on_the_words(
    reader, rtl_articles, viewport
):
    """Arabic paragraphs run right to left (the English quote left to right); a mouse selection
    of Arabic words shows the toolbar beside it, on screen; the highlight stores the words'
    quote and offsets, and after reload its <mark> holds exactly those words."""
    arabic = rtl_articles["arabic"]
    page = reader(viewport)
    open_article(page, arabic)
    body = page.locator("#article-body")
    expect(body).to_have_attribute("dir", "rtl")
    expect(body).to_have_attribute("lang", "ar")
    blocks = body.evaluate(BLOCKS_JS)
    assert {b["lang"] for b in blocks} == {"ar", "en"}
    assert_laid_out_by_language(blocks)
    assert_no_horizontal_overflow(page)

    found = drag_select(page, ARABIC_PHRASE)
    pop = page.locator("#annotator-pop").bounding_box()
    width = viewport["width"]
    assert pop["x"] >= 0, pop  # on screen
    assert pop["x"] + pop["width"] <= width, pop
    first, last = found["first"], found["last"]
    # Beside the selection: above its first line or below its last, overlapping it sideways.
    above = abs(pop["y"] + pop["height"] - first["top"]) <= 16
    below = abs(pop["y"] - last["bottom"]) <= 16
    assert above or below, (pop, found)
    span = (min(first["left"], last["left"]), max(first["right"], last["right"]))
    assert pop["x"] < span[1], (pop, span)
    assert pop["x"] + pop["width"] > span[0], (pop, span)

    phone = viewport is PHONE  # the sidebar is a bottom sheet, shut until opened
    annotation = highlight_and_check(page, arabic, ARABIC_PHRASE, 1, sheet=phone)
    mark = page.locator(f"#article-body mark[data-ids~='{annotation.pk}']")
    expect(mark).to_have_text(ARABIC_PHRASE)

    # A phrase of the English quote in the same article lands on its own words too.
    drag_select(page, ENGLISH_PHRASE)
    english = highlight_and_check(page, arabic, ENGLISH_PHRASE, 2, sheet=phone)

    page.reload()
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)
    marks = page.locator("#article-body mark.hl")
    expect(marks).to_have_count(2)
    mark = page.locator(f"#article-body mark[data-ids~='{annotation.pk}']")
    expect(mark).to_have_text(ARABIC_PHRASE)
    assert mark.evaluate("el => getComputedStyle(el).direction") == "rtl"
    expect(page.locator(f"#article-body mark[data-ids~='{english.pk}']")).to_have_text(
        ENGLISH_PHRASE
    )
    assert_no_horizontal_overflow(page)


def test_the_toolbar_hangs_from_the_start_of_an_arabic_selection(reader, rtl_articles):
    """Where there is room, the toolbar's right edge meets the selection's first letter (at
    its right), as its left edge meets the first letter of a left-to-right selection."""
    page = reader({"width": 1600, "height": 900})
    open_article(page, rtl_articles["arabic"])
    for phrase, rtl in ((PARAGRAPH_START, True), (ENGLISH_PHRASE, False)):
        found = drag_select(page, phrase)
        assert found["rtl"] is rtl
        pop = page.locator("#annotator-pop").bounding_box()
        first = found["first"]
        assert pop["x"] > 8, pop  # not pushed back on screen: placed where it belongs
        edge = pop["x"] + pop["width"] if rtl else pop["x"]
        assert abs(edge - (first["right"] if rtl else first["left"])) <= 2, (phrase, pop, first)
        page.keyboard.press("Escape")
        expect(page.locator("#annotator-pop")).to_be_hidden()


def test_keyboard_selection_moves_in_reading_order_in_arabic(reader, rtl_articles):
    """In right-to-left text Ctrl+Shift+Left selects the next words (the ones to the left)."""
    page = reader(DESKTOP)
    open_article(page, rtl_articles["arabic"])
    body = page.locator("#article-body")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id === 'article-body'"):
            break
    expect(body).to_be_focused()
    page.keyboard.press("Control+Shift+ArrowLeft")
    page.keyboard.press("Control+Shift+ArrowLeft")
    assert page.evaluate("() => getSelection().toString().trim()") == ARABIC_TITLE_START
    expect(page.get_by_role("toolbar", name="Annotate the selected text")).to_be_visible()


@pytest.mark.parametrize("viewport", SIZES)
def test_source_view_lays_out_arabic_right_to_left(make_page, rtl_articles, viewport):
    """The raw file and the extracted article run right to left, the English quote left to
    right, and the page does not scroll sideways."""
    page = make_page(viewport=viewport)
    page.goto(source_url(rtl_articles["arabic"]))
    raw = page.locator(".raw")
    expect(raw).to_have_attribute("dir", "rtl")
    assert raw.evaluate("el => getComputedStyle(el).direction") == "rtl"
    quote = raw.locator(".blk", has_text=ENGLISH_QUOTE)
    assert quote.evaluate("el => getComputedStyle(el).direction") == "ltr"
    extracted = page.locator(".extracted")
    assert_laid_out_by_language(extracted.evaluate(BLOCKS_JS))
    # The tinted edge of each extracted block is on the side the text starts from.
    edges = extracted.locator(".extracted__block").first.evaluate(
        "el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]"
    )
    assert edges == ["4px", "0px"]
    assert_no_horizontal_overflow(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_compare_view_has_an_arabic_and_an_english_column(make_page, rtl_articles, viewport):
    """Side by side, the Arabic column runs right to left and the English one left to right."""
    arabic, english = rtl_articles["arabic"], rtl_articles["english"]
    page = make_page(viewport=viewport)
    page.goto(f"/compare/?articles={arabic.slug},{english.slug}")
    columns = page.locator(".cmp-col")
    expect(columns).to_have_count(2)
    seen = {}
    for n in range(2):
        column = columns.nth(n)
        if not column.is_visible():  # phones show one column at a time, under tabs
            page.get_by_role("tab").nth(n).click()
            expect(column).to_be_visible()
        body = column.locator(".cmp-col__body")
        lang = body.get_attribute("lang")
        seen[lang] = body.evaluate("el => getComputedStyle(el).direction")
        assert_laid_out_by_language(body.evaluate(BLOCKS_JS))
        title = column.locator(".cmp-col__title")
        assert title.evaluate("el => getComputedStyle(el).direction") == seen[lang]
        assert_no_horizontal_overflow(page)
    assert seen == {"ar": "rtl", "en": "ltr"}
