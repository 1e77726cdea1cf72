"""PostgreSQL: search reads stored `tsvector` columns instead of recomputing `to_tsvector`.

0008 indexed `to_tsvector` expressions. The GIN indexes found the matches, but ranking and
phrase rechecks parsed every matching text again, which made a common word cost seconds at
10,000 articles. Here each searched table gets a `search_vector` column that the database
keeps itself, with a GIN index on it (annotations/search/ queries these columns):

- annotations and claims: generated columns (`GENERATED ALWAYS AS ... STORED`), recomputed by
  PostgreSQL on every insert and update of the row, whatever code path writes;
- articles: the title (weight A) and the current revision's body (B) come from two tables, so
  triggers keep the column: on an article's insert and on a change of its title or current
  revision, and on a revision's insert or change of body (for articles already pointing at it).

The vectors are the expressions of 0008 (same configuration and weights), so ranks are those
of 0008. The columns are not model fields: Django never reads or writes them.

SQLite keeps the FTS5 table of 0008; nothing happens here, and no table is rebuilt.
"""

import importlib

from django.db import migrations

SEARCH = importlib.import_module("articles.migrations.0008_search")


def _vector(text: str, weight: str) -> str:
    """The SQL of SearchVector(text, weight=weight, config=CONFIG), as 0008 indexed it."""
    return f"setweight(to_tsvector('{SEARCH.CONFIG}'::regconfig, COALESCE({text}, '')), '{weight}')"


_BODY = "(SELECT body FROM articles_articlerevision WHERE id = revision_id)"
_ARTICLE_VECTOR = f"{_vector('title', 'A')} || {_vector(_BODY, 'B')}"

FORWARD = [
    # Articles: a column kept by triggers. An article's vector (about 2 kB) stays in the row,
    # uncompressed, rather than in the TOAST table: ranking reads every matching vector, and
    # fetching each from TOAST made a common word three times slower.
    "ALTER TABLE articles_article ADD COLUMN search_vector tsvector",
    "ALTER TABLE articles_article SET (toast_tuple_target = 8160)",
    f"""
    CREATE FUNCTION articles_article_search_vector(title text, revision_id bigint)
    RETURNS tsvector LANGUAGE sql STABLE AS $$ SELECT {_ARTICLE_VECTOR} $$
    """,
    """
    CREATE FUNCTION articles_article_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title
                OR NEW.current_revision_id IS DISTINCT FROM OLD.current_revision_id THEN
            NEW.search_vector := articles_article_search_vector(NEW.title, NEW.current_revision_id);
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER articles_article_search BEFORE INSERT OR UPDATE OF title, current_revision_id
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_update()
    """,
    """
    CREATE FUNCTION articles_revision_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE articles_article
        SET search_vector = articles_article_search_vector(title, current_revision_id)
        WHERE current_revision_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER articles_revision_search AFTER INSERT OR UPDATE OF body
    ON articles_articlerevision FOR EACH ROW EXECUTE FUNCTION articles_revision_search_update()
    """,
    "UPDATE articles_article "
    "SET search_vector = articles_article_search_vector(title, current_revision_id)",
    "CREATE INDEX article_search ON articles_article USING gin (search_vector)",
    # Annotations and claims: generated columns.
    "ALTER TABLE annotations_annotation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    f"({_vector('note', 'A')} || {_vector('exact', 'B')}) STORED",
    "CREATE INDEX annotation_search_vector ON annotations_annotation USING gin (search_vector)",
    "ALTER TABLE annotations_claim ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    f"({_vector('text', 'A')} || {_vector('reviewer_notes', 'B')}"
    f" || {_vector('claimant', 'C')}) STORED",
    "CREATE INDEX claim_search_vector ON annotations_claim USING gin (search_vector)",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_revision_search ON articles_articlerevision",
    "DROP TRIGGER IF EXISTS articles_article_search ON articles_article",
    "DROP FUNCTION IF EXISTS articles_revision_search_update()",
    "DROP FUNCTION IF EXISTS articles_article_search_update()",
    "DROP FUNCTION IF EXISTS articles_article_search_vector(text, bigint)",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE articles_article RESET (toast_tuple_target)",
    "ALTER TABLE annotations_annotation DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE annotations_claim DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)
    # The expression indexes of 0008 are no longer queried.
    for model, index in SEARCH.postgresql_indexes(apps):
        schema_editor.remove_index(model, index)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:  # dropping a column drops its index
        schema_editor.execute(statement)
    for model, index in SEARCH.postgresql_indexes(apps):
        schema_editor.add_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_page_versions"),
        ("annotations", "0004_history"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
