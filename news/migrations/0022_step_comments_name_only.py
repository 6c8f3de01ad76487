"""The import and machine translation steps keep only where a release came from or what
translated it: "Imported from …" and "Machine translation by …" were English in every
interface, the step's label now says it in the reader's language."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Length, Substr

PREFIXES = {"import": "Imported from ", "translate": "Machine translation by "}


def names_only(apps, schema_editor):
    ArticleTransition = apps.get_model("news", "ArticleTransition")
    for step, prefix in PREFIXES.items():
        ArticleTransition.objects.filter(name=step, comment__startswith=prefix).update(
            comment=Substr(F("comment"), len(prefix) + 1, Length(F("comment")))
        )


def prefixed(apps, schema_editor):
    ArticleTransition = apps.get_model("news", "ArticleTransition")
    for step, prefix in PREFIXES.items():
        for transition in ArticleTransition.objects.filter(name=step).exclude(comment=""):
            transition.comment = prefix + transition.comment
            transition.save(update_fields=["comment"])


class Migration(migrations.Migration):
    dependencies = [("news", "0021_transition_overrides")]

    operations = [migrations.RunPython(names_only, prefixed)]
