"""The reading view in a real browser: the story, the other story beside it, reader comments."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import detail_url

pytestmark = pytest.mark.e2e

PRESS_TV_TITLE = "Syrian militant groups to participate in Kazakhstan peace talks"
PRESS_TV_SECONDARY = "Dozens dead as Syrian army fight off Daesh in Dayr al-Zawr"


def test_reading_view_separates_secondary_story_and_furniture(page: Page, seeded):
    """Press TV: title is the h1, the appended story is an aside, share prompts stay out."""
    page.goto(detail_url(seeded["004"]))
    expect(page).to_have_title(re.compile(rf"^{re.escape(PRESS_TV_TITLE)} · "))
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    expect(h1).to_have_text(PRESS_TV_TITLE)
    article = page.get_by_role("article", name=PRESS_TV_TITLE)
    expect(article).to_be_visible()

    aside = page.get_by_role("complementary", name=re.compile(r"^Another story on the same page"))
    expect(aside).to_be_visible()
    expect(aside.get_by_role("heading", level=2)).to_have_text(PRESS_TV_SECONDARY)
    expect(article).not_to_contain_text(PRESS_TV_SECONDARY)

    body = article.locator(".reading__body")
    expect(body).to_contain_text("Foreign-sponsored militant groups have decided to attend")
    expect(body).not_to_contain_text("SHARE THIS ARTICLE")
    expect(article).not_to_contain_text("SHARE THIS ARTICLE")
    expect(aside).not_to_contain_text("SHARE THIS ARTICLE")
    # The prompt was not lost, only set aside with the rest of the page furniture.
    expect(page.locator("section.set-aside")).to_contain_text("SHARE THIS ARTICLE")


def test_reader_comments_are_collapsed_until_opened(page: Page, seeded):
    """SouthFront: reader comments sit in a closed <details> that opens on click."""
    page.goto(detail_url(seeded["002"]))
    comments = page.get_by_role("region", name=re.compile(r"^Reader comments"))
    details = comments.locator("details")
    author = details.locator(".comment__author", has_text="Kim Jong").first
    expect(details).to_have_js_property("open", False)
    expect(author).to_be_hidden()
    expect(page.get_by_role("article")).not_to_contain_text("Kim Jong")

    details.locator("summary").click()
    expect(details).to_have_js_property("open", True)
    expect(author).to_be_visible()
    expect(details.locator(".comment").first).to_contain_text("Headchopping foreign terrorist")
