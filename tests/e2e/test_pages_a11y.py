"""Accessibility of the annotating pages (axe-core), and screenshots to look at.

axe runs on the article list, an annotated article (signed in, the selection toolbar open and
its claim form open), the source view, a tag page and the claim pages: no serious or critical
violation. Screenshots of the list, an annotated article and a claim page at 1280px and 390px
go to test-artifacts/screenshots/ (git-ignored) for people to look at.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from annotations import services

from .helpers import detail_url, source_url
from .test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SELECTED = "the Turkish capital city of Ankara"


def annotate(user, article, phrase: str, **fields):
    body = article.current_revision.body
    start = body.index(phrase)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(phrase), exact=phrase, **fields
    ).annotation


@pytest.fixture
def annotated(seeded, django_user_model) -> dict:
    """Seed 004 with a few annotations of each kind by two readers, a claim and a reply."""
    alice = django_user_model.objects.create_user("alice", password="a-long-test-password-1")
    bob = django_user_model.objects.create_user("bob", password="a-long-test-password-1")
    article = seeded["004"]
    claim = services.claim_create(
        user=alice,
        text="Armed opposition groups have decided to attend the talks in Astana",
        claimant="Mohammad Alloush",
        rating="supported",
    )
    annotate(
        alice,
        article,
        "Foreign-sponsored militant groups",
        colour="purple",
        motivation="commenting",
        note="Press TV's **framing** of the opposition.",
        tags=["framing"],
    )
    annotate(
        alice,
        article,
        "have decided to attend the forthcoming Syria peace",
        motivation="assessing",
        claim=claim,
        colour="green",
    )
    comment = annotate(
        bob,
        article,
        "Mohammad Alloush",
        colour="blue",
        motivation="commenting",
        note="Head of Jaish al-Islam's political office.",
        tags=["people"],
    )
    services.annotation_reply(user=alice, parent=comment, note="He led the delegation too.")
    annotate(
        alice,
        article,
        "This will be a test for the Russians",
        colour="red",
        motivation="questioning",
        note="A test of what, exactly?",
        visibility="private",
    )
    annotate(bob, article, "the humanitarian issues", colour="yellow", tags=["people"])
    # A second outlet carries the same claim, so the claim page groups passages by outlet.
    annotate(bob, seeded["002"], "Astana", motivation="assessing", claim=claim)
    return {"article": article, "claim": claim, "alice": alice, "bob": bob, "seeded": seeded}


@pytest.fixture
def signed_in_page(make_page, live_server, annotated) -> Callable[..., Page]:
    def _make(viewport: dict = DESKTOP) -> Page:
        page = make_page(viewport=viewport)
        client = Client()
        client.force_login(annotated["alice"])
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return _make


def select_phrase(page: Page, phrase: str) -> None:
    """Select a phrase of the article body (a DOM range, as a drag would leave it)."""
    page.evaluate(
        """(phrase) => {
          for (const block of document.querySelectorAll('#article-body .blk-text')) {
            const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const i = node.data.indexOf(phrase);
              if (i < 0) continue;
              block.scrollIntoView({ block: 'center' });
              getSelection().setBaseAndExtent(node, i, node, i + phrase.length);
              return;
            }
          }
          throw new Error('phrase not found: ' + phrase);
        }""",
        phrase,
    )
    expect(page.get_by_role("toolbar", name="Annotate the selected text")).to_be_visible()


def open_annotated_article(page: Page, article, *, phone: bool = False) -> None:
    """Open the article with the sidebar's "Filters · Legend" disclosure unfolded, so axe sees
    the filters. On a phone the sidebar is a bottom sheet: it is opened first and left open."""
    page.goto(detail_url(article))
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)
    if phone:
        page.get_by_role("button", name=re.compile(r"^Annotations \(\d+\)$")).click()
        expect(page.get_by_role("dialog", name=re.compile(r"^Annotations"))).to_be_visible()
    summary = page.locator("#sidebar-tools > summary")
    expect(summary).to_contain_text("Filters · Legend")
    summary.click()
    expect(page.locator("#sidebar-tools")).to_have_attribute("open", "")
    expect(page.locator("#card-filters")).to_be_visible()


def close_sheet(page: Page) -> None:
    """Shut the phone's bottom sheet (the filters stay unfolded inside it)."""
    page.get_by_role("button", name="Close the annotations").click()
    expect(page.get_by_role("dialog", name=re.compile(r"^Annotations"))).to_be_hidden()


