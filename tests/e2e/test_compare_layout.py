"""The compare page's layout in a real browser: the columns first on a laptop screen, every
passage group with a look of its own, disagreements side by side, hover explanations, readers'
highlights apart from tints, and no sideways overflow on a 390 px phone."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from annotations import services
from tests.comparison.stance_rows import disagreements

from .test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FIVE = ("001", "000", "002", "003", "004")


def compare_path(seeds: dict, keys) -> str:
    return "/compare/?articles=" + ",".join(seeds[k].slug for k in keys)


def shoot(page: Page, name: str) -> None:
    """With COMPARE_SHOTS set to a folder, keep a PNG of the viewport there."""
    folder = os.environ.get("COMPARE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def open_page(make_page, seeds, keys=FIVE, viewport=DESKTOP) -> Page:
    page = make_page(viewport)
    page.goto(compare_path(seeds, keys))
    expect(page.locator(".cmp-col").first).to_be_visible()
    return page


def one_line(locator) -> bool:
    """True when the element's text sits on one line (its box is no taller than 1.6 lines)."""
    return locator.evaluate(
        """el => {
          const style = getComputedStyle(el);
          const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.25;
          const inner = el.clientHeight - parseFloat(style.paddingTop)
            - parseFloat(style.paddingBottom);
          return inner <= line * 1.6;
        }"""
    )


