from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0009_page_notes")]

    operations: list = []
