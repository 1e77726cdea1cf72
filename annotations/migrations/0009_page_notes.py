from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_claim_stance")]

    operations: list = []
