"""Site search in a real browser: the header's search box, highlighted results, accessibility."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.e2e

PRESS_TV_TITLE = "Syrian militant groups to participate in Kazakhstan peace talks"


def search_from_header(page: Page, query: str) -> None:
    box = page.get_by_role("search", name="Site").get_by_role("searchbox", name="Search the site")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(query) + "$"))


def test_header_search_shows_highlighted_results_that_lead_to_the_article(page: Page, seeded):
    """Typing in the header's search box and pressing Enter lists highlighted matches; a
    result's link opens its article."""
    page.goto("/")
    search_from_header(page, "Kazakhstan")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.locator("#search-summary")).to_contain_text(re.compile(r"\d+ results? for"))
    results = page.locator(".search-result")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_have_text(re.compile("^kazakhstan$", re.I))
    page_box = page.get_by_role("searchbox", name="Words to find in articles, annotations")
    expect(page_box).to_have_value("Kazakhstan")

    link = page.get_by_role("link", name=PRESS_TV_TITLE, exact=True)
    expect(link.locator("mark")).to_have_text("Kazakhstan")
    link.click()
    expect(page).to_have_url(re.compile(rf"/articles/{re.escape(seeded['004'].slug)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PRESS_TV_TITLE)


def test_search_filters_narrow_results(page: Page, seeded):
    """Choosing an outlet in the filters keeps only that outlet's results."""
    page.goto("/search/?q=Kazakhstan")
    page.get_by_label("Outlet").select_option(label="Press TV")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"outlet=press-tv"))
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result__meta")).to_have_text("Press TV")


@pytest.mark.parametrize("query", ["Kazakhstan", "no such word anywhere", ""])
def test_axe_finds_no_serious_violations_on_search_page(make_page, seeded, query):
    """axe-core reports no serious or critical violation on the search page, with results,
    with none, and before searching."""
    page = make_page()
    page.goto(f"/search/?q={query}")
    expect(page.locator("main#main")).to_be_visible()

    results = Axe().run(page).response
    assert results["passes"], "axe-core checked nothing: is the page empty?"
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"{len(blocking)} serious/critical accessibility violation(s) on the search page:\n"
        f"{describe(blocking)}\n\nAll violations:\n{describe(violations)}"
    )
