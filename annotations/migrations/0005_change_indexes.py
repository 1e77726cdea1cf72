"""Indexes on when annotations and claims last changed: the page cache's versions read the
newest change, and the claim list sorts by it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("annotations", "0004_history")]

    operations = [
        migrations.AddIndex(
            model_name="annotation",
            index=models.Index(fields=["modified"], name="annotations_modified"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["modified"], name="annotations_claim_modified"),
        ),
    ]
