"""The "Editors" group: staff who curate the corpus and its annotations in the admin.

Give a curator is_staff and this group (Users in the admin); annotators need neither.
"""

from django.db import migrations

GROUP = "Editors"
# app label -> model -> permission actions
PERMISSIONS = {
    "articles": {
        "outlet": ("view", "add", "change", "delete"),
        "article": ("view", "add", "change", "delete"),
        "articlerevision": ("view",),
        "block": ("view",),
        "framingfamily": ("view", "add", "change", "delete"),
        "framingterm": ("view", "add", "change", "delete"),
        "passagelink": ("view",),
        "discrepancy": ("view",),
    },
    "annotations": {
        "annotation": ("view", "change", "delete"),
        "claim": ("view", "add", "change", "delete"),
        "taggedannotation": ("view", "add", "change", "delete"),
        "taggedclaim": ("view", "add", "change", "delete"),
    },
    "taggit": {"tag": ("view", "add", "change", "delete")},
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = [
        (app_label, f"{action}_{model}")
        for app_label, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    found = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in wanted
    ]
    group.permissions.add(*found)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_curation"),
        ("annotations", "0004_history"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
