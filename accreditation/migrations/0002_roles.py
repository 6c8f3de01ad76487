"""Who may do what with accreditations (the roles of news.0002_roles).

Editors and administrators manage the register; the distributions and link openings are
records the system writes, which they read. Press officers have nothing here: a journalist's
address and what they opened are not theirs to see. Permissions are created here, not left
to post_migrate, so the groups are complete when migrations finish.
"""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
MODELS = {
    "accreditation": "accreditation",
    "distribution": "distribution under embargo",
    "linkopening": "personal link opening",
}
MANAGED = [("accreditation", action) for action in ACTIONS]
RECORDS = [("distribution", "view"), ("linkopening", "view")]
GROUPS = {"Editors": [*MANAGED, *RECORDS], "Administrators": [*MANAGED, *RECORDS]}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = {}
    for model, verbose in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="accreditation", model=model)
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
    Permission.objects.filter(content_type__app_label="accreditation").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0001_initial"),
        ("news", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
