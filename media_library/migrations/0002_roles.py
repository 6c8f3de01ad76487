"""What each editorial role may do in the media library (the roles of news.0002_roles).

Press officers upload and describe their agencies' photos and files and choose them for
their releases; editors may also delete them; administrators everything. Permissions are
created here, not left to post_migrate, so the groups are complete when migrations finish.
"""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
MODELS = {
    "image": "image",
    "rendition": "rendition",
    "attachment": "attachment",
    "leadimage": "lead photo",
    "galleryimage": "gallery photo",
    "articleattachment": "attached file",
}
USES = ("leadimage", "galleryimage", "articleattachment")
GROUPS = {
    "Press officers": [
        *[(model, action) for model in ("image", "attachment") for action in ("add", "change", "view")],
        *[(model, action) for model in USES for action in ACTIONS],
        ("rendition", "view"),
    ],
    "Editors": [
        *[(model, action) for model in ("image", "attachment", *USES) for action in ACTIONS],
        ("rendition", "view"),
    ],
    "Administrators": [(model, action) for model in MODELS for action in ACTIONS],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = {}
    for model, verbose in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="media_library", model=model)
        for action in ACTIONS:
            permissions[model, action], _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose}"},
            )
    for group_name, keys in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*[permissions[key] for key in keys])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="media_library").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("media_library", "0001_initial"),
        ("news", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
