"""A sidebar with more cards than its first page (annotations/pages/reading.py CARDS_SHOWN) in
a real browser: the rest come in as the reader scrolls to its end, and at once when a
highlight, a share link or a filter needs a card not there yet."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.pages.reading import CARDS_SHOWN

from .helpers import detail_url

pytestmark = pytest.mark.e2e

EXTRA = 30  # cards past the first page


@pytest.fixture
def crowded(seeded, django_user_model) -> tuple:
    """Seed 001 with CARDS_SHOWN + EXTRA highlights, one per word, in text order."""
    article = seeded["001"]
    writer = django_user_model.objects.create_user("writer", password="a-long-test-password-1")
    body = article.current_revision.body
    words = [m.span() for m in re.finditer(r"\w{4,}", body)][: CARDS_SHOWN + EXTRA]
    assert len(words) == CARDS_SHOWN + EXTRA
    notes = [
        services.annotation_create(
            user=writer, article=article, start=start, end=end, tags=["late"] if n >= 220 else []
        ).annotation
        for n, (start, end) in enumerate(words)
    ]
    return article, notes


def cards(page: Page):
    return page.locator("#text-cards > li > .card")


def open_article(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)


def test_the_rest_come_in_as_the_reader_scrolls_to_the_end(make_page, crowded):
    article, _ = crowded
    page = make_page()
    open_article(page, detail_url(article))
    expect(cards(page)).to_have_count(CARDS_SHOWN)
    page.locator("#cards-more").scroll_into_view_if_needed()
    expect(cards(page)).to_have_count(CARDS_SHOWN + EXTRA)
    expect(page.locator("#cards-more")).to_have_count(0)


def test_a_highlight_whose_card_is_not_here_yet_selects_it(make_page, crowded):
    article, notes = crowded
    late = notes[CARDS_SHOWN + 5]
    page = make_page()
    open_article(page, detail_url(article))
    expect(page.locator(f"#card-{late.pk}")).to_have_count(0)
    page.locator(f'mark.hl[data-ids="{late.pk}"]').click()
    expect(page.locator(f"#card-{late.pk}")).to_have_class(re.compile(r"\bis-selected\b"))


def test_a_share_link_to_a_card_on_a_later_page_selects_it(make_page, crowded, live_server):
    article, notes = crowded
    late = notes[-1]
    page = make_page()
    open_article(page, f"{detail_url(article)}?annotation={late.pk}")
    expect(page.locator(f"#card-{late.pk}")).to_have_class(re.compile(r"\bis-selected\b"))


def test_a_filter_reads_every_card(make_page, crowded):
    article, _ = crowded
    page = make_page()
    open_article(page, detail_url(article))
    page.locator("#sidebar-tools summary").click()
    page.locator('#card-filters select[name="tag"]').select_option("late")
    visible = page.locator("#text-cards > li > .card:visible")
    expect(visible).to_have_count(CARDS_SHOWN + EXTRA - 220)


def test_without_javascript_the_link_opens_the_next_cards(browser, live_server, crowded):
    article, notes = crowded
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + detail_url(article))
        page.locator("#cards-more a").click()
        expect(page.locator("#more-cards > li > .card")).to_have_count(EXTRA)
        expect(page.locator(f"#card-{notes[-1].pk}")).to_have_count(1)
    finally:
        context.close()
