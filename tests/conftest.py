"""Shared fixtures: the seed corpus imported once per test that needs it."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

SEED_NAMES = {
    "000": "000_190fb4b02957d604.txt",
    "001": "001_378cecce5d93c993.txt",
    "002": "002_59ac119114fdc535.txt",
    "003": "003_c4278ed1f59a72b0.txt",
    "004": "004_ca811f35df24ace1.txt",
}


def seed_path(key: str) -> Path:
    return Path(settings.SEEDS_DIR) / SEED_NAMES[key]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (row ids repeat between tests)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeds(db):
    """The five seed files imported through the management command."""
    call_command("import_articles", str(settings.SEEDS_DIR), "--no-progress", stdout=io.StringIO())
    from articles.models import Article

    return {key: Article.objects.get(source_name=name) for key, name in SEED_NAMES.items()}


@pytest.fixture
def curator(django_user_model):
    """A curator (active staff): whom the curation services accept as the acting user."""
    return django_user_model.objects.create_user(
        "curator", password="pw-curator-123456", is_staff=True
    )
