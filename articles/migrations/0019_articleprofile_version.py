"""Story profiles record the term extraction's version they were made with. Existing profiles
get 0, older than any version, so `stories_suggest_stale` profiles them again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleprofile",
            name="version",
            field=models.PositiveIntegerField(
                default=0, help_text="The term extraction's version these counts were made with."
            ),
        ),
    ]
