"""The API's documentation in a real browser: following the schema's link shows a page (not
a download), every asset comes from this site, and the site's CSP holds."""

import pytest
from playwright.sync_api import Page, expect

from .test_csp import LISTEN

pytestmark = pytest.mark.e2e


def test_the_schema_link_opens_browsable_docs_under_the_policy(
    page: Page, live_server, transactional_db, django_db_serialized_rollback
):
    page.add_init_script(LISTEN)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    response = page.goto("/api/schema/")
    assert response is not None
    assert response.status == 200
    assert page.url.endswith("/api/docs/")
    policy = response.header_value("content-security-policy") or ""
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    # The operations render: the annotation container's GET and POST among them.
    expect(page.locator(".opblock").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/annotations/" in [p.replace("\u200b", "") for p in paths]
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert outside == []


def test_the_schema_itself_still_downloads_for_clients(client, db):
    """Tools (and the docs page's own fetch) still get the OpenAPI document."""
    for accept in ("application/json", "*/*", "application/vnd.oai.openapi"):
        response = client.get("/api/schema/", HTTP_ACCEPT=accept)
        assert response.status_code == 200, accept
        assert b"/api/annotations/" in response.content
    browser = client.get("/api/schema/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*")
    assert browser.status_code == 303
    assert browser["Location"] == "/api/docs/"
    explicit = client.get("/api/schema/?format=json", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert explicit.status_code == 200
    assert explicit["Content-Type"].startswith("application/")
