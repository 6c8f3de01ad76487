"""The public-order indexes become Article.Meta.indexes, on every database.

Migrations 0007 and 0009-0011 created them in raw SQL on PostgreSQL only, outside the
model state. Django declares partial indexes on expressions itself (on SQLite too, without
the included columns), so they are dropped and created again from the model's Meta; the
release-date one is renamed to fit Django's 30-character limit on index names.
"""

import importlib

from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

PostgreSQLOnly = importlib.import_module("news.migrations.0007_search").PostgreSQLOnly
RAW = {
    "article_public_order": ("0007_search", "ADD_PUBLIC_ORDER"),
    "article_region_public_order": ("0009_region_public_order", "ADD_REGION_PUBLIC_ORDER"),
    "article_release_date_public_order": (
        "0010_release_date_public_order",
        "ADD_RELEASE_DATE_PUBLIC_ORDER",
    ),
    "article_agency_public_order": ("0011_agency_public_order", "ADD_AGENCY_PUBLIC_ORDER"),
}
RAW_SQL = {
    name: getattr(importlib.import_module(f"news.migrations.{module}"), constant)
    for name, (module, constant) in RAW.items()
}

PUBLIC_STATES = Q(status__in=["published", "scheduled"])
PUBLIC_ORDER = (Coalesce("published_at", "publish_at").desc(), F("id").desc())


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0014_flag_details_unique_run_task"),
    ]

    operations = [
        PostgreSQLOnly(
            [f"DROP INDEX {name}" for name in RAW_SQL],
            reverse_sql=list(RAW_SQL.values()),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                *PUBLIC_ORDER,
                name="article_public_order",
                condition=PUBLIC_STATES,
                include=["status", "publish_at"],
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                F("region"),
                *PUBLIC_ORDER,
                name="article_region_public_order",
                condition=PUBLIC_STATES,
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                F("agency"),
                *PUBLIC_ORDER,
                name="article_agency_public_order",
                condition=PUBLIC_STATES,
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                F("release_date").desc(),
                *PUBLIC_ORDER,
                name="article_date_public_order",
                condition=PUBLIC_STATES,
            ),
        ),
    ]
