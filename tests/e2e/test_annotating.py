"""Annotating in a real browser: select words, highlight, comment, tag, mark claims, reply,
edit, delete, filter; with the mouse and with the keyboard alone; and what others may see.

Selections are made the way readers make them: a mouse drag over the words (page.mouse) or
keyboard focus on the article text and Shift+arrow keys. Nothing waits for time to pass:
every step waits for a condition (Playwright's expect polls).
"""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from annotations import services
from annotations.models import Annotation, Claim
from articles.services import article_import
from tests.conftest import SEED_NAMES, seed_path

from .conftest import DESKTOP, TIMEOUT_MS
from .helpers import detail_url

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password-1"

# Seed 004 (Press TV), short and with plain ASCII phrases.
ALLOUSH = "Mohammad Alloush"
HEAD_OF_OFFICE = "the head of the political office"
ANKARA_SENTENCE = "are now working to form a delegation which he will head"
CEASEFIRE = "the matter of the ceasefire"
# Seed 001: the paragraph that a revision removes (as in tests/annotations).
MOSCOW = "Moscow has said they would take place in Kazakhstan.\n\n"
MOSCOW_QUOTE = "Moscow has said they would take place in Kazakhstan"

PHRASE_BOX_JS = """
([phrase, nth]) => {
  let seen = 0;
  for (const block of document.querySelectorAll('#article-body .blk-text')) {
    const text = block.textContent;
    for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) {
      if (seen++ !== nth) continue;
      const point = (offset) => {
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (offset < node.data.length) return [node, offset];
          offset -= node.data.length;
        }
        return null;
      };
      const charRect = ([node, offset]) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getClientRects()[0];
      };
      block.scrollIntoView({ block: 'center' });
      const first = charRect(point(i));
      const last = charRect(point(i + phrase.length - 1));
      return {
        x1: first.left + 1, y1: first.top + first.height / 2,
        x2: last.right - 1, y2: last.top + last.height / 2,
      };
    }
  }
  return null;
}
"""


# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def make_user(django_user_model) -> Callable[[str], object]:
    def _make(username: str):
        return django_user_model.objects.create_user(username, password=PASSWORD)

    return _make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def alice_page(make_page, seeded, alice, sign_in) -> Page:
    """A desktop page signed in as alice (the seed articles are imported)."""
    page = make_page()
    sign_in(page, alice)
    return page


def open_article(page: Page, article) -> None:
    page.goto(detail_url(article))
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)


def drag_select(page: Page, phrase: str, nth: int = 0) -> None:
    """Select `phrase` in the article body with a real mouse drag over its first to last letter."""
    box = page.evaluate(PHRASE_BOX_JS, [phrase, nth])
    assert box, f"{phrase!r} is not in the article body"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    assert page.evaluate("() => getSelection().toString()") == phrase
    expect(page.locator("#annotator-pop")).to_be_visible()


def wait_for_cards(page: Page, count: int) -> None:
    """Wait until the sidebar (re-rendered after a write) lists `count` annotations in the text."""
    expect(page.get_by_role("tab", name=f"In the text ({count})")).to_be_visible()


def toolbar(page: Page):
    return page.get_by_role("toolbar", name="Annotate the selected text")


def mark_for(page: Page, annotation: Annotation):
    return page.locator(f"#article-body mark[data-ids~='{annotation.pk}']")


def card_for(page: Page, annotation: Annotation):
    return page.locator(f"#card-{annotation.pk}")


def annotate(user, article, phrase: str, nth: int = 0, **fields) -> Annotation:
    """An annotation made directly through the service (for tests about what comes after)."""
    body = article.current_revision.body
    start = -1
    for _ in range(nth + 1):
        start = body.index(phrase, start + 1)
    return services.annotation_create(
        user=user, article=article, start=start, end=start + len(phrase), exact=phrase, **fields
    ).annotation


