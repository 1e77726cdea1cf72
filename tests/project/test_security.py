"""Deployment hardening: CSP on every page, body size limit, sign-in lockout, write throttling,
and `check --deploy` clean with the production settings the README documents."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.settings import api_settings

from annotations.models import Annotation

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-password-1"
# The production environment README.md documents (besides the secret and hosts).
DEPLOY_ENV = {
    "DJANGO_SECRET_KEY": "v3ry-l0ng-r4nd0m-s3cr3t-f0r-th3-d3pl0y-ch3ck-0nly-9f8e7d6c5b4a",
    "DJANGO_ALLOWED_HOSTS": "reader.example",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
}


@pytest.mark.parametrize(
    "path", ["/", "/compare/", "/claims/", "/accounts/login/", "/admin/login/"]
)
def test_every_page_has_a_strict_content_security_policy(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    scripts = directives["script-src"]
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert all(s == "'self'" or re.fullmatch(r"'nonce-[\w+/=-]+'", s) for s in scripts)
    assert response["X-Frame-Options"] == "DENY"


def test_article_pages_have_no_inline_script(client, seeds):
    """Only module scripts from the site and JSON data blocks (which never execute)."""
    pages = {
        seeds["001"].get_absolute_url(): seeds["001"].title,
        f"/compare/?articles={seeds['001'].slug},{seeds['004'].slug}": 'class="cmp-col"',
    }
    for url, shows in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert shows in html, url  # the page itself, not an error or a sign-in page
        tags = re.findall(r"<script\b[^>]*>", html)
        # Not vacuous: the page loads its own module, so its script tags are the ones read.
        assert any(re.search(r'\ssrc="/static/', tag) for tag in tags), (url, tags)
        for tag in tags:
            assert re.search(r'\ssrc="/static/', tag) or 'type="application/json"' in tag, tag


def test_a_body_over_the_limit_is_refused_before_any_view(client, db, settings):
    settings.ASTANA_MAX_REQUEST_BYTES = 1000
    response = client.post("/api/annotations/", data="x" * 5000, content_type="application/json")
    assert response.status_code == 413
    assert "at most 1,000 bytes" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_bad_content_length_is_refused(client, db):
    response = client.generic("POST", "/api/annotations/", b"{}", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_repeated_failed_sign_ins_lock_the_account_for_that_address(client, django_user_model):
    django_user_model.objects.create_user("victim", password=PASSWORD)
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    assert response.status_code == 429  # the fifth failure locks
    response = client.post("/accounts/login/", {"username": "victim", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked
    django_user_model.objects.create_user("other", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "other", "password": PASSWORD})
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_count(client, django_user_model):
    django_user_model.objects.create_user("forgetful", password=PASSWORD)
    for _ in range(4):
        client.post("/accounts/login/", {"username": "forgetful", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": PASSWORD}).status_code
        == 302
    )
    client.logout()
    for _ in range(4):  # four more would have locked it without the reset
        client.post("/accounts/login/", {"username": "forgetful", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": PASSWORD}).status_code
        == 302
    )


def test_annotation_writes_are_throttled_per_user_reads_are_not(client, seeds, django_user_model):
    caches["throttle"].clear()
    writer = django_user_model.objects.create_user("writer", password=PASSWORD)
    other = django_user_model.objects.create_user("other", password=PASSWORD)
    article = seeds["004"]
    source = f"http://testserver{article.get_absolute_url()}"
    payload = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "highlighting",
        "target": {
            "source": source,
            "selector": [{"type": "TextPositionSelector", "start": 0, "end": 10}],
        },
    }
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "annotation-writes": "3/min"}
    with override_settings(REST_FRAMEWORK={**_rest(), "DEFAULT_THROTTLE_RATES": rates}):
        client.force_login(writer)
        codes = [
            client.post("/api/annotations/", payload, content_type="application/json").status_code
            for _ in range(4)
        ]
        assert codes == [201, 201, 201, 429]
        assert client.get("/api/annotations/").status_code == 200
        client.force_login(other)
        assert (
            client.post("/api/annotations/", payload, content_type="application/json").status_code
            == 201
        )
    assert Annotation.objects.count() == 4


def _rest() -> dict:
    from django.conf import settings

    return settings.REST_FRAMEWORK


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "astana.settings.prod"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_documented_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **DEPLOY_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_hsts():
    env = {k: v for k, v in DEPLOY_ENV.items() if not k.startswith("DJANGO_SECURE_HSTS")}
    env["DJANGO_SECURE_HSTS_SECONDS"] = "0"
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
