"""Share links in a real browser: "Share" on a card copies the link and says so; the link,
opened in a fresh browser, scrolls to the passage with the card selected and focused; where
the clipboard is out of reach the link is offered selected in a field; a private annotation's
link opened by someone else shows the message page."""

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from annotations import services
from annotations.models import Annotation

from .conftest import DESKTOP, TIMEOUT_MS
from .helpers import NARROW, detail_url

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password-1"
# Seed 001: a phrase in its last paragraphs, well below the first screen.
LATE_PHRASE = "the different brigades still cannot speak with one voice"


@pytest.fixture
def session_of(live_server) -> Callable[[object], dict]:
    def _cookie(user) -> dict:
        client = Client()
        client.force_login(user)
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}

    return _cookie


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password=PASSWORD)


def annotate(user, article, phrase: str, **fields) -> Annotation:
    start = article.current_revision.body.index(phrase)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(phrase), exact=phrase, **fields
    ).annotation


def open_article(page: Page, article) -> None:
    page.goto(detail_url(article))
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)


def test_share_copies_the_link_and_the_link_opens_at_the_passage(
    make_page, seeded, alice, live_server
):
    """Share puts the link on the clipboard and announces "Link copied"; a fresh browser
    opening it lands on the article with the passage in view, marked, and its card selected
    and focused."""
    article = seeded["001"]
    note = annotate(alice, article, LATE_PHRASE, note="Which ceasefire?", motivation="commenting")
    page = make_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_article(page, article)
    expect(page.locator(f"#article-body mark[data-ids~='{note.pk}']")).not_to_be_in_viewport()
    card = page.locator(f"#card-{note.pk}")
    card.get_by_role("button", name=re.compile("^Share")).click()
    expect(card.get_by_text("Link copied")).to_be_visible()
    expect(page.locator("#annotator-status")).to_have_text("Link copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/annotations/{note.pk}/"

    fresh = make_page()
    fresh.goto(copied)
    expect(fresh.locator("html[data-annotator='ready']")).to_have_count(1)
    assert fresh.url.startswith(f"{live_server.url}{detail_url(article)}?annotation={note.pk}")
    shared = fresh.locator(f"#card-{note.pk}")
    expect(shared).to_have_class(re.compile(r"\bis-selected\b"))
    expect(shared).to_be_focused()
    mark = fresh.locator(f"#article-body mark[data-ids~='{note.pk}']")
    expect(mark).to_have_class(re.compile(r"\bis-active\b"))
    expect(mark).to_be_in_viewport()


def test_a_reply_link_selects_the_reply_and_shows_its_thread(make_page, seeded, alice, bob):
    """A reply's link marks its thread's passage and focuses the reply's own card."""
    article = seeded["001"]
    note = annotate(alice, article, LATE_PHRASE)
    reply = services.annotation_reply(user=bob, parent=note, note="Agreed.")
    page = make_page(NARROW)
    page.goto(f"/annotations/{reply.pk}/")
    expect(page.locator(f"#card-{reply.pk}")).to_be_focused()
    expect(page.locator(f"#card-{note.pk}")).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(f"#article-body mark[data-ids~='{note.pk}']")).to_be_in_viewport()


def test_a_page_note_link_focuses_its_card(make_page, seeded, alice):
    """A page note has no passage: its link focuses its card under "Page notes"."""
    article = seeded["001"]
    note = services.annotation_create(
        user=alice, article=article, page_note=True, note="On the whole piece"
    ).annotation
    page = make_page()
    page.goto(f"/annotations/{note.pk}/")
    card = page.locator(f"#page-notes #card-{note.pk}")
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()


def test_without_a_clipboard_the_link_is_offered_selected(make_page, seeded, alice, live_server):
    """No clipboard (an insecure page, an old browser): the link is shown selected in a field
    to copy by hand; Escape closes it and gives focus back to Share."""
    article = seeded["001"]
    note = annotate(alice, article, LATE_PHRASE)
    page = make_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    open_article(page, article)
    share = page.locator(f"#card-{note.pk}").get_by_role("button", name=re.compile("^Share"))
    share.click()
    field = page.get_by_label(re.compile("^Copy this link"))
    expect(field).to_be_focused()
    expect(field).to_have_value(f"{live_server.url}/annotations/{note.pk}/")
    selected = page.evaluate(
        "() => [document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    )
    assert selected == [0, len(f"{live_server.url}/annotations/{note.pk}/")]
    page.keyboard.press("Escape")
    expect(field).to_have_count(0)
    expect(share).to_be_focused()


def test_a_private_link_opened_by_someone_else_shows_the_message(
    browser: Browser, seeded, alice, bob, session_of, live_server
):
    """Bob opens Alice's private annotation's link: the message page (404), no article; Alice
    opening it lands on her passage."""
    article = seeded["001"]
    note = annotate(alice, article, LATE_PHRASE, visibility="private")
    # A context of its own: make_page counts every 404 as a fault of the site.
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        context.add_cookies([session_of(bob)])
        page = context.new_page()
        response = page.goto(f"/annotations/{note.pk}/")
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("This annotation cannot be shown")
        expect(
            page.get_by_text("This annotation is private, was removed, or you need to sign in")
        ).to_be_visible()
        expect(page.get_by_role("link", name="sign in with that account")).to_be_visible()
        expect(page.locator("#article-body")).to_have_count(0)

        context.clear_cookies()
        context.add_cookies([session_of(alice)])
        page.goto(f"/annotations/{note.pk}/")
        expect(page.locator(f"#card-{note.pk}")).to_be_focused()
    finally:
        context.close()
