"""Activity counters kept by the database: what cached pages' versions read
(annotations/pages/cache.py).

`annotations_articleactivity` holds, per article, `public_version` (bumped whenever what an
anonymous reader may read there changes) and `staff_version` (the same for staff, who also
read hidden annotations); `annotations_siteactivity` holds one row whose `version` is bumped
with any article's `public_version`. A version is then one index read, however many
annotations there are, and a write nobody but its author (or staff) may see moves nothing an
anonymous reader can time.

Triggers keep them, whatever code path writes (services, admin actions, QuerySet.update,
bulk_create, re-anchoring, loaddata): on an insert, update or delete of an annotation, of a
tag link (TaggedAnnotation), on a claim's or a tag's change, and on an article's change of
status, the articles of every affected annotation readable before or after the write are
bumped. "Readable" is annotations.access.annotation_visibility_q: for anonymous readers
public, not hidden, on a published article, and either no parent or a parent that is itself
public, not hidden, on a published article; for staff the same without "not hidden" (what
staff read beyond that, their own annotations and replies to them, their key reads directly).
tests/security/test_timing_leak.py checks, over random writes, that a counter moves exactly
when the set the ORM selects changes.

- SQLite: row-level triggers; a row for an article is written with an UPSERT (no row: 0).
- PostgreSQL: statement-level triggers reading transition tables, so a bulk statement bumps
  each counter once (updating one row many times in one transaction grows slower with each
  update). Each bump locks the site row first, then the articles' rows in id order, so two
  writers never wait on each other's counters in opposite orders. `restore` sets
  `annotations.activity = 'off'` for its transaction, which the triggers obey: it loads rows
  one by one into emptied tables and clears every cache after.

Rows are written only for existing published articles (the predicates read the article), and
an article's row is deleted with it by a trigger: there is no foreign key, since Django's
cascade could delete the row before the annotations whose deletion writes it again.

A later migration that rebuilds one of these tables on SQLite (annotations_annotation,
annotations_claim, annotations_taggedannotation, taggit_tag, articles_article; Django copies
the table and drops the old one with its triggers) must run `sqlite_triggers()` again.
"""

from django.db import migrations, models
from django.db.models import Q

ANNOTATIONS, ARTICLES = "annotations_annotation", "articles_article"
TAGGED, CLAIMS, TAGS = "annotations_taggedannotation", "annotations_claim", "taggit_tag"
ACTIVITY, SITE = "annotations_articleactivity", "annotations_siteactivity"
PREFIX = "annotations_activity_"


def readable(x: str, *, staff: bool) -> str:
    """SQL true when annotation row `x` is readable by an anonymous reader (or by staff, as
    far as it does not depend on who created it): annotation_visibility_q as SQL."""

    def own(row: str, status: str) -> str:
        hidden = "" if staff else f" AND NOT {row}.is_hidden"
        return f"{row}.visibility = 'public'{hidden} AND {status} = 'published'"

    status = f"(SELECT status FROM {ARTICLES} WHERE id = {x}.article_id)"
    parent = (
        f"SELECT 1 FROM {ANNOTATIONS} p JOIN {ARTICLES} pa ON pa.id = p.article_id "
        f"WHERE p.id = {x}.parent_id AND {own('p', 'pa.status')}"
    )
    return f"({own(x, status)} AND ({x}.parent_id IS NULL OR EXISTS ({parent})))"


def _of(x: str, where: str) -> str:
    """Rows (article_id, public) for the staff-readable annotations x matching `where`."""
    return (
        f"SELECT {x}.article_id AS article_id, {readable(x, staff=False)} AS public "
        f"FROM {ANNOTATIONS} {x} WHERE {where} AND {readable(x, staff=True)}"
    )


# Each source: (name, table, event, the affected rows as SQL on SQLite's row `old`/`new`,
# the same on PostgreSQL's transition tables `old_rows`/`new_rows`).
def _row(row: str) -> str:
    return (
        f"SELECT {row}.article_id AS article_id, {readable(row, staff=False)} AS public "
        f"WHERE {readable(row, staff=True)}"
    )


