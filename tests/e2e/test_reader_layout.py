"""Where the reader's tools sit: the toolbar and the forms never cover the selected words, the
line above them, the card being replied to or the sidebar's filters; the sidebar starts with
cards; on a phone the sidebar is a bottom sheet opened by a button.

Rectangles are read from the page (getClientRects) at the same moment and compared; the
selection's own rectangles come from the pending highlight, which stays while a form is open.
Set SCREENSHOT_DIR to keep a picture of each layout.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation

from .test_annotating import (  # noqa: F401 (fixtures)
    ALLOUSH,
    CEASEFIRE,
    HEAD_OF_OFFICE,
    alice,
    alice_page,
    annotate,
    bob,
    card_for,
    drag_select,
    make_user,
    open_article,
    toolbar,
)

pytestmark = pytest.mark.e2e

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Two lines or more in the text column at both sizes.
LONG = (
    "the head of the political office of the so-called Jaish al-Islam militant group, said on "
    "Monday that the militants took the decision"
)

PENDING_RECTS_JS = """
() => {
  const highlight = CSS.highlights.get('annotator-pending');
  if (!highlight) return [];
  const range = [...highlight][0];
  return [...range.getClientRects()].filter((r) => r.width && r.height)
    .map((r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }));
}
"""

LINE_ABOVE_JS = """
() => {
  // The line of text just above the selection's first line, across the text column.
  const range = [...CSS.highlights.get('annotator-pending')][0];
  const first = [...range.getClientRects()].find((r) => r.width && r.height);
  const column = document.getElementById('article-body').getBoundingClientRect();
  const top = first.top - first.height;
  return { left: column.left, right: column.right, top, bottom: first.top };
}
"""


def rect(locator) -> dict:
    box = locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; }"
    )
    assert box["right"] > box["left"], "not rendered"
    assert box["bottom"] > box["top"], "not rendered"
    return box


def overlap(a: dict, b: dict) -> bool:
    """Do two rectangles share any area (touching edges do not count)?"""
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


def assert_clear(name: str, box: dict, others: list[dict]) -> None:
    for other in others:
        assert not overlap(box, other), f"{name} {box} covers {other}"


def snap(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"h1_{name}.png"))


@pytest.fixture
def sized_page(make_page, seeded, alice, sign_in):  # noqa: F811
    def _make(viewport: dict) -> Page:
        page = make_page(viewport)
        sign_in(page, alice)
        return page

    return _make


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280x900", "390x844"])
def test_toolbar_and_forms_never_cover_the_selection(sized_page, seeded, viewport):
    """The toolbar sits below the selection (not over it or the line above), and the comment
    and claim forms cover neither the selected words nor, on a wide screen, the Kind filter."""
    page = sized_page(viewport)
    open_article(page, seeded["004"])
    wide = viewport is WIDE
    if wide:
        page.locator("#sidebar-tools > summary").click()
        kind = page.locator("#card-filters select[name=motivation]")
        expect(kind).to_be_visible()
    drag_select(page, LONG)
    selected = page.evaluate(PENDING_RECTS_JS)
    assert len(selected) >= 2, "the phrase should run over two lines"
    bar = rect(toolbar(page))
    assert_clear("toolbar", bar, [*selected, page.evaluate(LINE_ABOVE_JS)])
    if wide:
        assert_clear("toolbar", bar, [rect(kind)])
    snap(page, f"toolbar_{viewport['width']}")

    for action, form_name in (
        ("Comment", "Comment on the selection"),
        ("Claim", "Mark the selection as a claim"),
    ):
        toolbar(page).get_by_role("button", name=action).click()
        form = page.get_by_role("form", name=form_name)
        expect(form).to_be_visible()
        selected = page.evaluate(PENDING_RECTS_JS)
        box = rect(form)
        assert_clear(f"{action} form", box, selected)
        assert_clear("toolbar", rect(toolbar(page)), selected)
        if wide:
            # Beside the text: in the sidebar, never over the text column or the filters.
            assert box["left"] >= rect(page.locator("#article-body"))["right"]
            assert_clear(f"{action} form", box, [rect(kind)])
            expect(
                page.locator("#annotation-sidebar").get_by_role("form", name=form_name)
            ).to_be_visible()
        snap(page, f"{action.lower()}_{viewport['width']}")


def test_comment_form_leaves_the_card_being_replied_to_visible(sized_page, seeded, bob):  # noqa: F811
    """Replying to a card and then commenting on the text: the new form pushes the cards down
    rather than covering the card with its open reply form."""
    article = seeded["004"]
    theirs = annotate(bob, article, CEASEFIRE, motivation="commenting", note="Bob's note")
    page = sized_page(WIDE)
    open_article(page, article)
    card = card_for(page, theirs)
    card.get_by_role("button", name="Reply").click()
    expect(page.get_by_label("Your reply")).to_be_focused()
    drag_select(page, HEAD_OF_OFFICE)
    bar = rect(toolbar(page))
    assert_clear("toolbar", bar, [rect(card)])
    toolbar(page).get_by_role("button", name="Comment").click()
    form = page.get_by_role("form", name="Comment on the selection")
    expect(form).to_be_visible()
    card.scroll_into_view_if_needed()
    assert_clear("comment form", rect(form), [rect(card), *page.evaluate(PENDING_RECTS_JS)])
    assert_clear("toolbar", rect(toolbar(page)), [rect(card)])
    snap(page, "reply_and_comment_1280")


def test_sidebar_starts_with_cards(sized_page, seeded, alice, bob):  # noqa: F811
    """Legend and filters fold into one line ("Filters · Legend", beside the heading, with the
    number of active filters): under the layer's line (what is shown, and where new
    annotations go: issue 18), the tabs and the one-line page notes row, the first card starts
    within about 160 px of the sidebar's top (it was 430 px; 120 px before the layer line)."""
    article = seeded["004"]
    annotate(alice, article, ALLOUSH, colour="green", tags=["people"])
    annotate(bob, article, CEASEFIRE, motivation="commenting", note="A note")
    annotate(alice, article, HEAD_OF_OFFICE, colour="blue")
    page = sized_page(WIDE)
    open_article(page, article)
    snap(page, "sidebar_1280")
    sidebar = rect(page.locator("#annotation-sidebar"))
    first = rect(page.locator("#panel-cards .cards .card").first)
    assert first["top"] - sidebar["top"] <= 160, first["top"] - sidebar["top"]
    summary = page.locator("#sidebar-tools > summary")
    expect(summary).to_have_text("Filters · Legend")
    assert rect(summary)["bottom"] - rect(summary)["top"] < 32  # one line
    expect(page.locator("#card-filters select[name=motivation]")).to_be_hidden()

    summary.click()
    page.locator("#card-filters select[name=colour]").select_option("green")
    page.locator("#card-filters").get_by_label("Only mine").check()
    expect(summary).to_have_text("Filters · Legend (2 active)")
    summary.click()  # folded again, the count still says the list is filtered
    expect(summary).to_have_text("Filters · Legend (2 active)")
    expect(page.locator("#panel-cards .cards > li:not([hidden]) > .card")).to_have_count(1)


