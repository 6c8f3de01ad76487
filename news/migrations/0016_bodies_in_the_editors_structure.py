"""Stored bodies in the structure the body editor writes (news.html).

Bodies typed as plain text get their paragraphs, lists and links; HTML bodies lose what the
editor cannot hold (images become links to them, h1 and h4-h6 become h2 and h3, styled spans
their emphasis), so that opening one in the editor and saving it loses nothing more.
Revisions keep the bodies as they were.
"""

from django.db import migrations

from news.html import sanitize_html


def structure_bodies(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    rows = Article.objects.order_by("pk").values_list("pk", "body")
    for pk, body in rows.iterator(chunk_size=500):
        structured = sanitize_html(body)
        if structured != body:
            # update(): no save signals, no revision, no new version; the text is the same.
            Article.objects.filter(pk=pk).update(body=structured)


class Migration(migrations.Migration):
    dependencies = [("news", "0015_public_order_indexes")]

    operations = [
        migrations.RunPython(structure_bodies, migrations.RunPython.noop, elidable=True),
    ]
