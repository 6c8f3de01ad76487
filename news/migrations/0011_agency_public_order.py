"""An agency's public articles in the public order, on PostgreSQL only.

An agency's page (and the agency filter) lists its newest articles. Without an index in
that order PostgreSQL read all of the agency's articles, checked each one's language
versions and sorted them, so a ministry with tens of thousands of releases took
proportionally longer. With the agency first in
the key it reads the agency's newest rows only, as the region index does for regions.
"""

import importlib

from django.db import migrations

PostgreSQLOnly = importlib.import_module("news.migrations.0007_search").PostgreSQLOnly

ADD_AGENCY_PUBLIC_ORDER = """
CREATE INDEX article_agency_public_order ON news_article
    (agency_id, (COALESCE(published_at, publish_at)) DESC, id DESC)
    WHERE status IN ('published', 'scheduled')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0010_release_date_public_order"),
    ]

    operations = [
        PostgreSQLOnly(ADD_AGENCY_PUBLIC_ORDER, "DROP INDEX article_agency_public_order"),
    ]
