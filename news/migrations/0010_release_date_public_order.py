"""Public articles by release date in the public order, on PostgreSQL only.

The date archive and date-filtered lists select by release date and show the newest
release date first (public.pagination.RELEASE_DATE_ORDER). Walking the site-wide
public-order index from the newest article, PostgreSQL read every article released after
the chosen dates to reach them, and each year of archive added more. This index holds them in the list's order.
"""

import importlib

from django.db import migrations

PostgreSQLOnly = importlib.import_module("news.migrations.0007_search").PostgreSQLOnly

ADD_RELEASE_DATE_PUBLIC_ORDER = """
CREATE INDEX article_release_date_public_order ON news_article
    (release_date DESC, (COALESCE(published_at, publish_at)) DESC, id DESC)
    WHERE status IN ('published', 'scheduled')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0009_region_public_order"),
    ]

    operations = [
        PostgreSQLOnly(
            ADD_RELEASE_DATE_PUBLIC_ORDER, "DROP INDEX article_release_date_public_order"
        ),
    ]
