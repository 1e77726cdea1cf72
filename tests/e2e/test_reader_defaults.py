"""No silent carry-over: every annotation made through the reader starts from visible defaults
(yellow, public), a claim's colour follows its rating unless the reader picks one, and privacy
persists only when the reader chose to keep it on, shown as "Private: on" and undone with one
key or one click. What was saved is read back from the database after every step.
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Annotation

from .test_annotating import (  # noqa: F401 (fixtures)
    alice,
    alice_page,
    drag_select,
    make_user,
    open_article,
    toolbar,
    wait_for_cards,
)

pytestmark = pytest.mark.e2e

SWATCH_KEYS = {"yellow": "1", "green": "2", "red": "3", "blue": "4", "purple": "5"}


@dataclass
class Step:
    phrase: str
    kind: str  # highlight, comment, tag, claim
    pick: str | None = None  # the colour the reader picks in this step, if any
    rating: str = "unrated"  # for a claim
    privacy: str = ""  # "p" (private this once), "k" (keep private on), "click" (form checkbox)
    colour: str = "yellow"  # what must be saved
    private: bool = False  # what must be saved


# Twenty passages in a row, mixing the four kinds, colour picks, ratings and privacy.
STEPS = [
    Step("Foreign-sponsored militant groups", "highlight", pick="green", colour="green"),
    Step("Arab country", "comment"),  # after green: yellow again
    Step("boost efforts", "tag", pick="blue", colour="blue"),
    Step("six-year-old conflict", "claim", rating="disputed", colour="red"),
    Step("Mohammad Alloush", "highlight"),  # H after a red claim: yellow
    Step("Jaish al-Islam militant group", "comment", privacy="p", private=True),
    Step("said on Monday", "tag"),  # after a private comment: public
    Step("meetings underway", "claim", rating="supported", pick="purple", colour="purple"),
    Step(
        "Turkish capital city of Ankara",
        "highlight",
        pick="red",
        privacy="p",
        colour="red",
        private=True,
    ),
    Step("form a delegation", "claim"),  # unrated and after red: yellow, public
    Step("The factions will go", "tag", privacy="click", private=True),
    Step("its violations", "comment", pick="purple", colour="purple"),
    Step("an unnamed official", "highlight", privacy="k", private=True),  # kept on from here
    Step("Free Syrian Army", "claim", rating="misleading", colour="purple", private=True),
    Step("a test for the Russians", "tag", pick="green", colour="green", private=True),
    Step("Zakaria Malahifji", "comment", privacy="p"),  # P turns it off: public again
    Step("Fastaqim Kama Umirt Union", "highlight"),
    Step("release of detainees", "claim", rating="false", colour="red"),
    Step("Ahmad al-Othman", "tag"),
    Step("Sultan Murad militant faction", "highlight", pick="blue", colour="blue"),
]


def private_button(page: Page):
    return toolbar(page).locator("[data-action='private']")


def make(page: Page, step: Step, index: int) -> None:
    """Annotate one passage the way a reader would: select, maybe set privacy, act."""
    drag_select(page, step.phrase)
    bar = toolbar(page)
    expect(bar).to_be_visible()
    if step.privacy in ("p", "k"):
        page.keyboard.press(step.privacy)
    if step.kind == "highlight":
        if step.pick:
            page.keyboard.press(SWATCH_KEYS[step.pick])
        else:
            page.keyboard.press("h")
        return
    key = {"comment": "c", "tag": "t", "claim": "l"}[step.kind]
    page.keyboard.press(key)
    name = {
        "comment": "Comment on the selection",
        "tag": "Tag the selection",
        "claim": "Mark the selection as a claim",
    }[step.kind]
    form = page.get_by_role("form", name=name)
    expect(form).to_be_visible()
    # Every form opens on the defaults, whatever came before.
    expect(form.get_by_role("radio", name=re.compile("^Yellow"))).to_be_checked()
    if step.kind == "comment":
        form.get_by_label("Your comment").fill(f"Note {index}")
    elif step.kind == "tag":
        form.get_by_role("combobox", name="Tags", exact=True).fill(f"tag{index}")
    else:
        form.get_by_label("Rating").select_option(step.rating)
    if step.pick:
        form.get_by_role("radio", name=re.compile(f"^{step.pick.capitalize()}")).check()
    if step.privacy == "click":
        form.get_by_label("Private (only you)").check()
    form.get_by_role("button", name=re.compile("^Save")).click()


def test_twenty_passages_in_a_row_inherit_nothing(alice_page: Page, seeded, alice):  # noqa: F811
    """The Done-when check: twenty annotations through the UI, mixing kinds, colour picks and
    privacy; each is saved with exactly the colour and privacy chosen in its own step."""
    page = alice_page
    open_article(page, seeded["004"])
    for index, step in enumerate(STEPS):
        make(page, step, index)
        wait_for_cards(page, index + 1)
        saved = Annotation.objects.filter(creator=alice).order_by("-pk").first()
        assert saved.exact == step.phrase, (index, saved.exact)
        got = (saved.colour, saved.visibility)
        want = (step.colour, "private" if step.private else "public")
        assert got == want, f"step {index} ({step.kind} {step.phrase!r}): saved {got}, chose {want}"
        expected_motivation = {
            "highlight": "highlighting",
            "comment": "commenting",
            "tag": "tagging",
            "claim": "assessing",
        }[step.kind]
        assert saved.motivation == expected_motivation
    assert Annotation.objects.filter(creator=alice).count() == 20
    assert Annotation.objects.filter(visibility="private").count() == 6


def test_claim_colour_follows_its_rating_unless_picked(alice_page: Page, seeded, alice):  # noqa: F811
    """Disputed is red, Supported green, Misleading purple, Unrated the default; an existing
    claim lends its rating's colour; once the reader picks one, the rating no longer moves it."""
    existing = services.claim_create(
        user=alice, text="Most armed groups will attend", rating="misleading"
    )
    page = alice_page
    open_article(page, seeded["004"])
    drag_select(page, "The majority of the groups decided to attend")
    page.keyboard.press("l")
    form = page.get_by_role("form", name="Mark the selection as a claim")
    rating = form.get_by_label("Rating")
    radio = lambda name: form.get_by_role("radio", name=re.compile(f"^{name}"))  # noqa: E731
    expect(radio("Yellow")).to_be_checked()
    for value, colour in (
        ("disputed", "Red"),
        ("supported", "Green"),
        ("false", "Red"),
        ("unrated", "Yellow"),
    ):
        rating.select_option(value)
        expect(radio(colour)).to_be_checked()
    expect(form.locator(".colour-pick__hint")).to_contain_text("Follows the rating")

    # An existing claim: its rating decides.
    find = form.get_by_role("combobox", name="Find an existing claim")
    find.press_sequentially("armed groups")
    form.get_by_role("option", name=re.compile("^Most armed groups")).click()
    expect(radio("Purple")).to_be_checked()
    form.get_by_role("button", name="Save claim").click()
    wait_for_cards(page, 1)
    first = Annotation.objects.get()
    assert (first.claim_id, first.colour) == (existing.pk, "purple")

    # The reader's pick wins over any later rating.
    drag_select(page, "decided to go to the talks")
    page.keyboard.press("l")
    form = page.get_by_role("form", name="Mark the selection as a claim")
    rating = form.get_by_label("Rating")
    rating.select_option("supported")
    expect(radio("Green")).to_be_checked()
    radio("Blue").check()
    rating.select_option("disputed")
    expect(radio("Blue")).to_be_checked()
    expect(form.locator(".colour-pick__hint")).to_have_text("Your pick.")
    form.get_by_role("button", name="Save claim").click()
    wait_for_cards(page, 2)
    second = Annotation.objects.latest("pk")
    assert (second.colour, second.claim.rating) == ("blue", "disputed")


