"""The compare page in a real browser: counterparts light up and scroll into view, facts,
claims applied across outlets, tabs on a phone, accessibility (axe) and screenshots."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Annotation, Motivation

from .conftest import DESKTOP
from .helpers import NARROW
from .test_accessibility import BLOCKING_IMPACTS, describe
from .test_pages_a11y import screenshot

pytestmark = pytest.mark.e2e

GUARANTOR = "test for the Russians"


def compare_path(*articles) -> str:
    return "/compare/?articles=" + ",".join(a.slug for a in articles)


def passage(page: Page, column: int, text: str):
    return page.locator(f"#col-{column} .cmp-p[tabindex]", has_text=text).first


def in_view(page: Page, locator) -> bool:
    """True when the element is inside its scrolling column's visible area."""
    return locator.evaluate(
        """el => {
          const body = el.closest('.cmp-col__body').getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return box.bottom > body.top && box.top < body.bottom;
        }"""
    )


@pytest.fixture
def five(seeded) -> list:
    return [seeded[k] for k in ("001", "000", "002", "003", "004")]


def test_clicking_a_shared_quote_lights_and_scrolls_to_its_counterpart(page: Page, seeded):
    """In 001 | 004, the guarantor quote in column 1 brings 004's copy into view, lit."""
    page.goto(compare_path(seeded["001"], seeded["004"]))
    counterpart = passage(page, 1, GUARANTOR)
    # start with the second column scrolled to its end, the quote out of view
    page.locator("#col-1 .cmp-col__body").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.get_by_label("Scroll the columns together").uncheck()
    source = passage(page, 0, GUARANTOR)
    source.scroll_into_view_if_needed()
    source.click()
    expect(page.locator("#col-0 .cmp-p.is-lit").first).to_be_visible()
    expect(counterpart).to_have_class(_has("is-lit"))
    page.wait_for_function(
        """() => {
          const el = [...document.querySelectorAll('#col-1 .cmp-p.is-lit')][0];
          const body = el.closest('.cmp-col__body').getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return box.bottom > body.top && box.top < body.bottom;
        }"""
    )
    assert in_view(page, page.locator("#col-1 .cmp-p.is-lit").first)
    expect(page.locator("[data-compare-status]")).to_contain_text("also in")


def _has(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){name}(\s|$)")


def test_keyboard_focus_on_a_passage_lights_its_counterparts(page: Page, seeded):
    page.goto(compare_path(seeded["001"], seeded["004"]))
    first = page.locator("#col-0 .cmp-p[tabindex]").first
    first.focus()
    group = first.get_attribute("data-group")
    expect(page.locator(f'#col-1 .cmp-p[data-group="{group}"]').first).to_have_class(_has("is-lit"))


def test_word_difference_toggle(page: Page, seeded):
    page.goto(compare_path(seeded["001"], seeded["004"]))
    diff = page.locator(".cmp-diff").first
    before = diff.evaluate("el => getComputedStyle(el).fontWeight")
    page.get_by_label("Show word differences in linked passages").check()
    expect(page.locator(".cmp-columns.show-diffs")).to_have_count(1)
    after = diff.evaluate("el => getComputedStyle(el).fontWeight")
    assert (before, after) == ("400", "700")


def test_the_facts_panel_lists_the_ceasefire_dates(page: Page, five):
    """Both readings are listed, and each link jumps to its words in the column."""
    page.goto(compare_path(*five))
    facts = page.locator("#facts")
    facts.locator("> summary").click()  # panels are folded to one line until opened
    expect(facts).to_contain_text("29 December 2016")
    expect(facts).to_contain_text("December 30, 2016")
    link = facts.get_by_role("link", name="December 30, 2016")
    link.click()
    target = page.locator(".cmp-fact.is-lit", has_text="December 30, 2016")
    expect(target).to_have_count(1)
    assert in_view(page, target)


def test_coverage_grid_cell_jumps_to_the_passage(page: Page, five):
    page.goto(compare_path(*five))
    page.locator("#coverage > summary").click()
    cells = page.locator(".coverage__grid a")
    expect(cells.first).to_be_attached()
    href = cells.nth(1).get_attribute("href")
    cells.nth(1).click()
    target = page.locator(href)
    expect(target).to_have_class(_has("is-lit"))
    assert in_view(page, target)


def test_framing_counts_open_to_words_in_context(page: Page, five):
    page.goto(compare_path(*five))
    page.locator("#framing > summary").click()
    table = page.locator(".cmp-framing")
    row = table.locator("tr", has=page.locator("th", has_text="Assad regime"))
    summary = row.locator("summary").first
    summary.click()
    expect(row.locator("details[open] li").first).to_contain_text("Assad regime")


def test_applying_a_claim_across_outlets(make_page, seeded, django_user_model, live_server):
    """Alice's claim on 001's quote is applied to 004 after its preview; the claim page shows
    both."""
    alice = django_user_model.objects.create_user("alice", password="pw-123456789")
    body = seeded["001"].current_revision.body
    quote = "This will be a test for the Russians as the guarantor"
    start = body.index(quote)
    claim = services.claim_create(user=alice, text="Russia guarantees the ceasefire")
    services.annotation_create(
        user=alice,
        article=seeded["001"],
        start=start,
        end=start + len(quote),
        motivation=Motivation.ASSESSING,
        claim=claim,
    )
    page = make_page()
    client = Client()
    client.force_login(alice)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(compare_path(seeded["001"], seeded["004"]))
    page.locator("#claims-drawer > summary").click()
    claims = page.locator("#claims")
    expect(claims).to_contain_text("Russia guarantees the ceasefire")
    claims.get_by_role("button", name="Apply this claim to the linked passages").click()
    # the preview: the verbatim copy in 004 agrees, so it is offered (checked) to carry it
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(1)
    page.get_by_role("button", name="Mark the chosen passages").click()
    expect(page.get_by_role("status").first).to_contain_text("marked on 1 linked passage")
    expect(page.locator("#col-1 mark.hl", has_text="Russians as the guarantor")).to_have_count(1)
    assert Annotation.objects.filter(article=seeded["004"], claim=claim).count() == 1
    page.goto(f"/claims/{claim.pk}/")
    main = page.locator("main")
    for article in (seeded["001"], seeded["004"]):
        expect(main).to_contain_text(article.outlet.name if article.outlet else "Outlet unknown")
    expect(main.get_by_text("This will be a test for the Russians as the guarantor")).to_have_count(
        2
    )


def test_on_a_phone_the_columns_become_tabs(make_page, five):
    page = make_page(NARROW)
    page.goto(compare_path(*five))
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(5)
    expect(page.locator("#col-0")).to_be_visible()
    expect(page.locator("#col-1")).to_be_hidden()
    tabs.nth(1).click()
    expect(page.locator("#col-1")).to_be_visible()
    expect(page.locator("#col-0")).to_be_hidden()
    tabs.nth(1).press("ArrowRight")
    expect(tabs.nth(2)).to_be_focused()
    expect(page.locator("#col-2")).to_be_visible()


def test_without_javascript_the_columns_still_read(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(compare_path(seeded["001"], seeded["004"]))
    expect(page.locator(".cmp-col")).to_have_count(2)
    expect(page.locator("#facts")).to_be_visible()
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "phone"])
def test_compare_page_accessibility_and_screenshot(make_page, five, viewport, request):
    page = make_page(viewport)
    page.goto(compare_path(*five))
    expect(page.locator(".cmp-col").first).to_be_visible()
    results = Axe().run(page).response
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)
    screenshot(page, f"compare-{request.node.callspec.id}")
