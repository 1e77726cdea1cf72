"""A passage marked with a claim either carries it or disputes it (Annotation.claim_stance).

Existing assessments carry their claims ("supports", the default). Adding a NOT NULL column and
a constraint makes Django rebuild annotations_annotation on SQLite (a new table, the rows
copied, the old one dropped, the new one renamed). Every trigger that names the table must be
out of the way meanwhile: the renaming checks the triggers of other tables that read it (the
activity counters of 0007), and dropping the old table drops its own (activity, and the search
index of articles 0010). So on SQLite they are dropped first and created again, as they were,
after. PostgreSQL adds the column in place and keeps them.
"""

from django.db import migrations, models

TABLE = "annotations_annotation"
STANCES = [("supports", "Carries the claim"), ("disputes", "Disputes the claim")]
HELP = "Whether the passage carries its claim or disputes it (only with a claim)."
_saved: dict[str, list[tuple[str, str]]] = {}  # database alias -> (trigger, its SQL)


def _triggers(schema_editor) -> list[tuple[str, str]]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s "
            "ORDER BY name",
            [f"%{TABLE}%"],
        )
        return cursor.fetchall()


def set_triggers_aside(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    saved = _triggers(schema_editor)
    _saved[schema_editor.connection.alias] = saved
    for name, _ in saved:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def put_triggers_back(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    present = {name for name, _ in _triggers(schema_editor)}
    for name, sql in _saved.pop(schema_editor.connection.alias, []):
        if name not in present:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0007_public_activity")]

    operations = [
        migrations.RunPython(set_triggers_aside, put_triggers_back, elidable=False),
        migrations.AddField(
            model_name="annotation",
            name="claim_stance",
            field=models.CharField(
                choices=STANCES, default="supports", help_text=HELP, max_length=8
            ),
        ),
        migrations.AddField(
            model_name="historicalannotation",
            name="claim_stance",
            field=models.CharField(
                choices=STANCES, default="supports", help_text=HELP, max_length=8
            ),
        ),
        migrations.AddConstraint(
            model_name="annotation",
            constraint=models.CheckConstraint(
                condition=models.Q(claim_stance="supports")
                | (models.Q(claim_stance="disputes") & models.Q(claim__isnull=False)),
                name="annotation_claim_stance_valid",
            ),
        ),
        migrations.RunPython(put_triggers_back, set_triggers_aside, elidable=False),
    ]
