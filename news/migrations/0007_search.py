"""Full-text and trigram search indexes, on PostgreSQL only.

`search_vector` is a stored generated column rather than an index on an expression:
ranking reads the stored vector of every match instead of re-parsing each matching body,
which keeps searches that match thousands of articles fast, and PostgreSQL recomputes it
on every write, bulk_create and update() included, so nothing in Python can forget to.
It stays out of Django's model state because SQLite cannot compute it; public.search reads
it on PostgreSQL only. The expression must stay in step with public.search.SEARCH_CONFIGS.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Each article's language picks its text search configuration (Kazakh has no stemmer).
CONFIG = """CASE language WHEN 'ru' THEN 'russian'::regconfig
    WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END"""
ADD_SEARCH_VECTOR = f"""
ALTER TABLE news_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector({CONFIG}, coalesce(title, '')), 'A')
    || setweight(to_tsvector({CONFIG}, coalesce(lead, '')), 'B')
    || setweight(
        to_tsvector({CONFIG}, regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g')), 'C'
    )
) STORED
"""

# Public lists are newest first by when they became public (public.selectors.PUBLIC_AT). This
# index walks them in that order and stops after a page instead of sorting every public
# article, and its included columns let PostgreSQL count public articles from the index.
ADD_PUBLIC_ORDER = """
CREATE INDEX article_public_order ON news_article
    ((COALESCE(published_at, publish_at)) DESC, id DESC) INCLUDE (status, publish_at)
    WHERE status IN ('published', 'scheduled')
"""


class PostgreSQLOnly(migrations.RunSQL):
    """Raw SQL that runs on PostgreSQL and is skipped on every other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0006_translations"),
    ]

    operations = [
        TrigramExtension(),  # skips itself on other databases
        PostgreSQLOnly(
            ADD_SEARCH_VECTOR,
            "ALTER TABLE news_article DROP COLUMN search_vector",
        ),
        PostgreSQLOnly(
            "CREATE INDEX article_search_vector ON news_article USING gin (search_vector)",
            "DROP INDEX article_search_vector",
        ),
        PostgreSQLOnly(
            "CREATE INDEX article_title_trigram ON news_article USING gin (title gin_trgm_ops)",
            "DROP INDEX article_title_trigram",
        ),
        PostgreSQLOnly(ADD_PUBLIC_ORDER, "DROP INDEX article_public_order"),
    ]
