"""Notes are rendered once, when written: store the sanitised HTML, filled for existing rows.

On SQLite, adding a NOT NULL column rebuilds the annotation table, which drops the search
triggers articles/migrations/0008_search put on it; they are re-created here when that
migration has run (otherwise it creates them itself later), as 0008 asks of any migration
that might rebuild a table it watches.
"""

import importlib

from django.db import migrations, models

from annotations.notes import render_note_or_text

BATCH = 500


def fill_note_html(apps, schema_editor) -> None:
    """Render every stored note (a note the renderer refuses is kept as escaped text)."""
    Annotation = apps.get_model("annotations", "Annotation")
    annotations = Annotation.objects.using(schema_editor.connection.alias)
    pks = list(annotations.exclude(note="").order_by("pk").values_list("pk", flat=True))
    for at in range(0, len(pks), BATCH):
        batch = list(annotations.filter(pk__in=pks[at : at + BATCH]).only("pk", "note"))
        for annotation in batch:
            annotation.note_html = render_note_or_text(annotation.note)
        annotations.bulk_update(batch, ["note_html"])


def recreate_search_triggers(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    search = importlib.import_module("articles.migrations.0008_search")
    if search.FTS in connection.introspection.table_names():
        for statement in search.sqlite_triggers():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0005_change_indexes"),
    ]

    operations = [
        # Unapplied, the rebuild happens last, so the triggers are re-created after it.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="annotation",
            name="note_html",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The note rendered and sanitised when written.",
            ),
        ),
        migrations.AddField(
            model_name="historicalannotation",
            name="note_html",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The note rendered and sanitised when written.",
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill_note_html, migrations.RunPython.noop, elidable=True),
    ]
