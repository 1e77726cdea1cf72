"""What the anonymous page cache keys on: when an outlet last changed, and indexes that make
the newest article, outlet and comparison change a single index read.

Only CREATE INDEX statements and a rebuild of the outlet table (which carries no search
trigger) happen here; the search triggers are re-created anyway, as 0008 asks of any later
migration that might rebuild a table on SQLite.
"""

import importlib

import django.utils.timezone
from django.db import migrations, models

SEARCH = importlib.import_module("articles.migrations.0008_search")


def _search_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SEARCH.sqlite_triggers():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_search")]

    operations = [
        migrations.AddField(
            model_name="outlet",
            name="updated",
            field=models.DateTimeField(
                auto_now=True, db_index=True, default=django.utils.timezone.now
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["updated"], name="articles_article_updated"),
        ),
        migrations.AddIndex(
            model_name="comparedrevision",
            index=models.Index(fields=["compared"], name="articles_compared_at"),
        ),
        migrations.RunPython(_search_triggers, migrations.RunPython.noop, elidable=True),
    ]
