from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("annotations", "0009_page_notes")]

    operations = [
        migrations.AlterField(
            model_name="annotation",
            name="anchor_status",
            field=models.CharField(
                choices=[
                    ("anchored", "Anchored"),
                    ("moved", "Moved"),
                    ("fuzzy", "Fuzzy"),
                    ("orphaned", "Orphaned"),
                    ("ambiguous", "Ambiguous"),
                ],
                default="anchored",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalannotation",
            name="anchor_status",
            field=models.CharField(
                choices=[
                    ("anchored", "Anchored"),
                    ("moved", "Moved"),
                    ("fuzzy", "Fuzzy"),
                    ("orphaned", "Orphaned"),
                    ("ambiguous", "Ambiguous"),
                ],
                default="anchored",
                max_length=10,
            ),
        ),
    ]
