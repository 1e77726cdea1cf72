"""Styles under the Content-Security-Policy: no inline styles anywhere in our templates, the
HTML our code writes or our scripts, so style-src needs no 'unsafe-inline'.

(tests/e2e/test_csp.py checks in a real browser that no page trips the policy.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
INLINE_STYLE = re.compile(r"<style\b|\bstyle\s*=", re.IGNORECASE)
# What would put a style attribute into the page from a script (CSSOM, el.style.x = ..., is
# fine: CSP does not govern it).
SCRIPT_STYLE_ATTRIBUTE = re.compile(
    r"""setAttribute\(\s*["']style["']|\.cssText\b|style\s*=\s*\\?["'{]|<style\b""",
    re.IGNORECASE,
)


def our_templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def our_scripts() -> list[Path]:
    return sorted(path for path in (ROOT / "static").rglob("*.js") if "vendor" not in path.parts)


def test_there_are_templates_and_scripts_to_check():
    """The checks below look at real files (a moved folder would make them pass vacuously)."""
    names = {path.name for path in our_templates()}
    assert {"base.html", "search.html", "compare.html", "_coverage_grid.html"} <= names
    assert len(our_scripts()) >= 5


@pytest.mark.parametrize("template", our_templates(), ids=lambda path: path.name)
def test_no_template_has_an_inline_style(template):
    """No `style=` attribute and no <style> element: styles live in static/css."""
    found = INLINE_STYLE.findall(template.read_text())
    assert not found, f"{template.relative_to(ROOT)}: {found}"


@pytest.mark.parametrize("script", our_scripts(), ids=lambda path: path.name)
def test_no_script_writes_a_style_attribute(script):
    """Scripts style through CSSOM, never a style attribute or element in markup."""
    found = SCRIPT_STYLE_ATTRIBUTE.findall(script.read_text())
    assert not found, f"{script.relative_to(ROOT)}: {found}"


def style_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    for directive in policy.split(";"):
        name, *values = directive.split()
        if name == "style-src":
            return values
    raise AssertionError(f"no style-src in {policy!r}")


@pytest.mark.parametrize(
    "path", ["/", "/compare/", "/claims/", "/search/?q=talks", "/accounts/login/"]
)
def test_the_policy_allows_no_inline_styles(client, db, path):
    """style-src is the site's own stylesheets (and nonce'd elements), never 'unsafe-inline'."""
    response = client.get(path)
    assert response.status_code == 200
    sources = style_sources(response)
    assert "'self'" in sources
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-hashes'" not in sources


def test_rendered_pages_carry_no_inline_style(client, seeds, django_user_model):
    """The pages as served (templates plus the HTML code writes) hold no inline style; the
    admin's article page shows the raw text with a class instead of a style attribute."""
    one, other = seeds["001"], seeds["004"]
    paths = [
        reverse("articles:list"),
        one.get_absolute_url(),
        reverse("articles:source", args=[one.slug]),
        f"{reverse('articles:compare')}?articles={one.slug},{other.slug}",
        f"{reverse('articles:search')}?q=Kazakhstan",
        reverse("annotations:claim-list"),
    ]
    for path in paths:
        html = client.get(path).content.decode()
        assert not INLINE_STYLE.findall(html), path
    admin = django_user_model.objects.create_superuser("root", password="pw-123456789")
    client.force_login(admin)
    html = client.get(reverse("admin:articles_article_change", args=[one.pk])).content.decode()
    assert '<pre class="raw-text">' in html
    assert "white-space: pre-wrap" not in html
