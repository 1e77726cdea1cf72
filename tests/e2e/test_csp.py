"""The Content-Security-Policy in a real browser: no page the site serves trips it, signed in
or out, with the policy's style-src free of 'unsafe-inline'."""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Motivation

from .helpers import NARROW, detail_url, source_url

pytestmark = pytest.mark.e2e

# Every violation the document reports, kept where the test can read it.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || "document"}:${event.lineNumber}) ${event.sample || ""}`
  );
});
"""
QUOTE = "This will be a test for the Russians as the guarantor"


@pytest.fixture
def corpus(seeded, django_user_model) -> dict:
    """The seeds, with a reader's tagged note and a claim on seed 001."""
    reader = django_user_model.objects.create_user("reader", password="pw-123456789")
    article = seeded["001"]
    start = article.current_revision.body.index(QUOTE)
    claim = services.claim_create(user=reader, text="Russia guarantees the ceasefire")
    services.annotation_create(
        user=reader,
        article=article,
        start=start,
        end=start + len(QUOTE),
        motivation=Motivation.ASSESSING,
        note="A *guarantor* is named.",
        tags=["guarantors"],
        claim=claim,
    )
    return {"reader": reader, "claim": claim, **seeded}


def pages_of(corpus: dict) -> list[str]:
    one, other = corpus["001"], corpus["004"]
    return [
        reverse("articles:list"),
        detail_url(one),
        source_url(one),
        f"{reverse('articles:compare')}?articles={one.slug},{other.slug}",
        f"{reverse('articles:search')}?q=Kazakhstan",
        reverse("annotations:claim-list"),
        reverse("annotations:claim-detail", args=[corpus["claim"].pk]),
        reverse("annotations:tag-detail", args=["guarantors"]),
    ]


@pytest.fixture
def visit(make_page, live_server) -> Callable[..., list[str]]:
    """Open each path in a page (signed in as `user` if given); every CSP problem seen."""

    def _visit(paths: list[str], *, user=None, viewport=None) -> list[str]:
        page: Page = make_page(viewport) if viewport else make_page()
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
        page.add_init_script(LISTEN)
        problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        for path in paths:
            response = page.goto(path)
            assert response is not None, path
            assert response.status == 200, path
            policy = response.header_value("content-security-policy") or ""
            assert "style-src 'self'" in policy, (path, policy)
            assert "unsafe-inline" not in policy, (path, policy)
            expect(page.locator("main, #content").first).to_be_visible()
            page.wait_for_load_state("networkidle")
            problems.extend(f"{path}: {v}" for v in page.evaluate("window.__cspViolations"))
        return problems

    return _visit


def test_no_page_trips_the_policy_signed_out(visit, corpus):
    """Signed out: the list, an article, its source, compare, search, claims and a tag."""
    assert visit(pages_of(corpus)) == []


def test_no_page_trips_the_policy_signed_in(visit, corpus):
    """Signed in (the annotator's scripts run on the article page): no violation either."""
    assert visit(pages_of(corpus), user=corpus["reader"]) == []


def test_the_narrow_layouts_do_not_trip_the_policy(visit, corpus):
    """On a phone the compare view turns into tabs by script: still no violation."""
    one, other = corpus["001"], corpus["004"]
    paths = [detail_url(one), f"{reverse('articles:compare')}?articles={one.slug},{other.slug}"]
    assert visit(paths, user=corpus["reader"], viewport=NARROW) == []
