"""Applying a claim in a real browser, JavaScript off: the preview offers passages that agree
to carry the claim and passages that differ to dispute it; the claim page shows both sides."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from annotations import services
from annotations.models import Annotation, ClaimStance, Motivation
from articles.models import Discrepancy, PassageLink
from tests.comparison.stance_rows import make_discrepancy, make_link

from .conftest import DESKTOP, TIMEOUT_MS

pytestmark = pytest.mark.e2e

MARKED = "came into effect on 29 December 2016"
TRUCE = "The truce, which is the third announced this year,"
PRESS_TV = "The deal came into force at midnight (2200 GMT) on December 30, 2016,"
GUARANTOR = "This will be a test for the Russians as the guarantor"


def _sentence(body: str, opening: str) -> str:
    """The sentence of `body` that opens with `opening` (it ends after its year)."""
    start = body.index(opening)
    return body[start : body.index(".", body.index("2016", start) + 4) + 1]


def _differ_by_date(seeded) -> None:
    """The 29/30 December sentences linked as the engine stores a date difference."""
    one, press_tv = seeded["001"], seeded["004"]
    ours = _sentence(one.current_revision.body, TRUCE)
    start = one.current_revision.body.index(ours)
    for side in ("a", "b"):
        PassageLink.objects.filter(
            **{
                f"{side}_article": one,
                f"{side}_start__lt": start + len(ours),
                f"{side}_end__gt": start,
            }
        ).delete()
    theirs = _sentence(press_tv.current_revision.body, PRESS_TV)
    make_link(seeded, ("001", ours), ("004", theirs), stance="differ", differs_by=("date",))
    Discrepancy.objects.filter(a_article=one, b_article=press_tv).delete()
    make_discrepancy(seeded, "date", ("001", "29 December 2016"), ("004", "December 30, 2016"))


def _mark(user, article, quote: str, claim):
    start = article.current_revision.body.index(quote)
    return services.annotation_create(
        user=user,
        article=article,
        start=start,
        end=start + len(quote),
        motivation=Motivation.ASSESSING,
        claim=claim,
    ).annotation


def _no_script_page(browser: Browser, live_server, user):
    """A desktop page with JavaScript off, signed in as the user."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def test_the_29_december_claim_is_disputed_by_press_tv_without_javascript(
    browser, seeded, django_user_model, live_server
):
    """From the compare page: preview, Press TV offered as disputing with both readings,
    confirm; the claim page lists Press TV on the other side, not as carrying it."""
    alice = django_user_model.objects.create_user("alice", password="pw-123456789")
    one, press_tv = seeded["001"], seeded["004"]
    _differ_by_date(seeded)
    claim = services.claim_create(user=alice, text="The truce began on 29 December 2016")
    _mark(alice, one, MARKED, claim)
    context, page = _no_script_page(browser, live_server, alice)
    try:
        page.goto(f"/compare/?articles={one.slug},{press_tv.slug}")
        drawer = page.locator("details", has=page.locator("#claims"))
        if drawer.count():  # the compare page keeps its panels in drawers, closed at first
            drawer.locator("summary").first.click()
        panel = page.locator("#claims")
        expect(panel.locator('[data-stance="differ"]')).to_contain_text("differs: date")
        panel.get_by_role("button", name="Apply this claim to the linked passages").click()
        disputing = page.locator("#disputing")
        expect(disputing).to_contain_text("Press TV")
        expect(disputing).to_contain_text("29 December 2016")
        expect(disputing).to_contain_text("December 30, 2016")
        expect(disputing.get_by_role("checkbox")).to_be_checked()
        expect(page.locator("#carrying")).to_have_count(0)
        page.get_by_role("button", name="Mark the chosen passages").click()
        expect(page.get_by_role("status").first).to_contain_text("as disputing")
        assert page.url.endswith("#claims")
        mark = Annotation.objects.get(article=press_tv, claim=claim)
        assert mark.claim_stance == ClaimStance.DISPUTES
        page.goto(f"/claims/{claim.pk}/")
        expect(page.locator("#disputing")).to_contain_text("Press TV")
        expect(page.locator("#carrying")).to_contain_text(one.title)  # the side is listed
        expect(page.locator("#carrying")).not_to_contain_text("Press TV")
        # applying again offers nothing new: Press TV disputes it already
        page.go_back()
        page.goto(f"/annotations/{Annotation.objects.get(article=one).pk}/apply-claim/")
        expect(page.get_by_text("disputes it already")).to_be_visible()
        expect(page.get_by_role("button", name="Mark the chosen passages")).to_have_count(0)
    finally:
        context.close()


def test_an_unchecked_agreeing_passage_is_left_unmarked(
    browser, seeded, django_user_model, live_server
):
    """Unticking the one passage offered marks nothing and says so."""
    alice = django_user_model.objects.create_user("alice", password="pw-123456789")
    claim = services.claim_create(user=alice, text="Russia guarantees the ceasefire")
    marked = _mark(alice, seeded["001"], GUARANTOR, claim)
    context, page = _no_script_page(browser, live_server, alice)
    try:
        page.goto(f"/annotations/{marked.pk}/apply-claim/")
        box = page.locator("#carrying").get_by_role("checkbox")
        expect(box).to_be_checked()
        box.uncheck()
        page.get_by_role("button", name="Mark the chosen passages").click()
        expect(page.get_by_role("status").first).to_contain_text("nothing was marked")
        assert not Annotation.objects.filter(article=seeded["004"]).exists()
    finally:
        context.close()
