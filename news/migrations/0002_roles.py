"""The three editorial roles and what each may do.

Permissions are created here rather than left to post_migrate, so the groups are complete
the moment migrations finish.
"""

from django.db import migrations

DEFAULT_ACTIONS = ("add", "change", "delete", "view")

CUSTOM = {
    ("news", "article"): {
        "submit_article": "Can submit articles for review",
        "review_article": "Can approve articles or request changes",
        "publish_article": "Can publish, schedule, unpublish and archive articles",
        "access_all_agencies": "Can work on articles of every agency",
    }
}

MODELS = {
    ("news", "article"): "article",
    ("news", "articletransition"): "workflow step",
    ("news", "historicalarticle"): "historical article",
    ("agencies", "region"): "region",
    ("agencies", "agency"): "agency",
    ("agencies", "agencymembership"): "press officer membership",
    ("taggit", "tag"): "tag",
    ("auth", "user"): "user",
    ("auth", "group"): "group",
    ("django_celery_beat", "periodictask"): "periodic task",
    ("django_celery_beat", "crontabschedule"): "crontab",
    ("django_celery_beat", "intervalschedule"): "interval",
}


def default(app_model, *actions):
    return [(app_model, f"{action}_{app_model[1]}") for action in actions]


ARTICLE = ("news", "article")
GROUPS = {
    "Press officers": [
        *default(ARTICLE, "add", "change", "view"),
        (ARTICLE, "submit_article"),
        *default(("news", "articletransition"), "view"),
        *default(("agencies", "agency"), "view"),
        *default(("agencies", "region"), "view"),
    ],
    "Editors": [
        *default(ARTICLE, "add", "change", "view"),
        (ARTICLE, "submit_article"),
        (ARTICLE, "review_article"),
        (ARTICLE, "publish_article"),
        (ARTICLE, "access_all_agencies"),
        *default(("news", "articletransition"), "view"),
        *default(("agencies", "agency"), "view"),
        *default(("agencies", "region"), "view"),
        *default(("taggit", "tag"), *DEFAULT_ACTIONS),
    ],
    "Administrators": [
        *[(key, f"{action}_{key[1]}") for key in MODELS for action in DEFAULT_ACTIONS],
        *[(ARTICLE, codename) for codename in CUSTOM[ARTICLE]],
    ],
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    permissions = {}
    for (app_label, model), verbose in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        names = {f"{action}_{model}": f"Can {action} {verbose}" for action in DEFAULT_ACTIONS}
        names.update(CUSTOM.get((app_label, model), {}))
        for codename, name in names.items():
            permissions[(app_label, model), codename], _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
    for group_name, keys in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set([permissions[key] for key in keys])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("agencies", "0002_seed_regions_and_agencies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
