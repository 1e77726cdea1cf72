import importlib

from django.conf import settings
from django.db import migrations, models

SEARCH = importlib.import_module("articles.migrations.0008_search")
ACTIVITY = importlib.import_module("annotations.migrations.0007_public_activity")

RIGHT_TO_LEFT = ["ar", "fa", "he", "ur", "ps", "yi"]


def drop_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilds the article, revision and block tables here (a new column that is not
    null, a check constraint): the search (0008) and activity (annotations 0007) triggers that
    name these tables must go first, or renaming the rebuilt table fails on them."""
    if schema_editor.connection.vendor == "sqlite":
        for name in [*SEARCH._trigger_names(), *ACTIVITY._sqlite_names()]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def create_sqlite_triggers(apps, schema_editor):
    """The triggers dropped above, as their migrations make them (idempotent)."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*SEARCH.sqlite_triggers(), *ACTIVITY.sqlite_triggers()]:
            schema_editor.execute(statement)


def mark_right_to_left(apps, schema_editor):
    """Articles already imported in a right-to-left language read right to left."""
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(language__in=RIGHT_TO_LEFT).update(direction="rtl")


class Migration(migrations.Migration):
    """What a reader expects to know of an article, each piece with the rule that decided it:
    its publication date and time (with the zone when the page prints one), byline and
    authors, the dateline's agency, its direction, and an outlet name to confirm; per block a
    language and direction where they differ; per revision the file's format and link."""

    dependencies = [
        ("articles", "0014_wire_passages"),
        ("annotations", "0007_public_activity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers, elidable=False),
        migrations.AddField(
            model_name="article",
            name="authors",
            field=models.JSONField(blank=True, default=list, help_text='["Jane Doe", "Tom Roe"]'),
        ),
        migrations.AddField(
            model_name="article",
            name="byline",
            field=models.CharField(blank=True, help_text="As the page prints it.", max_length=500),
        ),
        migrations.AddField(
            model_name="article",
            name="byline_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="article",
            name="dateline_agency",
            field=models.CharField(
                blank=True,
                help_text="The agency in the dateline (“MOSCOW (Reuters) -”).",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="dateline_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="article",
            name="direction",
            field=models.CharField(
                choices=[("ltr", "Left to right"), ("rtl", "Right to left")],
                default="ltr",
                max_length=3,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="language_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="article",
            name="outlet_suggestion",
            field=models.CharField(
                blank=True,
                help_text="A name the page gives itself when no known outlet matched, to confirm.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="outlet_suggestion_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="article",
            name="published_date",
            field=models.DateField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="published_offset",
            field=models.SmallIntegerField(
                blank=True,
                help_text="Minutes east of UTC, when the page prints a zone (UTC+3: 180).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="published_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="article",
            name="published_time",
            field=models.TimeField(
                blank=True, help_text="The local time as the page prints it.", null=True
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="title_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="articlerevision",
            name="source_format",
            field=models.CharField(
                choices=[("text", "Plain text"), ("html", "HTML")],
                default="text",
                help_text="What the file is: a plain-text copy of a page or a saved HTML page.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="articlerevision",
            name="source_url",
            field=models.URLField(
                blank=True, help_text="The link the page was fetched from, if any.", max_length=2048
            ),
        ),
        migrations.AddField(
            model_name="block",
            name="direction",
            field=models.CharField(
                blank=True, help_text="Only where it differs from the article's.", max_length=3
            ),
        ),
        migrations.AddField(
            model_name="block",
            name="language",
            field=models.CharField(
                blank=True, help_text="Only where it differs from the article's.", max_length=16
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="authors",
            field=models.JSONField(blank=True, default=list, help_text='["Jane Doe", "Tom Roe"]'),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="byline",
            field=models.CharField(blank=True, help_text="As the page prints it.", max_length=500),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="byline_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="dateline_agency",
            field=models.CharField(
                blank=True,
                help_text="The agency in the dateline (“MOSCOW (Reuters) -”).",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="dateline_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="direction",
            field=models.CharField(
                choices=[("ltr", "Left to right"), ("rtl", "Right to left")],
                default="ltr",
                max_length=3,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="language_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="outlet_suggestion",
            field=models.CharField(
                blank=True,
                help_text="A name the page gives itself when no known outlet matched, to confirm.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="outlet_suggestion_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="published_date",
            field=models.DateField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="published_offset",
            field=models.SmallIntegerField(
                blank=True,
                help_text="Minutes east of UTC, when the page prints a zone (UTC+3: 180).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="published_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="published_time",
            field=models.TimeField(
                blank=True, help_text="The local time as the page prints it.", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="title_rule",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AlterField(
            model_name="article",
            name="dateline",
            field=models.CharField(blank=True, help_text="The dateline's place.", max_length=200),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="dateline",
            field=models.CharField(blank=True, help_text="The dateline's place.", max_length=200),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("direction__in", ["ltr", "rtl"])),
                name="article_direction_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_date__isnull", False),
                    models.Q(("published_time__isnull", True), ("published_offset__isnull", True)),
                    _connector="OR",
                ),
                name="article_published_time_needs_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_offset__isnull", True),
                    models.Q(("published_offset__gte", -1080), ("published_offset__lte", 1080)),
                    _connector="OR",
                ),
                name="article_published_offset_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="articlerevision",
            constraint=models.CheckConstraint(
                condition=models.Q(("source_format__in", ["text", "html"])),
                name="revision_source_format_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="block",
            constraint=models.CheckConstraint(
                condition=models.Q(("direction__in", ["", "ltr", "rtl"])),
                name="block_direction_known",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers, elidable=False),
        migrations.RunPython(mark_right_to_left, migrations.RunPython.noop, elidable=True),
    ]
