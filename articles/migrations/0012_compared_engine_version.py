from django.db import migrations, models


class Migration(migrations.Migration):
    """Stored comparison results say which engine version made them, and with which outlet
    boilerplate masked: rows made before this (version 0) are recomputed by the next
    `comparison_refresh` (candidate pairs and outlet boilerplate changed the links of every
    pair)."""

    dependencies = [
        ("articles", "0011_link_stance"),
    ]

    operations = [
        migrations.AddField(
            model_name="comparedrevision",
            name="engine_version",
            field=models.PositiveIntegerField(
                default=0,
                help_text="The comparison engine version its links were computed with "
                "(articles.comparison.engine.ENGINE_VERSION); another version is recomputed.",
            ),
        ),
        migrations.AddField(
            model_name="comparedrevision",
            name="boilerplate_digest",
            field=models.CharField(
                blank=True,
                max_length=64,
                help_text="A digest of its lines masked as its outlet's own boilerplate when it "
                "was compared; when the outlet's boilerplate changes it, the article is "
                "recomputed.",
            ),
        ),
    ]
