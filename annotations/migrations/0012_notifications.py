"""Notifications of replies and of passages added to one's claims, and who wants them by
e-mail."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0011_import_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("reply", "Reply to your annotation"),
                            ("claim_passage", "Passage added to your claim"),
                        ],
                        max_length=16,
                    ),
                ),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "annotation",
                    models.ForeignKey(
                        help_text="The reply, or the passage marked with the claim.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="annotations.annotation",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created", "-pk"],
                "indexes": [
                    models.Index(fields=["recipient", "read_at"], name="notification_unread"),
                    models.Index(fields=["recipient", "-created"], name="notification_recent"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(kind__in=["reply", "claim_passage"]),
                        name="notification_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=~models.Q(recipient=models.F("actor")),
                        name="notification_not_to_self",
                    ),
                    models.UniqueConstraint(
                        fields=["recipient", "annotation", "kind"], name="notification_once"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NotificationSettings",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="notification_settings",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("email_replies", models.BooleanField(default=False)),
                ("email_claims", models.BooleanField(default=False)),
            ],
            options={"verbose_name_plural": "notification settings"},
        ),
    ]