def test_private_on_is_shown_while_kept_and_one_key_undoes_it(alice_page: Page, seeded):  # noqa: F811
    """P makes one annotation private; K keeps it on ("Private: on" in the toolbar and the
    forms, across reloads); P (or unticking Private in a form) turns it off again."""
    page = alice_page
    open_article(page, seeded["004"])
    button = private_button(page)
    keep = toolbar(page).locator("[data-action='keep']")

    drag_select(page, "Mohammad Alloush")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(keep).to_be_hidden()
    page.keyboard.press("p")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text(re.compile(r"^Private\s*P$"))  # this one only
    page.keyboard.press("k")
    expect(button).to_contain_text("Private: on")
    expect(keep).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("h")
    wait_for_cards(page, 1)
    assert Annotation.objects.latest("pk").visibility == "private"

    # Kept on: shown on the next selection, also after a reload, and in the forms.
    page.reload()
    drag_select(page, "said on Monday")
    expect(button).to_contain_text("Private: on")
    expect(button).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("c")
    privacy = page.locator(".pop-form .privacy")
    expect(privacy.locator(".privacy__status")).to_contain_text("Private: on")
    expect(privacy.get_by_label("Keep private on for my next annotations")).to_be_checked()
    page.get_by_label("Your comment").fill("Kept private")
    page.keyboard.press("Control+Enter")
    wait_for_cards(page, 2)
    assert Annotation.objects.latest("pk").visibility == "private"

    # One key undoes it.
    drag_select(page, "meetings underway")
    expect(button).to_contain_text("Private: on")
    page.keyboard.press("p")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).not_to_contain_text("Private: on")
    page.keyboard.press("h")
    wait_for_cards(page, 3)
    assert Annotation.objects.latest("pk").visibility == "public"
    drag_select(page, "form a delegation")
    expect(button).to_have_attribute("aria-pressed", "false")

    # One click undoes it too: keep it on again, then untick Private in the form.
    page.keyboard.press("k")
    expect(button).to_contain_text("Private: on")
    page.keyboard.press("t")
    form = page.get_by_role("form", name="Tag the selection")
    form.get_by_label("Private (only you)").uncheck()
    expect(button).not_to_contain_text("Private: on")
    expect(form.locator(".privacy__status")).to_contain_text("Public")
    form.get_by_role("combobox", name="Tags", exact=True).fill("delegation")
    form.get_by_role("button", name="Save tags").click()
    wait_for_cards(page, 4)
    assert Annotation.objects.latest("pk").visibility == "public"
    page.reload()
    drag_select(page, "its violations")
    expect(button).to_have_attribute("aria-pressed", "false")
