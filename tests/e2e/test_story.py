"""A story page in a real browser: the timeline at desktop and phone widths (readable, inside
the screen, working without JavaScript), axe, and comparing two of its articles from it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from articles import services
from articles.models import Story
from tests.stories.conftest import import_article

from .test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def story(live_server, transactional_db, django_db_serialized_rollback, django_user_model):
    curator = django_user_model.objects.create_user("curator", password="x" * 16, is_staff=True)
    days = ["2018-07-29", "2018-07-29", "2018-07-30", "2018-08-02", "2018-08-05"]
    articles = [import_article("quake", i, day=day) for i, day in enumerate(days)]
    story = Story.objects.get(memberships__article=articles[0])
    services.stories_confirm(user=curator, stories=[story])
    story.refresh_from_db()
    return story, articles


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_timeline_is_readable_and_inside_the_screen(make_page, story, viewport):
    story, articles = story
    page: Page = make_page(viewport)
    page.goto(story.get_absolute_url())
    svg = page.locator("svg.timeline-svg")
    expect(svg).to_be_visible()
    dots = svg.locator("a.timeline-dot")
    drawn = sum(
        int(t or 1)
        for t in dots.evaluate_all(
            "links => links.map(a => (a.querySelector('text.timeline-count') || {}).textContent)"
        )
    )
    assert drawn == len(articles)
    box = svg.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"]
    # Every dot and label inside the drawing, labels at a readable size, no page overflow.
    inside = page.evaluate(
        """() => {
          const svg = document.querySelector('svg.timeline-svg').getBoundingClientRect();
          const parts = [...document.querySelectorAll(
            'svg.timeline-svg circle, svg.timeline-svg text')];
          return parts.every(p => { const r = p.getBoundingClientRect();
            return r.left >= svg.left - 1 && r.right <= svg.right + 1; });
        }"""
    )
    assert inside
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('text.timeline-outlet, text.timeline-tick')]"
        ".map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert sizes
    assert min(sizes) >= 12
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    results = Axe().run(page).response
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)


def test_a_dot_opens_its_article_without_javascript(browser, live_server, story):
    story, articles = story
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(story.get_absolute_url())
    first = page.locator("svg.timeline-svg a.timeline-dot").first
    first.click()
    expect(page).to_have_url(f"{live_server.url}{articles[0].get_absolute_url()}")
    context.close()


def test_two_ticked_articles_open_side_by_side(page: Page, story):
    story, articles = story
    page.goto(story.get_absolute_url())
    for article in articles[:2]:
        page.get_by_label(f"Compare {article.title}").check()
    page.get_by_role("button", name="Compare the ticked articles").click()
    expect(page.locator("h1.cmp-title")).to_be_visible()
    for article in articles[:2]:
        assert article.slug in page.url
