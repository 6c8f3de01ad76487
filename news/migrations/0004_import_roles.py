"""Import permissions: editors watch runs, upload files and clear flags; administrators
manage sources."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
MODELS = {
    "importsource": "import source",
    "importrun": "import run",
    "importitem": "import item",
    "articleflag": "flag",
}
GROUPS = {
    "Editors": {
        "importsource": ("view",),
        "importrun": ("add", "view"),
        "importitem": ("view",),
        "articleflag": ("view", "delete"),
    },
    "Administrators": {model: ACTIONS for model in MODELS},
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, models in GROUPS.items():
        group = Group.objects.get(name=group_name)
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label="news", model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {MODELS[model]}"},
                )
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="news", content_type__model__in=MODELS).delete()


class Migration(migrations.Migration):
    dependencies = [("news", "0003_import_sources_runs_and_flags"), ("news", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
