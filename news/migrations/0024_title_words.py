"""The distinct words of article titles (news.title_words), for "did you mean".

On PostgreSQL a trigram index (pg_trgm, migration 0007) finds the words like a misspelt
one; SQLite's search compares the table's words with difflib. Filled here from the titles
of published and scheduled releases. The trigram index on titles, which suggestions read
before, goes: nothing else used it (the admin's search compares upper-cased titles).
"""

from django.db import migrations, models

CREATE_INDEX = "CREATE INDEX title_word_trigram ON news_titleword USING gin (folded gin_trgm_ops)"
DROP_INDEX = "DROP INDEX IF EXISTS title_word_trigram"
CREATE_TITLE_INDEX = (
    "CREATE INDEX article_title_trigram ON news_article USING gin (title gin_trgm_ops)"
)
DROP_TITLE_INDEX = "DROP INDEX IF EXISTS article_title_trigram"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute(DROP_TITLE_INDEX)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)
        schema_editor.execute(CREATE_TITLE_INDEX)


def record_existing_titles(apps, schema_editor):
    from news.title_words import PUBLIC_STATUSES, title_words

    Article = apps.get_model("news", "Article")
    TitleWord = apps.get_model("news", "TitleWord")
    alias = schema_editor.connection.alias
    public = Article.objects.using(alias).filter(status__in=PUBLIC_STATUSES)
    titles = public.values_list("title", flat=True).iterator(5000)
    TitleWord.objects.using(alias).bulk_create(
        [TitleWord(folded=folded, spelling=word) for folded, word in title_words(titles).items()],
        batch_size=5000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0023_search_lexemes"),
    ]

    operations = [
        migrations.CreateModel(
            name="TitleWord",
            fields=[
                (
                    "folded",
                    models.CharField(
                        max_length=100,
                        primary_key=True,
                        serialize=False,
                        verbose_name="compared form",
                    ),
                ),
                ("spelling", models.CharField(max_length=100, verbose_name="spelling")),
            ],
            options={
                "verbose_name": "title word",
                "verbose_name_plural": "title words",
            },
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
        migrations.RunPython(record_existing_titles, migrations.RunPython.noop),
    ]
