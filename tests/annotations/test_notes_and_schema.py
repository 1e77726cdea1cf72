"""Notes render through the allowlist sanitiser; the OpenAPI schema is valid and complete."""

import io
import re

import pytest
from django.core.management import call_command

from annotations.notes import render_note


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("<a href='https://e.org' onclick='x()'>e</a>", "onclick"),
        ('<iframe src="https://e.org"></iframe>', "<iframe"),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ('<p style="position:fixed">x</p>', "style="),
    ],
)
def test_hostile_markdown_is_neutralised(markdown, forbidden):
    """Scripts, event handlers, javascript: and data: links never survive rendering as markup
    (raw HTML is shown as text)."""
    markup = " ".join(re.findall(r"<[^>]*>", render_note(markdown)))
    assert forbidden not in markup


def test_markdown_renders_and_links_get_nofollow_noopener():
    """Emphasis, lists and links render; every link carries rel nofollow noopener."""
    html = render_note("**bold** and *it*\n\n- one\n- two\n\n[source](https://example.org/a)")
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org/a"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_openapi_schema_validates_without_warnings(db):
    """drf-spectacular generates a valid schema with no warnings (it stays accurate)."""
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in ("/api/annotations/", "/api/annotations/{id}/", "/api/claims/", "/api/tags/"):
        assert path in schema
