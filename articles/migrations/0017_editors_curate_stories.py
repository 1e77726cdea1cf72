"""Editors (articles/migrations/0007_editors_group.py) curate stories: confirm, move, split,
merge and delete them and the articles' places in them."""

from django.db import migrations

GROUP = "Editors"
PERMISSIONS = {
    "story": ("view", "add", "change", "delete"),
    "storyarticle": ("view", "add", "change", "delete"),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *(
            Permission.objects.get(content_type__app_label="articles", codename=f"{a}_{m}")
            for m, actions in PERMISSIONS.items()
            for a in actions
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles",
                codename__in=[f"{a}_{m}" for m, actions in PERMISSIONS.items() for a in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_stories")]

    operations = [migrations.RunPython(grant, revoke)]