def test_phone_sidebar_is_a_bottom_sheet(sized_page, seeded, alice):  # noqa: F811
    """On a phone the cards are one tap away: a fixed "Annotations (N)" button opens a sheet
    (focus moves in, stays in, Escape or the close button closes it, focus returns)."""
    article = seeded["004"]
    mine = annotate(alice, article, ALLOUSH, motivation="commenting", note="On the phone")
    page = sized_page(PHONE)
    open_article(page, article)
    button = page.get_by_role("button", name="Annotations (1)")
    expect(button).to_be_visible()
    expect(button).to_be_in_viewport()
    expect(card_for(page, mine)).to_be_hidden()
    snap(page, "phone_closed")

    button.click()
    sheet = page.get_by_role("dialog", name="Annotations (1)")
    expect(sheet).to_be_visible()
    expect(card_for(page, mine)).to_be_in_viewport()
    expect(page.locator("#sidebar-heading")).to_be_focused()
    box = rect(sheet)
    assert box["bottom"] <= PHONE["height"] + 1
    assert box["top"] > 0
    snap(page, "phone_sheet")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(button).to_be_focused()

    # The keyboard alone: Enter opens, Tab stays inside, the close button closes.
    page.keyboard.press("Enter")
    expect(sheet).to_be_visible()
    for _ in range(25):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "() => document.getElementById('annotation-sheet').contains(document.activeElement)"
        ), "focus left the open sheet"
    page.get_by_role("button", name="Close the annotations").click()
    expect(sheet).to_be_hidden()
    expect(button).to_be_focused()

    # Enter on a highlight opens the sheet at its card; "Show in text" makes way for the text.
    page.locator(f"#hl-{mine.pk}").focus()
    page.keyboard.press("Enter")
    expect(card_for(page, mine)).to_be_focused()
    expect(sheet).to_be_visible()
    card_for(page, mine).get_by_role("button", name="Show in text").click()
    expect(sheet).to_be_hidden()
    expect(page.locator(f"#hl-{mine.pk}")).to_be_focused()
    assert Annotation.objects.count() == 1
