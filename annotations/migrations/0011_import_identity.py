from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0010_anchor_ambiguous")]

    operations: list = []
