"""The first Annotation table held nothing (there was no way to create one yet); it is replaced
by the full record in the next migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]

    operations = [migrations.DeleteModel(name="Annotation")]