def _rows(table: str) -> str:
    return (
        f"SELECT x.article_id AS article_id, {readable('x', staff=False)} AS public "
        f"FROM {table} x WHERE {readable('x', staff=True)}"
    )


_PUBLIC_THREAD = (
    f"SELECT 1 FROM {ANNOTATIONS} x WHERE x.article_id = new.id AND x.parent_id IS NULL "
    "AND x.visibility = 'public'"
)
_STATUS_ROW = (
    f"SELECT new.id AS article_id, EXISTS ({_PUBLIC_THREAD} AND NOT x.is_hidden) AS public "
    f"WHERE 'published' IN (old.status, new.status) AND EXISTS ({_PUBLIC_THREAD})"
)

_RENAMED = (
    "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE n.name IS DISTINCT FROM o.name"
)

SOURCES = [
    (
        "annotation_insert",
        ANNOTATIONS,
        "INSERT",
        _row("new"),
        _rows("new_rows"),
    ),
    (
        "annotation_update",
        ANNOTATIONS,
        "UPDATE",
        f"{_row('old')} UNION ALL {_row('new')}",
        f"{_rows('old_rows')} UNION ALL {_rows('new_rows')}",
    ),
    (
        "annotation_delete",
        ANNOTATIONS,
        "DELETE",
        _row("old"),
        _rows("old_rows"),
    ),
    (
        "tagged_insert",
        TAGGED,
        "INSERT",
        _of("x", "x.id = new.content_object_id"),
        _of("x", "x.id IN (SELECT content_object_id FROM new_rows)"),
    ),
    (
        "tagged_delete",
        TAGGED,
        "DELETE",
        _of("x", "x.id = old.content_object_id"),
        _of("x", "x.id IN (SELECT content_object_id FROM old_rows)"),
    ),
    (
        "claim_update",
        CLAIMS,
        "UPDATE",
        _of("x", "x.claim_id = new.id"),
        _of("x", "x.claim_id IN (SELECT id FROM new_rows)"),
    ),
    (
        "tag_update",
        TAGS,
        "UPDATE",
        _of("x", f"x.id IN (SELECT content_object_id FROM {TAGGED} WHERE tag_id = new.id)")
        + " AND old.name IS NOT new.name",
        _of("x", f"x.id IN (SELECT content_object_id FROM {TAGGED} WHERE tag_id IN ({_RENAMED}))"),
    ),
]


# --- SQLite: row-level triggers -------------------------------------------------------------


def _sqlite_bump(affected: str) -> str:
    return (
        f"INSERT INTO {SITE} (id, version) SELECT 1, 1 "
        f"WHERE EXISTS (SELECT 1 FROM ({affected}) WHERE public) "
        "ON CONFLICT (id) DO UPDATE SET version = version + 1; "
        f"INSERT INTO {ACTIVITY} (article_id, public_version, staff_version) "
        f"SELECT article_id, MAX(public), 1 FROM ({affected}) WHERE true GROUP BY article_id "
        "ON CONFLICT (article_id) DO UPDATE SET "
        "public_version = public_version + excluded.public_version, "
        "staff_version = staff_version + 1;"
    )


def sqlite_triggers() -> list[str]:
    """The statements creating the SQLite triggers (idempotent)."""
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS {PREFIX}{name} AFTER {event} ON {table} "
        f"BEGIN {_sqlite_bump(row)} END"
        for name, table, event, row, _ in SOURCES
    ]
    statements += [
        f"CREATE TRIGGER IF NOT EXISTS {PREFIX}article_status AFTER UPDATE OF status "
        f"ON {ARTICLES} WHEN old.status IS NOT new.status BEGIN {_sqlite_bump(_STATUS_ROW)} END",
        f"CREATE TRIGGER IF NOT EXISTS {PREFIX}article_delete AFTER DELETE ON {ARTICLES} "
        f"BEGIN DELETE FROM {ACTIVITY} WHERE article_id = old.id; END",
    ]
    return statements


def _sqlite_names() -> list[str]:
    return [f"{PREFIX}{s[0]}" for s in SOURCES] + [
        f"{PREFIX}article_status",
        f"{PREFIX}article_delete",
    ]