def no_sideways_overflow(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide in a {width[1]} px window"


@pytest.fixture
def stances(seeded) -> dict:
    """The seeds with the attend/refuse and 29/30 December disagreements stored."""
    disagreements(seeded)
    return seeded


def test_the_columns_come_first_on_a_laptop(make_page, stances):
    """At 1280x800 the first column's text starts inside the window, with the page unscrolled
    and every panel folded to one line."""
    page = open_page(make_page, stances)
    assert page.evaluate("window.scrollY") == 0
    first = page.locator("#col-0 .cmp-col__body .cmp-blk").first
    expect(first).to_be_in_viewport()
    top = first.evaluate("el => el.getBoundingClientRect().top")
    assert 0 < top < DESKTOP["height"] - 100, top
    summaries = page.locator(".cmp-drawers .cmp-drawer > summary")
    expect(summaries).to_have_count(6)
    for i in range(summaries.count()):
        assert one_line(summaries.nth(i)), summaries.nth(i).inner_text()
    expect(page.locator(".cmp-drawer[open]")).to_have_count(0)
    # the columns are the workspace: each body scrolls inside a window-tall block
    block = page.locator(".cmp-columns").evaluate("el => el.getBoundingClientRect().height")
    assert DESKTOP["height"] * 0.8 <= block <= DESKTOP["height"]
    shoot(page, "compare-1280x800")


def test_a_panel_opens_to_full_width_and_closes_the_others(make_page, stances):
    page = open_page(make_page, stances)
    page.locator("#framing > summary").click()
    expect(page.locator("#framing .cmp-framing")).to_be_visible()
    page.locator("#facts > summary").click()
    expect(page.locator("#facts .cmp-facts").first).to_be_visible()
    expect(page.locator("#framing")).not_to_have_attribute("open", "")
    widths = page.evaluate(
        """() => [document.querySelector('#facts').getBoundingClientRect().width,
                  document.querySelector('.cmp-drawers').getBoundingClientRect().width]"""
    )
    assert widths[0] >= widths[1] - 2


def test_every_passage_group_looks_different(make_page, stances):
    """Computed tint, pattern and badge of each group: the same in every column, never the
    same for two groups."""
    page = open_page(make_page, stances)
    looks = page.evaluate(
        """() => {
          const seen = {};
          for (const el of document.querySelectorAll('.cmp-p[data-badge]')) {
            const style = getComputedStyle(el);
            const badge = getComputedStyle(el, '::before').content;
            const look = [style.backgroundColor, style.backgroundImage, badge].join(' | ');
            (seen[el.dataset.group] ||= new Set()).add(look);
          }
          return Object.fromEntries(Object.entries(seen).map(([g, s]) => [g, [...s]]));
        }"""
    )
    assert len(looks) > 8
    for group, found in looks.items():
        assert len(found) == 1, (group, found)
    everything = [found[0] for found in looks.values()]
    assert len(set(everything)) == len(everything)
    tints = [look.split(" | ")[:2] for look in everything]
    assert len({tuple(t) for t in tints}) == len(tints), "two groups share tint and pattern"


def test_a_disagreement_is_shown_side_by_side(make_page, stances):
    """Focusing SouthFront's "refused to attend" lights Press TV's "decided to attend" beside
    it, both outlined as a disagreement, and the card gives the kind and both readings."""
    page = open_page(make_page, stances)
    page.get_by_label("Scroll the columns together").uncheck()
    page.locator("#col-4 .cmp-col__body").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    refuses = page.locator(
        "#col-2 .cmp-dis[data-start]",
        has=page.locator("> .cmp-why", has_text="Differs from Press TV"),
    ).first
    refuses.focus()
    card = refuses.locator("> .cmp-why")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Opposing action")
    expect(card).to_contain_text("refused to attend")
    expect(card).to_contain_text("decided to attend")
    attends = page.locator(
        "#col-4 .cmp-dis[data-start]",
        has=page.locator("> .cmp-why", has_text="Differs from SouthFront"),
    ).first
    expect(attends).to_have_class(_lit())
    expect(attends).to_be_in_viewport()
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.cmp-dis.is-lit')].map(el => {
             const b = el.getBoundingClientRect();
             return [b.left, b.right, b.top, b.bottom];
           })"""
    )
    left = [b for b in boxes if b[0] < 640]
    right = [b for b in boxes if b[0] >= 640]
    assert left, boxes
    assert right, boxes
    assert max(b[1] for b in left) <= min(b[0] for b in right)
    style = attends.evaluate(
        "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineColor]"
    )
    assert style[0] in {"dashed", "solid"}
    assert style[1] == "rgb(180, 35, 24)"
    badge = refuses.evaluate("el => getComputedStyle(el, '::before').content")
    assert "differs" in badge
    expect(page.locator("[data-compare-status]")).to_contain_text("Press TV")
    shoot(page, "compare-1280x800-differs")


def _lit():
    import re

    return re.compile(r"(^|\s)is-lit(\s|$)")


def test_where_they_differ_jumps_to_both_readings(make_page, stances):
    page = open_page(make_page, stances)
    page.locator("#facts > summary").click()
    facts = page.locator("#facts")
    expect(facts.get_by_role("heading", name="Opposing actions")).to_be_visible()
    facts.get_by_role("link", name="refused to attend").first.click()
    target = page.locator(".cmp-fact.is-lit", has_text="refused to attend")
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()
    expect(page.locator(".cmp-dis.is-lit")).not_to_have_count(0)
    shoot(page, "compare-1280x800-where-they-differ")


def test_hovering_a_linked_passage_explains_the_link(make_page, stances):
    page = open_page(make_page, stances)
    passage = page.locator("#col-0 .cmp-p[data-badge]").first
    passage.hover()
    card = passage.locator("> .cmp-why")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Passage")
    expect(card).to_contain_text("%)")


def test_a_readers_highlight_is_underlined_not_tinted(make_page, stances, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="pw-123456789")
    services.annotation_create(user=reader, article=stances["004"], start=0, end=30, note="mine")
    page = open_page(make_page, stances, keys=("001", "004"))
    mark = page.locator("#col-1 mark.hl").first
    expect(mark).to_be_visible()
    style = mark.evaluate(
        """el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).textDecorationLine]"""
    )
    assert style[0] == "rgba(0, 0, 0, 0)"
    assert "underline" in style[1]
    expect(page.locator(".cmp-legend")).to_contain_text("a reader’s highlight")


@pytest.mark.parametrize("keys", [("001", "004"), ("001", "002", "004"), FIVE], ids=len)
def test_no_sideways_overflow_on_a_phone(make_page, stances, keys):
    """At 390 px: the page never scrolls sideways, closed or with each panel open; tabs and
    summary lines each stay on one line."""
    page = open_page(make_page, stances, keys=keys, viewport=PHONE)
    expect(page.get_by_role("tab")).to_have_count(len(keys))
    no_sideways_overflow(page)
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()):
        assert one_line(tabs.nth(i)), tabs.nth(i).inner_text()
    summaries = page.locator(".cmp-drawers .cmp-drawer > summary")
    expect(summaries).to_have_count(6)  # every panel is checked below, open and closed
    for i in range(summaries.count()):
        assert one_line(summaries.nth(i)), summaries.nth(i).inner_text()
    for i in range(summaries.count()):
        summaries.nth(i).click()
        expect(summaries.nth(i).locator("xpath=..")).to_have_attribute("open", "")
        no_sideways_overflow(page)
    page.locator("#framing > summary").click()
    page.locator("#framing .kwic summary").first.click()
    no_sideways_overflow(page)
    if len(keys) == 5:
        page.locator("#framing > summary").click()
        shoot(page, "compare-390x844")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_panels_and_cards_pass_axe(make_page, stances, viewport):
    """axe finds nothing serious with each panel open in turn and a hover card shown."""
    page = open_page(make_page, stances, viewport=viewport)
    summaries = page.locator(".cmp-drawers .cmp-drawer > summary")
    problems = []
    for i in range(summaries.count()):
        summaries.nth(i).click()
        results = Axe().run(page).response
        problems += [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    summaries.first.click()
    page.locator(".cmp-col:visible .cmp-p[data-badge]").first.focus()
    results = Axe().run(page).response
    problems += [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not problems, describe(problems)


def test_without_javascript_panels_open_and_columns_read(browser, live_server, stances):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=DESKTOP
    )
    page = context.new_page()
    page.goto(compare_path(stances, FIVE))
    expect(page.locator(".cmp-col")).to_have_count(5)
    expect(page.locator("#col-0 .cmp-blk").first).to_be_in_viewport()
    page.locator("#facts > summary").click()
    expect(page.locator("#facts").get_by_role("link", name="December 30, 2016")).to_be_visible()
    page.locator("#quotes > summary").click()
    expect(page.locator("#quotes table")).to_be_visible()
    expect(page.locator("#facts .cmp-facts").first).to_be_hidden()
    context.close()