def tab_until_focused(page: Page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


# --- highlighting --------------------------------------------------------------------------


def test_mouse_highlight_is_on_the_same_words_after_reload(alice_page: Page, seeded, alice):
    page = alice_page
    article = seeded["004"]
    open_article(page, article)
    drag_select(page, ALLOUSH)

    bar = toolbar(page)
    expect(bar).to_be_visible()
    # The shortcuts are shown on the toolbar's buttons.
    expect(bar.get_by_role("button", name="Comment")).to_contain_text("C")
    bar.get_by_role("button", name="Highlight green: supported by other sources").click()

    expect(bar).to_be_hidden()
    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    assert (annotation.exact, annotation.colour, annotation.creator) == (ALLOUSH, "green", alice)
    body = article.current_revision.body
    assert body[annotation.start : annotation.end] == ALLOUSH
    assert annotation.motivation == "highlighting"
    mark = mark_for(page, annotation)
    expect(mark).to_have_text(ALLOUSH)
    expect(mark).to_have_class(re.compile(r"\bhl--green\b"))
    expect(mark).to_be_focused()
    expect(card_for(page, annotation)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(card_for(page, annotation).locator(".card__quote")).to_have_text(ALLOUSH)

    page.reload()
    expect(mark_for(page, annotation)).to_have_text(ALLOUSH)
    expect(page.locator("#article-body mark.hl")).to_have_count(1)
    expect(page.get_by_role("tab", name="In the text (1)")).to_be_visible()


def test_keyboard_alone_selects_and_highlights(alice_page: Page, seeded):
    """Tab to the article text, move with the arrows, select with Shift+arrows, Tab to the
    toolbar, choose a colour with the arrows and Enter; Enter on the highlight opens its card."""
    page = alice_page
    open_article(page, seeded["004"])
    body = page.locator("#article-body")
    tab_until_focused(page, "#article-body")
    expect(body).to_be_focused()
    expect(page.locator(".kbd-caret")).to_be_visible()
    expect(page.locator(".caret-hint")).to_be_visible()

    page.keyboard.press("Control+ArrowRight")  # past "Syrian"
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    expect(toolbar(page)).to_be_visible()
    expect(page.locator(".pop__hint")).to_be_visible()

    page.keyboard.press("Tab")
    first = toolbar(page).get_by_role("button", name="Highlight yellow: key passage")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar(page).get_by_role("button", name=re.compile("^Highlight green"))).to_be_focused()
    page.keyboard.press("Enter")

    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    assert annotation.exact == "militant groups"
    assert annotation.colour == "green"
    mark = mark_for(page, annotation)
    expect(mark).to_have_text("militant groups")
    expect(mark).to_be_focused()

    page.keyboard.press("Enter")  # from the highlight to its card
    expect(card_for(page, annotation)).to_be_focused()

    # Shift+arrows from a focused highlight select from its start; C opens the comment form.
    mark.focus()
    for _ in range(len("militant")):
        page.keyboard.press("Shift+ArrowRight")
    expect(toolbar(page)).to_be_visible()
    page.keyboard.press("c")
    note = page.get_by_label("Your comment")
    expect(note).to_be_focused()
    page.keyboard.type("Who exactly?")
    page.keyboard.press("Control+Enter")
    comment = page.locator("#annotation-sidebar .card[data-motivation='commenting']")
    expect(comment.locator(".card__note")).to_have_text("Who exactly?")
    assert Annotation.objects.get(motivation="commenting").exact == "militant"


def test_escape_closes_the_toolbar_and_keeps_the_selection(alice_page: Page, seeded):
    page = alice_page
    open_article(page, seeded["004"])
    drag_select(page, ALLOUSH)
    expect(toolbar(page)).to_be_visible()
    toolbar(page).get_by_role("button", name="Comment").click()
    expect(page.get_by_label("Your comment")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#annotator-pop")).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    assert page.evaluate("() => getSelection().toString()") == ALLOUSH
    assert not Annotation.objects.exists()

    # Clicking elsewhere drops the selection; selecting the same words again brings it back.
    page.locator("#article-body p.blk-text").last.click()
    expect(page.locator("#annotator-pop")).to_be_hidden()
    drag_select(page, ALLOUSH)
    expect(toolbar(page)).to_be_visible()


# --- comment, tag, claim -----------------------------------------------------------------


def test_comment_shows_in_sidebar_and_hover_card(alice_page: Page, seeded):
    page = alice_page
    open_article(page, seeded["004"])
    drag_select(page, HEAD_OF_OFFICE)
    toolbar(page).get_by_role("button", name="Comment").click()
    page.get_by_label("Your comment").fill("A *senior* figure, per the agency.")
    page.get_by_role("button", name="Save comment").click()

    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    assert (annotation.motivation, annotation.exact) == ("commenting", HEAD_OF_OFFICE)
    assert annotation.note == "A *senior* figure, per the agency."
    card = card_for(page, annotation)
    expect(card.locator(".card__note em")).to_have_text("senior")
    expect(card.locator(".card__author")).to_have_text("alice")

    # Hovering the highlight shows its card: note, author, time.
    page.mouse.move(0, 0)
    mark_for(page, annotation).hover()
    preview = page.locator(".hl-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("A senior figure, per the agency.")
    expect(preview.locator(".card__author")).to_have_text("alice")
    expect(preview.locator("time")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()


def test_tag_suggests_existing_tags_and_accepts_new_ones(alice_page: Page, seeded, bob):
    article = seeded["004"]
    annotate(bob, article, CEASEFIRE, motivation="tagging", tags=["ceasefire"])
    page = alice_page
    open_article(page, article)
    drag_select(page, ALLOUSH)
    page.keyboard.press("t")
    field = page.get_by_role("combobox", name="Tags", exact=True)
    expect(field).to_be_focused()
    field.press_sequentially("cease")
    suggestions = page.get_by_role("listbox", name="Tag suggestions")
    suggestion = suggestions.get_by_role("option", name=re.compile(r"^ceasefire"))
    expect(suggestion).to_be_visible()
    field.press("ArrowDown")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(page.locator(".chip", has_text="ceasefire")).to_be_visible()
    field.press_sequentially("Jaish al-Islam")
    expect(suggestions.get_by_role("option", name="New tag “Jaish al-Islam”")).to_be_visible()
    field.press("Enter")
    expect(page.locator(".chip", has_text="Jaish al-Islam")).to_be_visible()
    page.get_by_role("button", name="Save tags").click()

    wait_for_cards(page, 2)
    annotation = Annotation.objects.get(creator__username="alice")
    assert annotation.motivation == "tagging"
    assert sorted(t.name for t in annotation.tags.all()) == ["Jaish al-Islam", "ceasefire"]
    tags = card_for(page, annotation).get_by_role("list", name="Tags")
    expect(tags.get_by_role("link")).to_have_text(["ceasefire", "Jaish al-Islam"])


def test_new_claim_shows_its_rating_and_the_claim_page_lists_the_passage(alice_page: Page, seeded):
    page = alice_page
    open_article(page, seeded["004"])
    drag_select(page, ANKARA_SENTENCE)
    toolbar(page).get_by_role("button", name="Claim").click()
    form = page.get_by_role("form", name="Mark the selection as a claim")
    expect(form.get_by_label("Statement")).to_have_value(ANKARA_SENTENCE)
    form.get_by_label("Statement").fill("The opposition is forming a delegation led by Alloush")
    form.get_by_label("Claimant").fill("Mohammad Alloush")
    form.get_by_label("Kind").select_option("factual")
    form.get_by_label("Rating").select_option("disputed")
    form.get_by_role("button", name="Save claim").click()

    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    claim = Claim.objects.get()
    assert annotation.motivation == "assessing"
    assert annotation.claim == claim
    assert (claim.claimant, claim.rating) == ("Mohammad Alloush", "disputed")
    card = card_for(page, annotation)
    expect(card.locator(".rating")).to_have_text("Disputed")
    card.get_by_role("link", name=re.compile("^The opposition is forming")).click()

    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.text)
    expect(page.locator(".passage__quote")).to_have_text(ANKARA_SENTENCE)

    # Back from the claim page to the passage: it is flashed and its card selected.
    page.locator(".passage__meta").get_by_role("link", name=seeded["004"].title).click()
    expect(page).to_have_url(re.compile(rf"#hl-{annotation.pk}$"))
    expect(card_for(page, annotation)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(mark_for(page, annotation)).to_be_in_viewport()


def test_claim_can_be_an_existing_one(alice_page: Page, seeded, alice):
    claim = services.claim_create(
        user=alice, text="Most armed groups will attend the talks", rating="supported"
    )
    page = alice_page
    open_article(page, seeded["004"])
    drag_select(page, "The majority of the groups decided to attend")
    page.keyboard.press("l")
    find = page.get_by_role("combobox", name="Find an existing claim")
    expect(find).to_be_focused()
    find.press_sequentially("armed groups")
    option = page.get_by_role("option", name=re.compile("^Most armed groups"))
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(".chosen-claim")).to_contain_text("Supported")
    expect(page.locator(".new-claim")).to_be_hidden()
    page.get_by_role("button", name="Save claim").click()

    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    assert annotation.claim_id == claim.pk
    assert Claim.objects.count() == 1
    expect(card_for(page, annotation).locator(".rating")).to_have_text("Supported")


def test_validation_errors_are_shown_in_an_alert(
    browser: Browser, live_server, seeded, alice, sign_in
):
    """A 400 from the API is shown to the reader (own context: the shared page fixture treats
    every 4xx response as a failure, and this one is expected)."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, alice)
        open_article(page, seeded["004"])
        drag_select(page, ALLOUSH)
        page.keyboard.press("t")
        page.get_by_role("combobox", name="Tags", exact=True).fill("x" * 101)
        page.get_by_role("button", name="Save tags").click()
        alert = page.get_by_role("form", name="Tag the selection").get_by_role("alert")
        expect(alert).to_have_text("Tags: A tag has at most 100 characters.")
        assert not Annotation.objects.exists()
    finally:
        context.close()
    assert not errors


# --- the sidebar: replies, edit, delete, filters, linking -----------------------------------


def test_reply_edit_and_delete_own_annotations(alice_page: Page, seeded, alice, bob):
    article = seeded["004"]
    mine = annotate(alice, article, ALLOUSH, motivation="commenting", note="First note")
    theirs = annotate(bob, article, CEASEFIRE, motivation="commenting", note="Bob's note")
    page = alice_page
    open_article(page, article)

    # Only your own cards can be edited or deleted; anyone signed in can reply.
    expect(card_for(page, theirs).get_by_role("button", name="Edit")).to_have_count(0)
    expect(card_for(page, theirs).get_by_role("button", name="Reply")).to_be_visible()

    card = card_for(page, mine)
    reply_button = card.get_by_role("button", name="Reply")
    reply_button.click()
    expect(page.get_by_label("Your reply")).to_be_focused()
    page.keyboard.press("Escape")  # closes the form, back to the button that opened it
    expect(page.get_by_label("Your reply")).to_have_count(0)
    expect(reply_button).to_be_focused()
    reply_button.press("Enter")
    page.get_by_label("Your reply").fill("Replying to myself")
    page.get_by_role("button", name="Post reply").click()
    reply_card = card.locator(".card__replies .card")
    expect(reply_card.locator(".card__note")).to_have_text("Replying to myself")
    reply = Annotation.objects.get(parent=mine)
    expect(reply_card).to_have_attribute("id", f"card-{reply.pk}")
    expect(reply_card).to_be_focused()

    reply_card.get_by_role("button", name="Edit").click()
    reply_note = reply_card.get_by_label("Your reply", exact=True)
    expect(reply_note).to_have_value("Replying to myself")
    reply_note.fill("Replying to myself, edited")
    reply_note.press("Control+Enter")
    expect(reply_card.locator(".card__note")).to_have_text("Replying to myself, edited")
    expect(reply_card).to_be_focused()

    card.get_by_role("button", name="Edit").first.click()
    note = card.get_by_label("Note", exact=True)
    expect(note).to_have_value("First note")
    note.fill("Second thoughts")
    card.get_by_role("radio", name=re.compile("^Red")).check()
    card.get_by_role("button", name="Save changes").click()
    expect(card.locator(":scope > .card__note")).to_have_text("Second thoughts")
    mine.refresh_from_db()
    assert (mine.note, mine.colour, mine.version) == ("Second thoughts", "red", 2)
    expect(mark_for(page, mine)).to_have_class(re.compile(r"\bhl--red\b"))

    reply_card.get_by_role("button", name="Delete").click()
    reply_card.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(f"#card-{reply.pk}")).to_have_count(0)
    assert not Annotation.objects.filter(pk=reply.pk).exists()

    card.get_by_role("button", name="Delete").click()
    card.get_by_role("button", name="Keep it").click()
    expect(card.get_by_role("button", name="Yes, delete")).to_have_count(0)
    card.get_by_role("button", name="Delete").click()
    card.get_by_role("button", name="Yes, delete").click()
    expect(card_for(page, mine)).to_have_count(0)
    expect(mark_for(page, mine)).to_have_count(0)
    expect(card_for(page, theirs)).to_be_focused()
    assert list(Annotation.objects.all()) == [theirs]


def test_filters_by_colour_author_mine_tag_and_kind(alice_page: Page, seeded, alice, bob):
    article = seeded["004"]
    yellow = annotate(alice, article, ALLOUSH, colour="yellow", tags=["people"])
    red = annotate(alice, article, CEASEFIRE, colour="red", motivation="commenting", note="n")
    green = annotate(bob, article, HEAD_OF_OFFICE, colour="green", tags=["people"])
    page = alice_page
    open_article(page, article)
    page.get_by_text("Filters · Legend").click()  # folded into one line above the cards
    filters = page.get_by_role("form", name="Filter annotations")
    expect(filters).to_be_visible()
    visible = page.locator("#panel-cards .cards > li:not([hidden]) > .card")
    expect(visible).to_have_count(3)

    filters.locator("select[name=colour]").select_option("green")
    expect(visible).to_have_count(1)
    expect(visible).to_have_attribute("id", f"card-{green.pk}")
    expect(mark_for(page, yellow)).to_have_class(re.compile(r"\bhl--dimmed\b"))
    expect(mark_for(page, green)).not_to_have_class(re.compile(r"\bhl--dimmed\b"))
    expect(filters.get_by_role("status")).to_have_text("Showing 1 of 3.")

    filters.locator("select[name=colour]").select_option("")
    filters.get_by_label("Only mine").check()
    expect(visible).to_have_count(2)
    filters.locator("select[name=tag]").select_option("people")
    expect(visible).to_have_count(1)
    expect(visible).to_have_attribute("id", f"card-{yellow.pk}")
    filters.get_by_role("button", name="Show all").click()
    expect(visible).to_have_count(3)

    filters.locator("select[name=author]").select_option("bob")
    expect(visible).to_have_count(1)
    filters.locator("select[name=author]").select_option("")
    filters.locator("select[name=motivation]").select_option("commenting")
    expect(visible).to_have_count(1)
    expect(visible).to_have_attribute("id", f"card-{red.pk}")


def test_card_and_highlight_find_each_other(alice_page: Page, seeded, alice):
    article = seeded["000"]  # long enough for the last paragraph to be off screen
    body = article.current_revision.body
    last_sentence = body.rstrip().rsplit("\n\n", 1)[-1].split(". ")[0][:60].strip()
    far = annotate(alice, article, last_sentence, motivation="commenting", note="far down")
    near = annotate(alice, article, body[:20].strip(), colour="blue")
    page = alice_page
    open_article(page, article)
    mark = mark_for(page, far)
    expect(mark).not_to_be_in_viewport()

    card_for(page, far).locator(".card__quote").click()
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_class(re.compile(r"\bis-flashing\b"))
    expect(card_for(page, far)).to_have_class(re.compile(r"\bis-selected\b"))

    page.evaluate("() => window.scrollTo(0, 0)")
    mark_for(page, near).click()
    expect(card_for(page, near)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(card_for(page, far)).not_to_have_class(re.compile(r"\bis-selected\b"))

    # The keyboard way: "Show in text" moves focus to the highlight.
    card_for(page, far).get_by_role("button", name="Show in text").click()
    expect(mark).to_be_focused()


def test_sidebar_tabs_follow_the_arrow_keys(alice_page: Page, seeded):
    page = alice_page
    open_article(page, seeded["004"])
    cards_tab = page.get_by_role("tab", name=re.compile("^In the text"))
    orphans_tab = page.get_by_role("tab", name=re.compile("^Orphans"))
    expect(page.locator("#panel-orphans")).to_be_hidden()
    cards_tab.focus()
    page.keyboard.press("ArrowRight")
    expect(orphans_tab).to_be_focused()
    expect(orphans_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-orphans")).to_be_visible()
    expect(page.locator("#panel-cards")).to_be_hidden()
    page.keyboard.press("Home")
    expect(cards_tab).to_have_attribute("aria-selected", "true")


# --- who sees what ---------------------------------------------------------------------------


def test_private_note_is_not_seen_by_another_reader(
    alice_page: Page, make_page, seeded, bob, sign_in
):
    article = seeded["004"]
    page = alice_page
    open_article(page, article)
    drag_select(page, ALLOUSH)
    page.keyboard.press("p")
    expect(toolbar(page).get_by_role("button", name="Private")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.press("c")
    page.get_by_label("Your comment").fill("Only for me")
    page.get_by_role("button", name="Save comment").click()
    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    assert annotation.visibility == "private"
    expect(card_for(page, annotation).locator(".badge", has_text="private")).to_be_visible()

    other = make_page()
    sign_in(other, bob)
    open_article(other, article)
    expect(other.get_by_role("tab", name="In the text (0)")).to_be_visible()
    expect(other.locator("#article-body mark.hl")).to_have_count(0)
    expect(other.locator("body")).not_to_contain_text("Only for me")

    anonymous = make_page()
    open_article(anonymous, article)
    expect(anonymous.locator("#article-body mark.hl")).to_have_count(0)


def test_signed_out_readers_get_a_sign_in_prompt_not_the_toolbar(make_page, seeded, alice):
    article = seeded["004"]
    annotate(alice, article, ALLOUSH, motivation="commenting", note="Public note")
    page = make_page()
    open_article(page, article)
    expect(page.locator(".card__note")).to_have_text("Public note")
    expect(page.locator(".card__actions button", has_text="Reply")).to_have_count(0)
    drag_select(page, HEAD_OF_OFFICE)
    prompt = page.locator("#annotator-pop")
    expect(prompt).to_be_visible()
    expect(toolbar(page)).to_have_count(0)
    expect(prompt.get_by_role("link", name="Sign in")).to_have_attribute(
        "href", re.compile(r"^/accounts/login/\?next=(/|%2F)articles(/|%2F)")
    )
    page.keyboard.press("Escape")
    expect(prompt).to_be_hidden()


def test_without_javascript_articles_and_highlights_still_read(
    browser: Browser, live_server, seeded, alice
):
    article = seeded["004"]
    annotation = annotate(alice, article, ALLOUSH, motivation="commenting", note="Still here")
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(detail_url(article))
        expect(page.locator(f"#hl-{annotation.pk}")).to_have_text(ALLOUSH)
        expect(page.locator(f"#card-{annotation.pk} .card__note")).to_have_text("Still here")
        expect(page.locator("#panel-orphans")).to_be_visible()  # both lists, one after the other
        expect(page.locator("#card-filters")).to_be_hidden()
        expect(page.locator("#annotator-pop")).to_have_count(0)
        expect(page.locator("#article-body")).not_to_have_attribute("tabindex", "0")
    finally:
        context.close()


# --- revisions -------------------------------------------------------------------------------


def test_annotation_on_a_removed_sentence_is_listed_under_orphans(alice_page: Page, seeded):
    article = seeded["001"]
    page = alice_page
    open_article(page, article)
    drag_select(page, MOSCOW_QUOTE)
    toolbar(page).get_by_role("button", name="Comment").click()
    page.get_by_label("Your comment").fill("Where did Moscow say so?")
    page.get_by_role("button", name="Save comment").click()
    wait_for_cards(page, 1)
    annotation = Annotation.objects.get()
    expect(card_for(page, annotation)).to_be_visible()

    raw = seed_path("001").read_bytes().decode("utf-8")
    assert MOSCOW in raw
    article_import(name=SEED_NAMES["001"], data=raw.replace(MOSCOW, "").encode("utf-8"))
    annotation.refresh_from_db()
    assert annotation.anchor_status == "orphaned"

    page.reload()
    expect(mark_for(page, annotation)).to_have_count(0)
    orphans_tab = page.get_by_role("tab", name="Orphans (1)")
    orphans_tab.click()
    orphan = page.locator("#panel-orphans").locator(f"#card-{annotation.pk}")
    expect(orphan).to_be_visible()
    expect(orphan.locator(".card__quote")).to_have_text(MOSCOW_QUOTE)
    expect(orphan.locator(".card__note")).to_have_text("Where did Moscow say so?")
    expect(orphan.get_by_role("button", name="Show in text")).to_have_count(0)
