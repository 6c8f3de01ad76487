"""Administrators read and delete email subscriptions (the roles of news.0002_roles); nobody
adds or changes one in the admin, since only the address's owner may. Permissions are
created here, not left to post_migrate, so the group is complete when migrations finish."""

from django.db import migrations

ACTIONS = ("view", "delete")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Administrators")
    content_type, _ = ContentType.objects.get_or_create(app_label="outreach", model="subscription")
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_subscription",
            defaults={"name": f"Can {action} subscription"},
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Administrators"):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="outreach", codename__endswith="_subscription"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_announcement"),
        ("news", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
