import django.db.models.deletion
from django.db import migrations, models


def recompare_stored(apps, schema_editor):
    """Stored results say nothing of wire passages: the next `comparison_refresh` recomputes
    them (as for a results row of another engine version), which writes the wire rows."""
    ComparedRevision = apps.get_model("articles", "ComparedRevision")
    ComparedRevision.objects.update(engine_version=0)


class Migration(migrations.Migration):
    """Wire passages: each article's copy of a sentence carried by more articles than the
    engine links pair by pair, so pages can say "carried by 312 articles"."""

    dependencies = [
        ("articles", "0013_framing_opposition_context"),
    ]

    operations = [
        migrations.CreateModel(
            name="WirePassage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sentence",
                    models.CharField(
                        help_text="SHA-256 of the sentence's folded words (engine.match_key).",
                        max_length=64,
                    ),
                ),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.articlerevision",
                    ),
                ),
            ],
            options={
                "ordering": ["sentence", "article"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("sentence", "article"), name="wire_passage_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("start__lt", models.F("end"))),
                        name="wire_passage_span_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("sentence__regex", "^[0-9a-f]{64}$")),
                        name="wire_passage_sentence_hex",
                    ),
                ],
            },
        ),
        migrations.RunPython(recompare_stored, migrations.RunPython.noop),
    ]