# --- PostgreSQL: statement-level triggers ----------------------------------------------------

_PG_BUMP = f"""
CREATE FUNCTION {PREFIX}bump(affected_articles bigint[], affected_public boolean[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF affected_articles IS NULL THEN
        RETURN;
    END IF;
    IF true = ANY(affected_public) THEN
        INSERT INTO {SITE} AS s (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = s.version + 1;
    ELSE
        PERFORM 1 FROM {SITE} WHERE id = 1 FOR UPDATE;
    END IF;
    INSERT INTO {ACTIVITY} AS c (article_id, public_version, staff_version)
    SELECT t.article_id, bool_or(t.public)::int, 1
    FROM unnest(affected_articles, affected_public) AS t(article_id, public)
    GROUP BY t.article_id ORDER BY t.article_id
    ON CONFLICT (article_id) DO UPDATE SET
        public_version = c.public_version + excluded.public_version,
        staff_version = c.staff_version + 1;
END $$
"""


def _pg_function(name: str, affected: str) -> str:
    return f"""
CREATE FUNCTION {PREFIX}{name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    affected_articles bigint[];
    affected_public boolean[];
BEGIN
    IF current_setting('annotations.activity', true) = 'off' THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(a.article_id), array_agg(a.public) INTO affected_articles, affected_public
    FROM ({affected}) a;
    PERFORM {PREFIX}bump(affected_articles, affected_public);
    RETURN NULL;
END $$
"""


def _pg_referencing(event: str) -> str:
    return {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
    }[event]


def postgresql_forward() -> list[str]:
    statements = [_PG_BUMP]
    for name, table, event, _, affected in SOURCES:
        statements += [
            _pg_function(name, affected),
            f"CREATE TRIGGER {PREFIX}{name} AFTER {event} ON {table} {_pg_referencing(event)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}{name}()",
        ]
    statements += [
        _pg_function("article_status", _STATUS_ROW),
        f"CREATE TRIGGER {PREFIX}article_status AFTER UPDATE OF status ON {ARTICLES} "
        "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) "
        f"EXECUTE FUNCTION {PREFIX}article_status()",
        f"""
        CREATE FUNCTION {PREFIX}article_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {ACTIVITY} WHERE article_id = OLD.id;
            RETURN NULL;
        END $$
        """,
        f"CREATE TRIGGER {PREFIX}article_delete AFTER DELETE ON {ARTICLES} "
        f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}article_delete()",
    ]
    return statements


def postgresql_backward() -> list[str]:
    tables = {name: table for name, table, *_ in SOURCES}
    tables |= {"article_status": ARTICLES, "article_delete": ARTICLES}
    statements = [f"DROP TRIGGER IF EXISTS {PREFIX}{n} ON {t}" for n, t in tables.items()]
    statements += [f"DROP FUNCTION IF EXISTS {PREFIX}{n}()" for n in tables]
    return [*statements, f"DROP FUNCTION IF EXISTS {PREFIX}bump(bigint[], boolean[])"]


# --- Both ----------------------------------------------------------------------------------

FILL = [
    f"INSERT INTO {SITE} (id, version) VALUES (1, 0)",
    f"INSERT INTO {ACTIVITY} (article_id, public_version, staff_version) "
    f"SELECT id, 0, 0 FROM {ARTICLES}",
]


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite_triggers()
    elif vendor == "postgresql":
        statements = postgresql_forward()
    else:
        raise NotImplementedError(f"No activity triggers for {vendor}.")
    for statement in [*FILL, *statements]:
        schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_names()]
    else:
        statements = postgresql_backward()
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_note_html"),
        ("articles", "0010_search_vectors"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleActivity",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("public_version", models.BigIntegerField(default=0)),
                ("staff_version", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name_plural": "article activity"},
        ),
        migrations.CreateModel(
            name="SiteActivity",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name_plural": "site activity",
                "constraints": [
                    models.CheckConstraint(condition=Q(id=1), name="site_activity_one_row")
                ],
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