def assert_no_serious_violations(page: Page, what: str) -> None:
    results = Axe().run(page).response
    assert results["passes"], "axe-core checked nothing: is the page empty?"
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"{len(blocking)} serious/critical accessibility violation(s) on {what}:\n"
        f"{describe(blocking)}\n\nAll violations:\n{describe(violations)}"
    )


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- axe -------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_annotated_article_with_toolbar_open(signed_in_page, annotated, viewport):
    page = signed_in_page(viewport)
    phone = viewport is PHONE
    open_annotated_article(page, annotated["article"], phone=phone)
    expect(page.locator("#article-body mark.hl")).to_have_count(5)
    if phone:
        assert_no_serious_violations(page, "the annotations sheet with its filters open")
        close_sheet(page)
    select_phrase(page, SELECTED)
    assert_no_serious_violations(page, "an annotated article with the toolbar open")


def test_annotated_article_with_claim_form_and_hover_card(signed_in_page, annotated):
    page = signed_in_page()
    open_annotated_article(page, annotated["article"])
    select_phrase(page, SELECTED)
    page.get_by_role("button", name="Claim").click()
    form = page.get_by_role("form", name="Mark the selection as a claim")
    expect(form.get_by_label("Statement")).to_have_value(SELECTED)
    find = form.get_by_role("combobox", name="Find an existing claim")
    find.press("ArrowDown")
    expect(form.get_by_role("listbox", name="Existing claims").get_by_role("option")).to_have_count(
        1
    )
    assert_no_serious_violations(page, "the claim form with suggestions open")

    page.keyboard.press("Escape")  # closes the suggestions
    page.keyboard.press("Escape")  # closes the toolbar
    expect(page.locator("#annotator-pop")).to_be_hidden()
    page.locator("#article-body mark.hl").first.focus()
    expect(page.locator(".hl-preview")).to_be_visible()
    assert_no_serious_violations(page, "a highlight's card shown on focus")


def test_annotated_article_signed_out(make_page, annotated):
    page = make_page()
    open_annotated_article(page, annotated["article"])
    expect(page.locator(".signin-prompt")).to_be_visible()
    assert_no_serious_violations(page, "an annotated article, signed out")


@pytest.mark.parametrize("name", ["list", "source", "tag", "claims", "claim"])
def test_other_pages(make_page, annotated, name):
    article = annotated["article"]
    url = {
        "list": reverse("articles:list"),
        "source": source_url(article),
        "tag": reverse("annotations:tag-detail", args=["people"]),
        "claims": reverse("annotations:claim-list"),
        "claim": reverse("annotations:claim-detail", args=[annotated["claim"].pk]),
    }[name]
    page = make_page()
    page.goto(url)
    expect(page.locator("main#main")).to_be_visible()
    assert_no_serious_violations(page, url)


# --- screenshots -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_screenshots(signed_in_page, annotated, viewport, request):
    width = request.node.callspec.id
    page = signed_in_page(viewport)

    page.goto(reverse("articles:list"))
    expect(page.locator("table.articles, .articles").first).to_be_visible()
    screenshot(page, f"list-{width}")

    phone = viewport is PHONE
    open_annotated_article(page, annotated["article"], phone=phone)
    if phone:
        close_sheet(page)
    select_phrase(page, SELECTED)
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_label("Your comment")).to_be_focused()
    page.keyboard.type("Ankara hosted the preparatory meetings.")
    screenshot(page, f"article-{width}")

    page.goto(reverse("annotations:claim-detail", args=[annotated["claim"].pk]))
    expect(page.locator(".passage__quote").first).to_be_visible()
    screenshot(page, f"claim-{width}")
