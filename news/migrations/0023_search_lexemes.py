"""Search on the lexemes news.lexemes computes (issue 16), on PostgreSQL and SQLite alike.

Each article stores `search_lexemes`: its title's, lead's and body's lexemes, a line each
(Kazakh stems, folded letters; Russian and English stems), computed in Python because
PostgreSQL cannot run the Kazakh stemmer. On PostgreSQL `search_vector` becomes a
`simple` tsvector of those lines, weighted A, B, C, still a generated column behind the
same GIN index; on SQLite an FTS5 table holds the same three lines, kept current by
triggers (public.search.install_fts5). Existing rows are analysed here; `manage.py update_search_lexemes` does it again
after the analysis changes.
"""

from django.db import migrations

import news.fields

LINE = "E'\\n'"
ADD_SEARCH_VECTOR = f"""
ALTER TABLE news_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, split_part(search_lexemes, {LINE}, 1)), 'A')
    || setweight(to_tsvector('simple'::regconfig, split_part(search_lexemes, {LINE}, 2)), 'B')
    || setweight(to_tsvector('simple'::regconfig, split_part(search_lexemes, {LINE}, 3)), 'C')
) STORED
"""
# The expression of migration 0007, for going back.
OLD_CONFIG = """CASE language WHEN 'ru' THEN 'russian'::regconfig
    WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END"""
OLD_SEARCH_VECTOR = f"""
ALTER TABLE news_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector({OLD_CONFIG}, coalesce(title, '')), 'A')
    || setweight(to_tsvector({OLD_CONFIG}, coalesce(lead, '')), 'B')
    || setweight(
        to_tsvector({OLD_CONFIG}, regexp_replace(coalesce(body, ''), '<[^>]*>', ' ', 'g')), 'C'
    )
) STORED
"""
CREATE_INDEX = "CREATE INDEX article_search_vector ON news_article USING gin (search_vector)"

SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS news_article_search_delete",
    "DROP TRIGGER IF EXISTS news_article_search_update",
    "DROP TRIGGER IF EXISTS news_article_search_insert",
    "DROP TABLE IF EXISTS news_article_search",
]


def install_sqlite_search(apps, schema_editor):
    # public.search holds the statements: every later migrate checks them there too,
    # since SQLite drops a table's triggers when a migration rebuilds it.
    from public.search import install_fts5

    install_fts5(schema_editor.connection.alias)


class OnVendor(migrations.RunSQL):
    """Raw SQL that runs on one database vendor and is skipped on the others."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def analyse_existing_articles(apps, schema_editor):
    from news.lexemes import document_lexemes

    Article = apps.get_model("news", "Article")
    batch = []
    for article in Article.objects.only("title", "lead", "body", "language").iterator(2000):
        article.search_lexemes = document_lexemes(
            article.title, article.lead, article.body, article.language
        )
        batch.append(article)
        if len(batch) == 2000:
            Article.objects.bulk_update(batch, ["search_lexemes"])
            batch = []
    Article.objects.bulk_update(batch, ["search_lexemes"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0022_step_comments_name_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_lexemes",
            field=news.fields.SearchLexemesField(
                blank=True, default="", editable=False, verbose_name="search lexemes"
            ),
        ),
        # The generated column goes first: filling the lexemes would recompute it per row.
        OnVendor(
            "postgresql",
            "ALTER TABLE news_article DROP COLUMN search_vector",
            [OLD_SEARCH_VECTOR, CREATE_INDEX],
        ),
        migrations.RunPython(analyse_existing_articles, migrations.RunPython.noop),
        OnVendor("postgresql", [ADD_SEARCH_VECTOR, CREATE_INDEX], "ALTER TABLE news_article DROP COLUMN search_vector"),
        migrations.RunPython(install_sqlite_search, migrations.RunPython.noop),
        OnVendor("sqlite", migrations.RunSQL.noop, SQLITE_BACKWARDS),
    ]
