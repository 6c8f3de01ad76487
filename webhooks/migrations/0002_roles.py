"""Administrators manage partners' webhook endpoints and read the deliveries' log (the
roles of news.0002_roles). Permissions are created here, not left to post_migrate, so the
group is complete when migrations finish."""

from django.db import migrations

PERMISSIONS = {
    "endpoint": ("webhook endpoint", ("add", "change", "delete", "view")),
    "delivery": ("webhook delivery", ("view",)),
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Administrators")
    for model, (verbose, actions) in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="webhooks", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose}"},
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="webhooks").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("news", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
