"""Import identity: an imported annotation keeps its id on the other server (`foreign_id`,
unique per creator when set) and its creator there (`foreign_creator`), so a re-import updates
it; and the `canonical` IRI it was given, kept unchanged as the W3C protocol requires. Adding a
column rebuilds annotations_annotation on SQLite, so its triggers are set aside
and put back around it, as in 0008.
"""

from importlib import import_module

from django.db import migrations, models

_triggers = import_module("annotations.migrations.0008_claim_stance")


class Migration(migrations.Migration):
    dependencies = [("annotations", "0010_anchor_ambiguous")]

    operations = [
        migrations.RunPython(
            _triggers.set_triggers_aside, _triggers.put_triggers_back, elidable=False
        ),
        migrations.AddField(
            model_name="annotation",
            name="foreign_id",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AddField(
            model_name="annotation",
            name="foreign_creator",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalannotation",
            name="foreign_id",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AddField(
            model_name="historicalannotation",
            name="foreign_creator",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="annotation",
            name="canonical",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AddField(
            model_name="historicalannotation",
            name="canonical",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AddConstraint(
            model_name="annotation",
            constraint=models.UniqueConstraint(
                condition=~models.Q(foreign_id=""),
                fields=("creator", "foreign_id"),
                name="annotation_foreign_id_unique",
            ),
        ),
        migrations.RunPython(
            _triggers.put_triggers_back, _triggers.set_triggers_aside, elidable=False
        ),
    ]
