"""Groups in a real browser: olga makes a group and reads its invite link, pavel joins by it,
olga annotates an article for the group from the reader's "Showing" choice; the group's member
sees the annotation, a signed-in stranger and an anonymous visitor do not (on the page or in the
API); revoking the link makes the old one a 404. And on a phone, the group page and the layer
choice fit the screen.

Each reader has a browser context of their own (make_page), signed in with a session cookie.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from annotations import services
from annotations.models import Annotation, Group, Membership, Role

from .conftest import DESKTOP, TIMEOUT_MS, sign_in_page
from .test_annotating import (
    ALLOUSH,
    PASSWORD,
    card_for,
    drag_select,
    mark_for,
    open_article,
    toolbar,
    wait_for_cards,
)

pytestmark = pytest.mark.e2e

GROUP_NAME = "Newsroom desk"
NOTE = "Check this with the desk before we quote him."
PHONE = {"width": 390, "height": 844}

OVERFLOW_JS = "() => document.documentElement.scrollWidth"


@pytest.fixture
def people(django_user_model) -> dict:
    return {
        name: django_user_model.objects.create_user(name, password=PASSWORD)
        for name in ("olga", "pavel", "quinn", "rita")
    }


@pytest.fixture
def signed_in(make_page, live_server) -> Callable[..., Page]:
    """signed_in(user, viewport=DESKTOP): a page of its own context, signed in as user."""

    def _page(user, viewport: dict[str, int] = DESKTOP) -> Page:
        page = make_page(viewport)
        sign_in_page(page, user, live_server)
        return page

    return _page


def api_ids(page: Page, article) -> list[str]:
    """The ids the annotation API lists for the article, asked with the page's cookies."""
    response = page.request.get(f"/api/annotations/?article={article.slug}")
    assert response.status == 200, response.text()
    return [item["id"] for item in response.json()["items"]]


def assert_within_phone(locator) -> None:
    """The element lies across the phone's width, neither side cut off."""
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], box


