"""Accessibility in a real browser: axe-core on each kind of page, and the skip link."""

import json
import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .helpers import NARROW, view_url

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}


def open_every_details(page: Page) -> None:
    closed = page.locator("details:not([open])")
    for remaining in range(closed.count(), 0, -1):
        closed.first.locator("> summary").click()
        expect(closed).to_have_count(remaining - 1)


def focus_first_caption(page: Page) -> None:
    caption = page.locator(".raw .blk.kind-caption").first
    caption.focus()
    expect(caption.locator(".why")).to_be_visible()


# (seed key or None for the list, which view, viewport, what to do before checking)
PAGES: dict[str, tuple[str | None, str, dict | None, Callable[[Page], None] | None]] = {
    "list": (None, "list", None, None),
    "list-narrow": (None, "list", NARROW, None),
    "reading-secondary-story": ("004", "detail", None, None),
    "reading-comments-open": ("002", "detail", None, open_every_details),
    "source-tooltip-shown": ("004", "source", None, focus_first_caption),
    "source-narrow": ("002", "source", NARROW, None),
}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(make_page, seeded, name):
    """axe-core reports no serious or critical violation on the list, reading and source views."""
    key, view, viewport, prepare = PAGES[name]
    page = make_page(viewport=viewport) if viewport else make_page()
    url = view_url(view, seeded.get(key))
    page.goto(url)
    expect(page.locator("main#main")).to_be_visible()
    if prepare:
        prepare(page)

    results = Axe().run(page).response
    assert results["testEngine"]["name"] == "axe-core"
    assert results["passes"], "axe-core checked nothing: is the page empty?"
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"{len(blocking)} serious/critical accessibility violation(s) on {url} ({name}):\n"
        f"{describe(blocking)}\n\nAll violations:\n{describe(violations)}"
    )


@pytest.mark.parametrize("view", ["list", "detail", "source"])
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page: Page, seeded, view):
    """The first Tab shows "Skip to content"; following it puts focus on <main>."""
    page.goto(view_url(view, seeded["004"]))
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    main = page.locator("main#main")
    expect(main).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))

    # The next Tab continues from inside main, past the site header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
