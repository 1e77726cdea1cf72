"""Page notes in a real browser: "Add page note" with the mouse and with the keyboard alone,
the note listed under "Page notes" at the top of the cards, then replied to, edited and
deleted like any other card. Nothing waits for time to pass: every step waits for a
condition (Playwright's expect polls)."""

import re

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Annotation

from .helpers import detail_url

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def alice_page(make_page, seeded, alice, sign_in) -> Page:
    page = make_page()
    sign_in(page, alice)
    return page


def open_article(page: Page, article) -> None:
    page.goto(detail_url(article))
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)


def tab_until_focused(page: Page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def page_notes(page: Page):
    return page.locator("#page-notes")


def test_a_page_note_made_with_the_mouse(alice_page: Page, seeded, alice):
    """Click "Add page note", write, save: the card is listed under "Page notes", selected and
    focused; no words are highlighted; the note survives a reload."""
    page = alice_page
    article = seeded["004"]
    open_article(page, article)
    expect(page.locator("#article-body mark.hl")).to_have_count(0)
    page.get_by_role("button", name="Add page note").click()
    form = page.get_by_role("form", name="Add a page note")
    expect(form).to_be_visible()
    note = form.get_by_label("Note on the whole article (Markdown)")
    expect(note).to_be_focused()
    note.fill("The piece quotes **one** side only.")
    form.get_by_role("button", name="Save page note").click()

    expect(page_notes(page).get_by_role("heading", name="Page notes (1)")).to_be_visible()
    created = Annotation.objects.get()
    assert (created.start, created.exact, created.motivation) == (None, "", "commenting")
    assert created.creator == alice
    card = page.locator(f"#card-{created.pk}")
    expect(card).to_be_focused()
    expect(card).to_have_class(re.compile(r"\bis-selected\b"))
    expect(card.locator(".card__note strong")).to_have_text("one")
    expect(card.get_by_role("button", name="Show in text")).to_have_count(0)
    expect(page.locator("#article-body mark.hl")).to_have_count(0)
    expect(page.locator("#annotator-status")).to_have_text("Page note added.")

    page.reload()
    expect(page_notes(page).locator(f"#card-{created.pk} .card__note")).to_contain_text(
        "quotes one side only"
    )


def test_a_page_note_made_with_the_keyboard_alone(alice_page: Page, seeded):
    """Tab to "Add page note", Enter, type, Tab to the tag field and add a tag, tick private
    with Space, Ctrl+Enter saves; Escape on a second form closes it and gives focus back."""
    page = alice_page
    open_article(page, seeded["004"])
    tab_until_focused(page, "#page-note-add")
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name="Add a page note")
    expect(form.get_by_label("Note on the whole article (Markdown)")).to_be_focused()
    page.keyboard.type("Who speaks for the opposition here?")
    page.keyboard.press("Tab")  # "Ask it as a question"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the tag field
    expect(form.get_by_role("combobox", name="Tags")).to_be_focused()
    page.keyboard.type("sourcing")
    page.keyboard.press("Enter")
    expect(form.locator(".chip")).to_have_text(re.compile("sourcing"))
    page.keyboard.press("Control+Enter")

    expect(page_notes(page).get_by_role("heading", name="Page notes (1)")).to_be_visible()
    created = Annotation.objects.get()
    assert created.is_page_note
    assert created.motivation == "questioning"
    assert [t.name for t in created.tags.all()] == ["sourcing"]
    expect(page.locator(f"#card-{created.pk}")).to_be_focused()

    # Escape closes a new form and returns focus to the button.
    add = page.get_by_role("button", name="Add page note")
    add.focus()
    page.keyboard.press("Enter")
    expect(form).to_be_visible()
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    expect(add).to_be_focused()


def test_an_empty_page_note_is_refused_in_the_form(alice_page: Page, seeded):
    """Saving with no note and no tag says what is missing and sends nothing."""
    page = alice_page
    open_article(page, seeded["004"])
    page.get_by_role("button", name="Add page note").click()
    form = page.get_by_role("form", name="Add a page note")
    form.get_by_role("button", name="Save page note").click()
    expect(form.get_by_role("alert")).to_have_text("Write a note or add a tag first.")
    assert not Annotation.objects.exists()


def test_a_page_note_is_replied_to_edited_and_deleted(alice_page: Page, seeded, alice):
    """The page note's card has Reply, Edit, Delete and Share like any card."""
    page = alice_page
    article = seeded["004"]
    note = services.annotation_create(
        user=alice, article=article, page_note=True, note="First thoughts"
    ).annotation
    open_article(page, article)
    card = page.locator(f"#card-{note.pk}")
    expect(page_notes(page).locator(f"#card-{note.pk}")).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Share"))).to_be_visible()

    card.get_by_role("button", name="Reply").click()
    page.get_by_label("Your reply").fill("A reply to the page note")
    page.get_by_role("button", name="Post reply").click()
    expect(card.locator(".card__replies .card__note")).to_have_text("A reply to the page note")

    card.get_by_role("button", name="Edit").first.click()
    edit = page.get_by_role("form", name="Edit your annotation")
    edit.get_by_label("Note").fill("Second thoughts")
    edit.get_by_role("button", name="Save changes").click()
    expect(card.locator(":scope > .card__note")).to_have_text("Second thoughts")
    note.refresh_from_db()
    assert (note.note, note.start) == ("Second thoughts", None)

    card.locator(":scope > .card__actions").get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(f"#card-{note.pk}")).to_have_count(0)
    assert not Annotation.objects.exists()


def test_signed_out_readers_see_page_notes_but_no_add_button(make_page, seeded, alice):
    """A public page note is read by anyone; only signed-in readers get the button."""
    article = seeded["004"]
    services.annotation_create(user=alice, article=article, page_note=True, note="Public note")
    page = make_page()
    open_article(page, article)
    expect(page_notes(page).locator(".card__note")).to_have_text("Public note")
    expect(page.get_by_role("button", name="Add page note")).to_have_count(0)