def test_a_group_from_making_to_a_revoked_link(
    browser: Browser, make_page, signed_in, seeded, people, live_server
):
    article = seeded["004"]

    # 1. Olga makes a group on /groups/ and lands on its page, with its invite link.
    olga = signed_in(people["olga"])
    olga.goto(reverse("annotations:group-list"))
    expect(olga.get_by_text("You are in no group yet.")).to_be_visible()
    olga.get_by_label("Name").fill(GROUP_NAME)
    olga.get_by_label("What it is for").fill("Fact-checking the Astana talks")
    olga.get_by_role("button", name="Make the group").click()
    group = Group.objects.get()
    assert group.name == GROUP_NAME
    expect(olga).to_have_url(f"{live_server.url}{group.get_absolute_url()}")
    expect(olga.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    expect(olga.get_by_text("You are its owner.")).to_be_visible()
    link = olga.locator("input#invite-link")
    expect(link).to_be_visible()
    invite = link.input_value()
    assert invite == f"{live_server.url}/groups/join/{group.invite_token}/"

    # 2. Pavel opens the link in his own browser, joins, and sees both members.
    pavel = signed_in(people["pavel"])
    pavel.goto(invite)
    expect(pavel.get_by_role("heading", level=1)).to_have_text(f"Join “{GROUP_NAME}”")
    pavel.get_by_role("button", name="Join the group").click()
    expect(pavel).to_have_url(f"{live_server.url}{group.get_absolute_url()}")
    expect(pavel.get_by_text(f"You joined “{GROUP_NAME}”.")).to_be_visible()
    expect(pavel.get_by_role("heading", name="Members (2)")).to_be_visible()
    members = pavel.locator(".member-list > li")
    expect(members).to_have_count(2)
    expect(members.filter(has_text="olga")).to_contain_text("Owner")
    expect(members.filter(has_text="pavel")).to_contain_text("Member")
    expect(pavel.locator("input#invite-link")).to_have_count(0)  # a member does not manage it
    assert Membership.objects.get(group=group, user=people["pavel"]).role == Role.MEMBER

    # 3. Olga shows the group's layer on the article and comments there: it goes to the group.
    open_article(olga, article)
    layer = olga.get_by_label("Showing")
    expect(olga.locator("#layer-target")).to_have_text("New annotations are public.")
    layer.select_option(label=f"Group: {GROUP_NAME}")
    expect(layer).to_have_value(f"group:{group.slug}")
    expect(olga.locator("#layer-target")).to_have_text(
        f"New annotations go to the group {GROUP_NAME} only."
    )
    drag_select(olga, ALLOUSH)
    toolbar(olga).get_by_role("button", name="Comment").click()
    olga.get_by_label("Your comment").fill(NOTE)
    olga.keyboard.press("Control+Enter")
    wait_for_cards(olga, 1)
    annotation = Annotation.objects.get()
    assert (annotation.visibility, annotation.group) == ("group", group)
    assert (annotation.creator, annotation.exact) == (people["olga"], ALLOUSH)
    card = card_for(olga, annotation)
    expect(card).to_have_attribute("data-layer", f"group:{group.slug}")
    expect(card.locator(".badge", has_text=GROUP_NAME)).to_be_visible()
    expect(olga.locator("#layer-target")).to_have_text(  # the choice survives the re-render
        f"New annotations go to the group {GROUP_NAME} only."
    )

    # 4. Pavel, a member, sees the card with the group's badge and the highlight.
    open_article(pavel, article)
    card = card_for(pavel, annotation)
    expect(card).to_be_visible()
    expect(card.locator(".card__note")).to_have_text(NOTE)
    expect(card.locator(".badge", has_text=GROUP_NAME)).to_be_visible()
    expect(mark_for(pavel, annotation)).to_have_text(ALLOUSH)
    iri = f"{live_server.url}/api/annotations/{annotation.pk}/"
    assert iri in api_ids(pavel, article)

    # Quinn (signed in, not a member) and an anonymous visitor see none of it.
    quinn = signed_in(people["quinn"])
    anonymous = make_page()
    for outsider in (quinn, anonymous):
        open_article(outsider, article)
        expect(outsider.get_by_role("tab", name="In the text (0)")).to_be_visible()
        expect(card_for(outsider, annotation)).to_have_count(0)
        expect(mark_for(outsider, annotation)).to_have_count(0)
        expect(outsider.locator("#article-body mark.hl")).to_have_count(0)
        expect(outsider.locator("body")).not_to_contain_text(NOTE)
        expect(outsider.locator("body")).not_to_contain_text(GROUP_NAME)
    assert iri not in api_ids(quinn, article)
    assert api_ids(quinn, article) == []

    # 5. Olga revokes the link: a new one replaces it, the old one is a 404 for a newcomer.
    olga.goto(group.get_absolute_url())
    olga.get_by_role("button", name="Revoke the link and make a new one").click()
    expect(olga.get_by_text("The old invite link no longer works")).to_be_visible()
    expect(olga.locator("input#invite-link")).not_to_have_value(invite)
    renewed = olga.locator("input#invite-link").input_value()
    group.refresh_from_db()
    assert renewed == f"{live_server.url}/groups/join/{group.invite_token}/"

    # A context of its own: make_page counts every 404 as a fault of the site.
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        rita = context.new_page()
        sign_in_page(rita, people["rita"], live_server)
        response = rita.goto(invite)
        assert response is not None
        assert response.status == 404
        expect(rita.get_by_role("button", name="Join the group")).to_have_count(0)
        response = rita.goto(renewed)
        assert response is not None
        assert response.status == 200
        expect(rita.get_by_role("button", name="Join the group")).to_be_visible()
    finally:
        context.close()
    assert not Membership.objects.filter(user=people["rita"]).exists()


def test_group_page_and_layer_choice_fit_a_phone(signed_in, seeded, people):
    """At 390×844 neither the group page (with its long invite link) nor the reading page is
    wider than the screen, and the sheet's "Showing" choice is on screen and works."""
    olga = people["olga"]
    group = services.group_create(user=olga, name=GROUP_NAME, description="A phone check")
    services.group_join(user=people["pavel"], token=group.invite_token)
    page = signed_in(olga, PHONE)

    page.goto(group.get_absolute_url())
    link = page.locator("input#invite-link")
    expect(link).to_be_in_viewport()
    assert_within_phone(link)
    expect(page.get_by_role("button", name="Revoke the link and make a new one")).to_be_visible()
    expect(page.get_by_role("heading", name="Members (2)")).to_be_visible()
    assert page.evaluate(OVERFLOW_JS) <= PHONE["width"]

    # The open sheet stops the page scrolling (html.sheet-open: overflow hidden), so the page's
    # width is measured with the sheet closed, and the choice's own boxes while it is open.
    open_article(page, seeded["004"])
    assert page.evaluate(OVERFLOW_JS) <= PHONE["width"]
    page.get_by_role("button", name="Annotations (0)").click()
    sheet = page.get_by_role("dialog", name="Annotations (0)")
    expect(sheet).to_be_visible()
    layer = page.get_by_label("Showing")
    expect(layer).to_be_in_viewport()
    assert_within_phone(layer)
    layer.select_option(label=f"Group: {GROUP_NAME}")
    expect(page.locator("#layer-target")).to_have_text(
        f"New annotations go to the group {GROUP_NAME} only."
    )
    expect(page.locator("#layer-target")).to_be_in_viewport()
    assert_within_phone(page.locator("#layer-target"))
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(page.locator("html.sheet-open")).to_have_count(0)
    assert page.evaluate(OVERFLOW_JS) <= PHONE["width"]
