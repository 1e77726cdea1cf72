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
def _sequences_past_reloaded_rows(request):
    """PostgreSQL: a test that commits starts with every sequence past its table's rows.

    A serialized rollback reloads the migrated rows (outlets, groups...) under their own ids
    but leaves the sequences where the test before left them; one that flushed the database
    (which restarts them) would hand the next test ids that are taken. SQLite needs nothing:
    its next id is always past the largest."""
    marker = request.node.get_closest_marker("django_db")
    commits = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not commits:
        return
    request.getfixturevalue("_django_db_helper")  # the database as the test gets it
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy  # (django_rq's Dashboard has no table)
    ]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


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
