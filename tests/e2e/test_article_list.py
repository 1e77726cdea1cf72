"""The article list in a real browser: contents, sorting by column, the outlet filter, layout."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import NARROW

pytestmark = pytest.mark.e2e

SEED_OUTLETS = {
    "000": "Mehr News Agency",
    "001": "unknown",
    "002": "SouthFront",
    "003": "GPA",
    "004": "Press TV",
}


def title_links(page: Page):
    return page.locator('table.articles tbody td[data-label="Title"] > a:first-child')


def test_list_shows_seed_articles_with_outlets(page: Page, seeded):
    """The list shows the five seed articles, each with its outlet ("unknown" for 001)."""
    page.goto("/")
    rows = page.locator("table.articles tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator(".lede")).to_contain_text("5 articles")
    for key, outlet in SEED_OUTLETS.items():
        row = rows.filter(has=page.get_by_role("link", name=seeded[key].title, exact=True))
        expect(row).to_have_count(1)
        expect(row.locator('td[data-label="Outlet"]')).to_have_text(outlet)


def test_list_sorts_by_clicked_column_header(page: Page, seeded):
    """Clicking Words sorts ascending, clicking it again sorts descending (longest first)."""
    by_words = sorted(seeded.values(), key=lambda a: (a.word_count, a.title))
    page.goto("/")
    header = page.get_by_role("columnheader", name="Words", exact=True)
    expect(header).not_to_have_attribute("aria-sort", re.compile(r".*"))

    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=words(&|$)"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(title_links(page)).to_have_text([a.title for a in by_words])

    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=-words(&|$)"))
    expect(header).to_have_attribute("aria-sort", "descending")
    longest_first = list(reversed(by_words))
    expect(title_links(page)).to_have_text([a.title for a in longest_first])
    expect(title_links(page).first).to_have_text(seeded["001"].title)  # 877 words
    words = page.locator('table.articles tbody td[data-label="Words"]')
    expect(words).to_have_text([f"{a.word_count:,}" for a in longest_first])


def test_outlet_filter_narrows_list_and_keeps_sort(page: Page, seeded):
    """Choosing an outlet and pressing Filter leaves only its articles; Clear brings all back."""
    press_tv = seeded["004"].outlet
    page.goto("/?sort=-words")
    rows = page.locator("table.articles tbody tr")
    expect(rows).to_have_count(5)
    select = page.get_by_label("Outlet", exact=True)
    expect(select.locator("option")).to_have_text(
        ["All outlets", "GPA (1)", "Mehr News Agency (1)", "Press TV (1)", "SouthFront (1)"]
    )

    select.select_option(label="Press TV (1)")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"[?&]outlet={re.escape(press_tv.slug)}(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]sort=-words(&|$)"))
    expect(rows).to_have_count(1)
    expect(rows.locator('td[data-label="Outlet"]')).to_have_text("Press TV")
    expect(title_links(page)).to_have_text([seeded["004"].title])
    expect(page.locator(".lede")).to_contain_text("1 article from Press TV")
    expect(select).to_have_value(press_tv.slug)

    page.get_by_role("link", name="Clear", exact=True).click()
    expect(rows).to_have_count(5)
    expect(select).to_have_value("")


def test_list_has_no_horizontal_overflow_on_narrow_screen(make_page, seeded):
    """At 375px wide the list page does not scroll sideways, and neither does its table."""
    page = make_page(viewport=NARROW)
    page.goto("/")
    expect(page.locator("table.articles tbody tr")).to_have_count(5)
    document = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert document["scroll"] <= document["client"], (
        f"the document is {document['scroll']}px wide in a {document['client']}px viewport"
    )
    # .table-wrap has overflow-x: auto, which would hide a too-wide table from the check above.
    wrap = page.locator(".table-wrap").evaluate(
        "el => ({scroll: el.scrollWidth, client: el.clientWidth})"
    )
    assert wrap["scroll"] <= wrap["client"], (
        f"the table scrolls sideways: {wrap['scroll']}px of content in {wrap['client']}px"
    )
