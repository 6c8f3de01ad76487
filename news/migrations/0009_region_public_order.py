"""A region's public articles in the public order, on PostgreSQL only.

A region's page lists its newest articles in the reader's language. Walking the site-wide
public-order index, PostgreSQL reads about twenty rows of other regions for each of its
own; with the region first in the key it reads the region's newest rows only.
"""

import importlib

from django.db import migrations

PostgreSQLOnly = importlib.import_module("news.migrations.0007_search").PostgreSQLOnly

ADD_REGION_PUBLIC_ORDER = """
CREATE INDEX article_region_public_order ON news_article
    (region_id, (COALESCE(published_at, publish_at)) DESC, id DESC)
    WHERE status IN ('published', 'scheduled')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_import_run_queue"),
    ]

    operations = [
        PostgreSQLOnly(ADD_REGION_PUBLIC_ORDER, "DROP INDEX article_region_public_order"),
    ]
