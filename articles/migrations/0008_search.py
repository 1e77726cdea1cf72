"""Full-text search indexes, kept in sync by the database itself (see annotations/search/).

SQLite: one FTS5 table, `articles_search`, holding a copy of the searchable text of every
article (title, current revision's body), annotation (note, quote) and claim (text, reviewer
notes, claimant). Its rowid is `pk * 4 + kind` (1 article, 2 annotation, 3 claim). Triggers on
the source tables keep it in sync on every insert, update and delete, whatever code path
writes; existing rows are indexed here.

PostgreSQL: GIN indexes on the `to_tsvector` expressions the search queries use, built from
the same Django expressions so that the planner matches them.

A later migration that rebuilds one of these tables on SQLite (Django copies the table into a
new one and drops the old, which drops its triggers) must run `sqlite_triggers()` again;
tests/search/test_index.py checks that the triggers exist.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FTS = "articles_search"
CONFIG = "english"
ARTICLE, ANNOTATION, CLAIM = 1, 2, 3

_ARTICLE_ROW = (
    "{row}.id * 4 + 1, {row}.title, "
    "COALESCE((SELECT body FROM articles_articlerevision WHERE id = {row}.current_revision_id), ''),"
    " ''"
)
_ANNOTATION_ROW = "{row}.id * 4 + 2, {row}.note, {row}.exact, ''"
_CLAIM_ROW = "{row}.id * 4 + 3, {row}.text, {row}.reviewer_notes, {row}.claimant"

# (trigger name, table, columns whose change re-indexes the row, the row's values)
_SOURCES = [
    ("articles_search_article", "articles_article", "title, current_revision_id", _ARTICLE_ROW, 1),
    ("articles_search_annotation", "annotations_annotation", "exact, note", _ANNOTATION_ROW, 2),
    ("articles_search_claim", "annotations_claim", "text, reviewer_notes, claimant", _CLAIM_ROW, 3),
]


def sqlite_triggers() -> list[str]:
    """The statements creating the triggers (idempotent)."""
    statements = []
    for name, table, columns, row, kind in _SOURCES:
        insert = f"INSERT INTO {FTS}(rowid, head, body, who) VALUES ({row.format(row='new')});"
        delete = f"DELETE FROM {FTS} WHERE rowid = old.id * 4 + {kind};"
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {name}_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {name}_au AFTER UPDATE OF {columns} ON {table} "
            f"BEGIN {delete} {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {name}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        ]
    # A revision's body never changes after import, but if it ever does, follow it.
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS articles_search_revision_au "
        "AFTER UPDATE OF body ON articles_articlerevision BEGIN "
        f"UPDATE {FTS} SET body = new.body WHERE rowid IN "
        "(SELECT id * 4 + 1 FROM articles_article WHERE current_revision_id = new.id); END"
    )
    return statements


def _trigger_names() -> list[str]:
    names = [f"{name}_{suffix}" for name, *_ in _SOURCES for suffix in ("ai", "au", "ad")]
    return [*names, "articles_search_revision_au"]


def sqlite_forward(schema_editor) -> None:
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(head, body, who, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for statement in sqlite_triggers():
        schema_editor.execute(statement)
    for _name, table, _columns, row, _kind in _SOURCES:
        schema_editor.execute(
            f"INSERT INTO {FTS}(rowid, head, body, who) SELECT {row.format(row='t')} FROM {table} t"
        )


def sqlite_backward(schema_editor) -> None:
    for name in _trigger_names():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


def postgresql_indexes(apps) -> list:
    """(model, GinIndex) pairs; the expressions are those annotations/search/ queries with."""

    def vector(*columns, weight):
        return SearchVector(*columns, weight=weight, config=CONFIG)

    return [
        (
            apps.get_model("articles", "Article"),
            GinIndex(vector("title", weight="A"), name="article_title_search"),
        ),
        (
            apps.get_model("articles", "ArticleRevision"),
            GinIndex(vector("body", weight="B"), name="revision_body_search"),
        ),
        (
            apps.get_model("annotations", "Annotation"),
            GinIndex(
                vector("note", weight="A") + vector("exact", weight="B"), name="annotation_search"
            ),
        ),
        (
            apps.get_model("annotations", "Claim"),
            GinIndex(
                vector("text", weight="A")
                + vector("reviewer_notes", weight="B")
                + vector("claimant", weight="C"),
                name="claim_search",
            ),
        ),
    ]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sqlite_forward(schema_editor)
    elif vendor == "postgresql":
        for model, index in postgresql_indexes(apps):
            schema_editor.add_index(model, index)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sqlite_backward(schema_editor)
    elif vendor == "postgresql":
        for model, index in postgresql_indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_editors_group"),
        ("annotations", "0004_history"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
