"""Notifications in a real browser: a reply made through the sidebar shows in the replied-to
reader's header, the list links to the reply in its article, and the count drops once read."""

import re

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation, Notification
from tests.e2e.conftest import sign_in_page

from .helpers import detail_url

pytestmark = pytest.mark.e2e

PASSWORD = "pw-123456789"
PHRASE = "Astana"


def test_a_reply_through_the_sidebar_reaches_the_annotator(
    make_page, seeded, live_server, django_user_model
):
    """Bob replies to Alice's note in the sidebar; Alice sees "Notifications (1)", opens the
    list, follows the item to the reply in its article, and the count is 0."""
    alice = django_user_model.objects.create_user("alice", password=PASSWORD)
    bob = django_user_model.objects.create_user("bob", password=PASSWORD)
    article = seeded["004"]
    body = article.current_revision.body
    start = body.index(PHRASE)
    note = services.annotation_create(
        user=alice,
        article=article,
        start=start,
        end=start + len(PHRASE),
        motivation="commenting",
        note="Where the talks are held",
    ).annotation

    bob_page = make_page()
    sign_in_page(bob_page, bob, live_server)
    bob_page.goto(detail_url(article))
    expect(bob_page.locator("html[data-annotator='ready']")).to_have_count(1)
    expect(bob_page.get_by_role("link", name="Notifications (0)")).to_be_visible()
    card = bob_page.locator(f"#card-{note.pk}")
    card.get_by_role("button", name="Reply").click()
    bob_page.get_by_label("Your reply").fill("In Kazakhstan's capital")
    bob_page.get_by_role("button", name="Post reply").click()
    expect(card.locator(".card__replies .card__note")).to_have_text("In Kazakhstan's capital")
    reply = Annotation.objects.get(parent=note)
    assert Notification.objects.get().annotation == reply

    page = make_page()
    sign_in_page(page, alice, live_server)
    page.goto("/")
    header_link = page.get_by_role("link", name="Notifications (1)")
    expect(header_link).to_be_visible()
    header_link.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    item = page.locator(".notification")
    expect(item).to_have_count(1)
    expect(item).to_have_class(re.compile(r"\bnotification--unread\b"))
    expect(item).to_contain_text("In Kazakhstan's capital")
    item.get_by_role("link", name=re.compile(r"^bob replied to your annotation")).click()

    expect(page).to_have_url(re.compile(re.escape(detail_url(article))))
    expect(page.locator("html[data-annotator='ready']")).to_have_count(1)
    expect(page.locator(f"#card-{reply.pk}")).to_be_visible()
    expect(page.locator(f"#card-{reply.pk} .card__note")).to_have_text("In Kazakhstan's capital")
    expect(page.get_by_role("link", name="Notifications (0)")).to_be_visible()
    page.get_by_role("link", name="Notifications (0)").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.locator(".notification")).to_have_count(1)
