"""Page notes: a top-level annotation with no span is a note on the whole article.

The span constraint now allows, besides a passage (0 <= start < end) and a reply (no span), a
top-level annotation with no span and no quote whose motivation is commenting, tagging or
questioning. Replacing a check constraint rebuilds annotations_annotation on SQLite, so its
triggers are set aside and put back around it, as in 0008.
"""

from importlib import import_module

from django.db import migrations, models

_triggers = import_module("annotations.migrations.0008_claim_stance")

PASSAGE = models.Q(
    ("parent__isnull", True),
    ("start__isnull", False),
    ("end__isnull", False),
    ("start__gte", 0),
    ("start__lt", models.F("end")),
)
PAGE_NOTE = models.Q(
    ("parent__isnull", True),
    ("start__isnull", True),
    ("end__isnull", True),
    ("exact", ""),
    ("motivation__in", ("commenting", "tagging", "questioning")),
)
REPLY = models.Q(("parent__isnull", False), ("start__isnull", True), ("end__isnull", True))


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_claim_stance")]

    operations = [
        migrations.RunPython(
            _triggers.set_triggers_aside, _triggers.put_triggers_back, elidable=False
        ),
        migrations.RemoveConstraint(model_name="annotation", name="annotation_span_valid"),
        migrations.AddConstraint(
            model_name="annotation",
            constraint=models.CheckConstraint(
                condition=PASSAGE | PAGE_NOTE | REPLY, name="annotation_span_valid"
            ),
        ),
        migrations.RunPython(
            _triggers.put_triggers_back, _triggers.set_triggers_aside, elidable=False
        ),
    ]
