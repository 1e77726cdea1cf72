from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0011_import_identity")]

    operations: list = []
