"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "p8Lm-3qZr_7TwX2vN9cB4kH6jF1sD5gA0yE-uR7iO3nM8bV2xC6zQ4wK9tY1hG5e"


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    code = (
        f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = {module!r}; "
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_prod_refuses_to_start_without_a_secret_key():
    """Production settings fail loudly when DJANGO_SECRET_KEY is missing."""
    result = load_settings("astana.settings.prod", DJANGO_ALLOWED_HOSTS="reader.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_prod_refuses_to_start_without_allowed_hosts():
    """Production settings fail loudly when DJANGO_ALLOWED_HOSTS is missing."""
    result = load_settings("astana.settings.prod", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_prod_starts_when_configured():
    """With a key and hosts, production settings load with DEBUG off."""
    result = load_settings(
        "astana.settings.prod",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="reader.example,www.reader.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['reader.example', 'www.reader.example']")


def test_bad_boolean_is_a_clear_error():
    """A DJANGO_DEBUG that is not a boolean is refused with its name in the message."""
    result = load_settings("astana.settings.dev", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_database_url_selects_the_backend():
    """DATABASE_URL switches the backend; without it the default is SQLite (Django's backend
    with queued writers, astana/sqlite)."""
    result = load_settings("astana.settings.dev")
    assert result.stdout.strip().endswith("astana.sqlite")
    result = load_settings("astana.settings.dev", DATABASE_URL="sqlite:////tmp/elsewhere.db")
    assert result.stdout.strip().endswith("astana.sqlite")
    result = load_settings("astana.settings.dev", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.stdout.strip().endswith("django.db.backends.postgresql")


def test_sqlite_default_is_configured_for_concurrent_writers():
    """The embedded SQLite default uses WAL, IMMEDIATE transactions and a busy timeout."""
    from astana.settings.base import sqlite_database

    config = sqlite_database(ROOT / "data" / "x.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
