"""PostgreSQL keeps each article's search vector in its row (storage MAIN), compressed,
instead of moving it to the TOAST table.

The search walks the newest articles in public order and tests every row's vector until
it has the 200 newest matches; a vector out of line cost three more page reads and a
decompression per row (about 5 µs; 16,000 buffers for a 5%-frequent name at 100,000
articles, 3,500 in line). The body and lexemes, read only for the rows shown, go out of
line first now. Rows written before this migration move when rewritten:
`VACUUM FULL news_article` once (it locks the table while it runs).
"""

from django.db import migrations

SET_STORAGE = "ALTER TABLE news_article ALTER COLUMN search_vector SET STORAGE {}"


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET_STORAGE.format("MAIN"))


def let_out_of_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SET_STORAGE.format("EXTENDED"))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0024_title_words"),
    ]

    operations = [migrations.RunPython(keep_in_row, let_out_of_row)]
