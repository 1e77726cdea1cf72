"""Migration articles/0015_article_metadata: it applies and unapplies on both databases,
keeps the search and activity triggers SQLite would lose when it rebuilds the tables, and
marks the right-to-left articles already imported."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from tests.articles.test_metadata import import_page

SEARCH = importlib.import_module("articles.migrations.0008_search")
ACTIVITY = importlib.import_module("annotations.migrations.0007_public_activity")


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def sqlite_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_round_trip_keeps_triggers_and_marks_rtl(client):
    """Unapplied, the new columns are gone; applied again, they are back, an Arabic article
    reads right to left, the triggers exist and search still finds the article."""
    article = import_page("arabic.txt", language="ar", direction="ltr")
    before = sqlite_triggers() if connection.vendor == "sqlite" else set()
    call_command("migrate", "articles", "0014", verbosity=0)
    try:
        assert "published_date" not in columns("articles_article")
        assert "direction" not in columns("articles_block")
    finally:
        call_command("migrate", verbosity=0)
    assert {"published_date", "published_offset", "outlet_suggestion"} <= columns(
        "articles_article"
    )
    assert {"source_format", "source_url"} <= columns("articles_articlerevision")
    assert Article.objects.get(pk=article.pk).direction == "rtl"
    if connection.vendor == "sqlite":
        wanted = {*SEARCH._trigger_names(), *ACTIVITY._sqlite_names()}
        assert wanted <= sqlite_triggers() == before
    response = client.get("/search/", {"q": "ministers"})
    assert article.get_absolute_url() in response.content.decode()
