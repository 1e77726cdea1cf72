"""python manage.py create_demo_user: a demo annotator account for local development."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "astana-demo-2017"


class Command(BaseCommand):
    help = "Create the demo annotator account if it is missing (development settings only)."

    def handle(self, *args, **options):
        if not getattr(settings, "ASTANA_DEMO_USER", False):
            raise CommandError(
                "The demo account exists only with development settings "
                "(DJANGO_SETTINGS_MODULE=astana.settings.dev)."
            )
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": False, "is_superuser": False}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            self.stdout.write(
                f"Demo annotator created: user {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}"
            )
        else:
            self.stdout.write(
                f"Demo annotator exists: user {DEMO_USERNAME!r} "
                f"(password {DEMO_PASSWORD!r} unless changed)"
            )
