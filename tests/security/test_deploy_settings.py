"""Production settings: the deploy check passes with the documented environment (SSL redirect
on, or off behind a TLS proxy), and a weak secret key or DEBUG on refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The production environment README.md documents (Deploying).
DOCUMENTED = {
    "DJANGO_SECRET_KEY": "Q7v-2mK_x9Rt4pLw8sZ3nB6yH1cF5gJ0dA-eU7iO2kM9qW4rT8uY3vX6zN1bP5hS",
    "DJANGO_ALLOWED_HOSTS": "reader.example",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
}

DEPLOY_CHECK = """
import django
django.setup()
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
"""


def run_prod(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` with the production settings and only the given DJANGO_* variables."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "astana.settings.prod"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("redirect", ["1", "0"])
def test_the_deploy_check_passes_with_the_documented_environment(redirect):
    """`check --deploy` finds nothing, with SSL redirect on or (behind a proxy) off."""
    result = run_prod(DEPLOY_CHECK, **DOCUMENTED, DJANGO_SECURE_SSL_REDIRECT=redirect)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_only_the_redirect_warning_is_silenced_behind_a_proxy():
    """With the redirect off, the other deploy warnings still count (HSTS off fails)."""
    env = {**DOCUMENTED, "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_HSTS_SECONDS": "0"}
    result = run_prod(DEPLOY_CHECK, **env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" not in result.stderr


def test_behind_a_proxy_https_is_read_from_the_forwarded_header():
    """The redirect is left to the proxy only with the header it sets telling Django so."""
    code = (
        "from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_prod(code, **DOCUMENTED, DJANGO_SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ('HTTP_X_FORWARDED_PROTO', 'https')"


LOAD = "from django.conf import settings; print(settings.DEBUG)"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "DJANGO_SECRET_KEY is not set"),
        ("k3y-" * 8, "DJANGO_SECRET_KEY has 32 characters, fewer than 50"),
        ("abcd" * 20, "DJANGO_SECRET_KEY has fewer than 5 distinct characters"),
        (
            "django-insecure-" + "r4nd0m-l00king-but-generated-f0r-dev-0nly",
            "DJANGO_SECRET_KEY starts with 'django-insecure-'",
        ),
    ],
)
def test_production_refuses_a_weak_secret_key(key, message):
    """A missing, short, repetitive or Django-dev key stops production with its reason."""
    result = run_prod(LOAD, **{**DOCUMENTED, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "at least 50 characters" in result.stderr


@pytest.mark.parametrize("debug", ["1", "true", "on"])
def test_production_refuses_debug(debug):
    """DJANGO_DEBUG on stops production rather than serving debug pages."""
    result = run_prod(LOAD, **DOCUMENTED, DJANGO_DEBUG=debug)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_DEBUG must be off in production" in result.stderr


@pytest.mark.parametrize("debug", [None, "0"])
def test_production_starts_with_a_strong_key_and_debug_off(debug):
    """The documented environment (DEBUG unset or 0) starts with DEBUG off."""
    env = DOCUMENTED if debug is None else {**DOCUMENTED, "DJANGO_DEBUG": debug}
    result = run_prod(LOAD, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
