"""The catalogue's version: one row the database moves whenever anything pages show of the
catalogue changes, so a cached page's version is one index read however large the corpus
(annotations/pages/cache.py; it replaced a COUNT(*) and a MAX(timestamp) over five whole
tables on every cached page view).

What moves it: an insert, update or delete (on PostgreSQL also a truncate) of articles,
outlets, stories and places in them, the stored comparison results (compared revisions,
passage links, discrepancies, framing hits, attributions, wire passages) and the framing
lexicon (families and terms: the compare page lists them). Whatever code path writes:
services, the admin, QuerySet.update, bulk_create, the comparison store's raw inserts,
cascades, loaddata. Revisions and blocks are left out: they are written once, before the
article that makes one current (an article update, which moves the version) points at it.

- SQLite: row-level triggers; each row bumps the counter (an UPSERT: a missing row starts
  again from the time, as below). SQLite has no statement-level triggers; with no row
  versions, one more update of one row costs the same at any count.
- PostgreSQL: a statement-level trigger on each table counts, in a setting local to the
  transaction (`STATEMENTS`), the statements that wrote the catalogue, and adds a row
  numbered so to `articles_catalogue_pending`, whose deferred trigger runs as the
  transaction commits: each deletes its row, and the last one bumps the counter. So a
  transaction of many statements (a restore, clustering a corpus) updates the counter row
  once, not once per statement (updating one row many times in one transaction grows slower
  with each update: 10,000 updates take 1.5 s, 30,000 take 12.5 s). And the row is locked
  only from that last deferred trigger to the end of the commit, not through the whole
  transaction: a comparison refresh does not hold up a curator's edit while it writes, and
  the foreign-key checks of its rows (deferred, queued before) are done before it takes the
  lock. It is taken after any lock annotations/migrations/0007's counters take. The
  writer's own reads count its statements too (CatalogueVersion.sql), so a version read
  inside a transaction still moves with each write.

The counter starts from the time its row is made, in microseconds: a rebuilt database never
reuses a version a cache kept from an older one.

A later migration that rebuilds one of these tables on SQLite (Django copies the table and
drops the old one with its triggers) must run `sqlite_triggers()` again.
"""

from django.db import migrations, models
from django.db.models import Q

COUNTER, PENDING = "articles_catalogueversion", "articles_catalogue_pending"
PREFIX = "articles_catalogue_"
# CatalogueVersion.STATEMENTS_SETTING (a migration does not import the models it migrates).
STATEMENTS = "articles.catalogue_statements"

TABLES = [
    "articles_article",
    "articles_outlet",
    "articles_story",
    "articles_storyarticle",
    "articles_comparedrevision",
    "articles_passagelink",
    "articles_discrepancy",
    "articles_framinghit",
    "articles_attribution",
    "articles_wirepassage",
    "articles_framingfamily",
    "articles_framingterm",
]

# Microseconds since 1970, now.
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
POSTGRESQL_NOW = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"


def _bump(now: str) -> str:
    # DO UPDATE names the stored row by its table: SQLite 3.40 takes no alias there.
    return (
        f"INSERT INTO {COUNTER} (id, version) VALUES (1, {now}) "
        f"ON CONFLICT (id) DO UPDATE SET version = {COUNTER}.version + 1"
    )


# --- SQLite: row-level triggers -------------------------------------------------------------

EVENTS = ("INSERT", "UPDATE", "DELETE")


def _sqlite_name(table: str, event: str) -> str:
    return f"{PREFIX}{table.removeprefix('articles_')}_{event.lower()}"


def sqlite_triggers() -> list[str]:
    """The statements creating the SQLite triggers (idempotent)."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {_sqlite_name(table, event)} AFTER {event} ON {table} "
        f"BEGIN {_bump(SQLITE_NOW)}; END"
        for table in TABLES
        for event in EVENTS
    ]


def _sqlite_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {_sqlite_name(table, event)}"
        for table in TABLES
        for event in EVENTS
    ]


# --- PostgreSQL: statement-level triggers, one bump per transaction at commit -----------------

_PG_WRITTEN = f"""
CREATE FUNCTION {PREFIX}written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written bigint := COALESCE(NULLIF(current_setting('{STATEMENTS}', true), ''), '0')::bigint;
BEGIN
    PERFORM set_config('{STATEMENTS}', (written + 1)::text, true);
    INSERT INTO {PENDING} (statement) VALUES (written + 1);
    RETURN NULL;
END $$
"""

_PG_COMMIT = f"""
CREATE FUNCTION {PREFIX}commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {PENDING} WHERE id = NEW.id;
    IF NEW.statement = COALESCE(NULLIF(current_setting('{STATEMENTS}', true), ''), '0')::bigint
    THEN
        {_bump(POSTGRESQL_NOW)};
    END IF;
    RETURN NULL;
END $$
"""


def postgresql_forward() -> list[str]:
    statements = [
        f"CREATE TABLE {PENDING} "
        "(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, statement bigint NOT NULL)",
        _PG_WRITTEN,
        _PG_COMMIT,
        f"CREATE CONSTRAINT TRIGGER {PREFIX}commit AFTER INSERT ON {PENDING} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {PREFIX}commit()",
    ]
    statements += [
        f"CREATE TRIGGER {PREFIX}written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}written()"
        for table in TABLES
    ]
    return statements


def postgresql_backward() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {PREFIX}written ON {table}" for table in TABLES]
    return [
        *statements,
        f"DROP TABLE IF EXISTS {PENDING}",
        f"DROP FUNCTION IF EXISTS {PREFIX}written()",
        f"DROP FUNCTION IF EXISTS {PREFIX}commit()",
    ]


# --- Both ----------------------------------------------------------------------------------


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [_bump(SQLITE_NOW), *sqlite_triggers()]
    elif vendor == "postgresql":
        statements = [_bump(POSTGRESQL_NOW), *postgresql_forward()]
    else:
        raise NotImplementedError(f"No catalogue triggers for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = _sqlite_backward()
    else:
        statements = postgresql_backward()
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_articleprofile_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=Q(id=1), name="catalogue_version_one_row")
                ]
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
