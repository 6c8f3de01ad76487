"""Flags keep machine details, not English notes; one run per task id; no dry-run field.

A flag's note is written from its code and details when shown (news.flags), in the reader's
language. The notes stored so far become details where they follow a known pattern; any
other keeps its text as it was. Runs whose task id repeats (two deliveries of one task) keep
it on the first; ImportRun.dry_run was never set: a dry run records no run.
"""

import re

from django.db import migrations, models
from django.db.models import Count, Q

from news.flags import NOTES, flag_note

PATTERNS = {
    "agency_unresolved": re.compile(r"Agency “(?P<new_agency>.+)” was new to Pressroom; .*"),
    "language_mismatch": re.compile(
        r"Title detected as (?P<title_language>\S+), body as (?P<body_language>\S+)\."
    ),
    "body_truncated": re.compile(
        r"The body was too long and was cut; the whole release is kept in import run "
        r"#(?P<run>\d+) \((?P<item>.*)\)\."
    ),
}
ENGLISH_NOTES = {
    "agency_unresolved": "No agency could be found in the release's source URL or signature.",
    "region_guessed": "The region was guessed from place names in the text.",
    "region_unresolved": "No region could be found.",
    "empty_body": "The release has no body text.",
    "language_mismatch": "The title and the body are in different languages.",
    "language_undetermined": "The language could not be detected.",
    "suspect_title": "The title looks cut or is a whole sentence.",
    "duplicate_suspect": "Another article has the same title, date and agency.",
    "date_missing": "The release gave no date; the import date was used.",
    "body_truncated": "The body was too long and was cut.",
    "new_version_pending": "A newer version was imported after a person edited this article.",
}


def details_of(code: str, note: str) -> dict:
    if not note or note == ENGLISH_NOTES.get(code):
        return {}
    pattern = PATTERNS.get(code)
    found = pattern.fullmatch(note) if pattern else None
    if found:
        details = found.groupdict()
        return {**details, "run": int(details["run"])} if "run" in details else details
    return {"text": note}


def notes_to_details(apps, schema_editor):
    ArticleFlag = apps.get_model("news", "ArticleFlag")
    for flag in ArticleFlag.objects.exclude(note="").iterator(chunk_size=2000):
        flag.details = details_of(flag.code, flag.note)
        flag.save(update_fields=["details"])


def details_to_notes(apps, schema_editor):
    from django.utils import translation

    ArticleFlag = apps.get_model("news", "ArticleFlag")
    with translation.override("en"):
        for flag in ArticleFlag.objects.iterator(chunk_size=2000):
            flag.note = flag_note(flag.code, flag.details) if flag.code in NOTES else ""
            flag.save(update_fields=["note"])


def one_run_per_task(apps, schema_editor):
    ImportRun = apps.get_model("news", "ImportRun")
    repeated = (
        ImportRun.objects.exclude(task_id="")
        .values("task_id")
        .annotate(runs=Count("pk"))
        .filter(runs__gt=1)
        .values_list("task_id", flat=True)
    )
    for task_id in list(repeated):
        first = ImportRun.objects.filter(task_id=task_id).order_by("pk").first()
        ImportRun.objects.filter(task_id=task_id).exclude(pk=first.pk).update(task_id="")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0013_validate_sources_slugs_titles"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleflag",
            name="details",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.RunPython(notes_to_details, details_to_notes, elidable=True),
        migrations.RemoveField(model_name="articleflag", name="note"),
        migrations.RemoveField(model_name="importrun", name="dry_run"),
        migrations.RunPython(one_run_per_task, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="importrun",
            constraint=models.UniqueConstraint(
                condition=Q(("task_id", ""), _negated=True),
                fields=("task_id",),
                name="unique_import_run_task",
            ),
        ),
    ]
