"""The source view in a real browser: keyboard access to the raw blocks, tooltips, legend."""

import re

import pytest
from playwright.sync_api import Page, expect

from articles.ingest import Kind

from .helpers import source_url

pytestmark = pytest.mark.e2e

IS_RAW_BLOCK = "() => document.activeElement.matches('.raw .blk')"


def tab_until(page: Page, predicate: str, limit: int) -> int:
    """Press Tab until the JS predicate holds for the focused element; return how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return presses
    pytest.fail(f"{limit} presses of Tab never reached an element where {predicate}")


def test_keyboard_reaches_raw_blocks_and_shows_why(page: Page, seeded):
    """With Tab alone you reach the raw blocks; a focused caption shows the rule that decided it."""
    article = seeded["004"]
    caption_rule = (
        article.current_revision.blocks.filter(kind=Kind.CAPTION).order_by("start").first().rule
    )
    page.goto(source_url(article))
    blocks = page.locator(".raw .blk")
    caption = page.locator(".raw .blk.kind-caption").first
    tooltip = caption.locator(".why")
    expect(tooltip).to_be_hidden()
    limit = page.locator("a[href], button, select, input, [tabindex='0']").count()

    tab_until(page, IS_RAW_BLOCK, limit)
    expect(blocks.first).to_be_focused()  # raw blocks are reached in file order

    tab_until(page, "() => document.activeElement.matches('.raw .blk.kind-caption')", limit)
    expect(caption).to_be_focused()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_attribute("role", "tooltip")
    expect(tooltip).to_contain_text("Caption or credit")
    expect(tooltip).to_contain_text(caption_rule)
    # The rule is on its own line (after a <br>), as rendered to the reader.
    expect(tooltip).to_contain_text(re.compile(r"^caption:", re.M), use_inner_text=True)
    expect(caption).to_have_accessible_description(re.compile(re.escape(caption_rule)))

    page.keyboard.press("Escape")  # dismissible without moving focus (WCAG 1.4.13)
    expect(caption).to_be_focused()
    expect(tooltip).to_be_hidden()

    page.keyboard.press("Tab")
    expect(caption).not_to_be_focused()
    expect(tooltip).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    expect(caption).to_be_focused()
    expect(tooltip).to_be_visible()  # back when the block is entered again


def test_tooltip_stays_while_the_pointer_moves_onto_it(page: Page, seeded):
    """A hovered block's tooltip can itself be hovered without vanishing (WCAG 1.4.13)."""
    page.goto(source_url(seeded["004"]))
    caption = page.locator(".raw .blk.kind-caption").first
    tooltip = caption.locator(".why")
    caption.hover()
    expect(tooltip).to_be_visible()
    box = tooltip.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 1)  # the top edge, where a gap used to be
    expect(tooltip).to_be_visible()


def test_legend_lists_every_kind(page: Page, seeded):
    """The legend names every kind of block, and every kind tinting the raw file is in it."""
    page.goto(source_url(seeded["004"]))
    legend = page.get_by_role("region", name="Legend")
    expect(legend.locator("li strong")).to_have_text([kind.label for kind in Kind])
    for kind in Kind:
        expect(legend.locator(f"li .swatch.kind-{kind.value}")).to_have_count(1)
    raw_kinds = page.locator(".raw .blk").evaluate_all(
        "els => [...new Set(els.flatMap(e => [...e.classList]"
        ".filter(c => c.startsWith('kind-')).map(c => c.slice(5))))]"
    )
    assert raw_kinds, "no tinted blocks in the raw file"
    assert set(raw_kinds) <= {kind.value for kind in Kind}, raw_kinds
