"""Migrations articles/0008_search and 0010_search_vectors: they build the index from existing
rows, unapply cleanly, and the queries search runs are the ones the PostgreSQL indexes serve."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from annotations.search import SearchKind, _backend, kind_model, parse_query
from annotations.services import claim_create

from .conftest import annotate, found

MIGRATION = importlib.import_module("articles.migrations.0008_search")
INDEXES = {  # GIN indexes on the stored vectors of 0010 (the expression indexes of 0008 are gone)
    "article_search": "articles_article",
    "annotation_search_vector": "annotations_annotation",
    "claim_search_vector": "annotations_claim",
}


def search_objects() -> set[str]:
    """The names of the search table, triggers and indexes present in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'articles_search%%' "
                "AND type IN ('table', 'trigger')"
            )
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)]
            )
        return {row[0] for row in cursor.fetchall()}


def expected_objects() -> set[str]:
    if connection.vendor == "sqlite":
        shadow = {f"articles_search_{s}" for s in ("data", "idx", "content", "docsize", "config")}
        return {"articles_search", *shadow, *MIGRATION._trigger_names()}
    return set(INDEXES)


@pytest.mark.django_db
def test_search_objects_exist():
    """After migrating, the FTS5 table and its triggers (SQLite) or the GIN indexes on the
    stored vectors (PostgreSQL) exist."""
    assert search_objects() == expected_objects()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_indexes_existing_rows_and_unapplies_cleanly(client, make_article, alice):
    """Unapplied, nothing of it is left; applied again, the rows that exist are found.

    The rows are written before unapplying (they stay, in the older tables): written while
    the schema is older, today's code would write columns that schema does not have yet."""
    article = make_article("old.txt", "Monsoon report", "Officials said a monsoon came.")
    annotate(alice, article, "Officials said", note="Monsoon note")
    claim_create(user=alice, text="The monsoon was late")
    call_command("migrate", "articles", "0007", verbosity=0)
    try:
        assert search_objects() == set()
    finally:
        call_command("migrate", verbosity=0)
    assert search_objects() == expected_objects()
    client.force_login(alice)  # a claim no passage carries is found by its creator only
    kinds = sorted(kind for kind, _ in found(client.get("/search/", {"q": "monsoon"})))
    assert kinds == ["annotation", "article", "claim"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(SearchKind))
def test_search_uses_its_index(kind):
    """SQLite matches through the FTS5 index; on PostgreSQL the match conditions are on the
    stored vectors, so the planner can use their GIN indexes."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM articles_search "
                "WHERE articles_search MATCH ?",
                ['"monsoon" "talks"'],
            )
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "VIRTUAL TABLE INDEX" in plan, plan
        return
    backend = _backend(parse_query("monsoon talks"))
    # Unordered, and with sequential and plain index scans off, the planner's one way to
    # apply the match is a bitmap scan of an index that serves it (not e.g. a walk of the
    # `modified` index it prefers on a tiny table to avoid a sort).
    rows = backend.matching(kind, kind_model(kind).objects.order_by())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = rows.explain()
    index = {v: k for k, v in INDEXES.items()}[kind_model(kind)._meta.db_table]
    assert f"Bitmap Index Scan on {index}" in plan, plan
    assert "to_tsvector" not in plan, plan  # the stored vector is read, never recomputed
