"""Configured import sources: run one, count its failures, keep its beat schedule in step.

The admin, the Celery task and the command call these; saving the releases is `saving`'s.
"""

import json
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import PeriodicTask

from news.models import ImportRun, ImportSource
from news.queue import enqueue

from .govkz import GOVKZ_BASE_URL, GovkzClient
from .http import FetchError, HttpFetcher
from .inputs import LocalFiles, read_input
from .records import ParsedItem
from .runs import SOURCE_TASK, finish_run, source_input_name
from .saving import ImportOptions, ImportReport, import_items, run_import

DISABLED_NOTICE_TASK = "news.tasks.send_source_disabled_notice"


def run_source(
    source: ImportSource,
    *,
    user=None,
    fetcher: HttpFetcher | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import a configured source now, into `run` if it was queued; N failures in a row
    disable it and tell administrators."""
    options = ImportOptions(
        default_agency=source.default_agency, language=source.language, source_name=source.name
    )
    input_name = source_input_name(source)
    if run is None:
        run = ImportRun.objects.create(
            source=source, input_name=input_name, format=source.kind, triggered_by=user
        )
    try:
        if source.kind == ImportSource.Kind.GOVKZ:
            report = import_items(_govkz_items(source, fetcher), options=options, run=run)
            finish_run(run, report)
        else:
            data = _read_source(source, fetcher)
            _, report = run_import(
                data,
                input_name=input_name,
                format=source.kind,
                options=options,
                source=source,
                run=run,
            )
    except FetchError as error:
        report = ImportReport(error_code=error.code, error_message=error.message)
        finish_run(run, report)
    count_outcome(source, run)
    return run


def import_fetcher() -> HttpFetcher:
    """A fetcher for imports: public addresses, and the private networks the operator allowed."""
    return HttpFetcher(allowed_networks=settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS)


def _read_source(source: ImportSource, fetcher: HttpFetcher | None) -> bytes:
    # Administrators name sources: their files are only those in the import folder.
    files = LocalFiles.inside(settings.PRESSROOM_IMPORT_DIR)
    if fetcher is not None:
        return read_input(source.location, files=files, fetcher=fetcher)
    with import_fetcher() as own:
        return read_input(source.location, files=files, fetcher=own)


def _govkz_items(source: ImportSource, fetcher: HttpFetcher | None) -> Iterator[ParsedItem]:
    owned = fetcher is None
    fetcher = fetcher or import_fetcher()
    client = GovkzClient(fetcher, base_url=source.location or GOVKZ_BASE_URL)
    try:
        for language in [source.language] if source.language else ["kk", "ru", "en"]:
            yield from client.iter_news(source.govkz_agency_slug, language)
    finally:
        if owned:
            fetcher.close()


def count_outcome(source: ImportSource, run: ImportRun) -> None:
    """Count a failed run against the source; disable it after too many in a row."""
    if run.status != ImportRun.Status.FAILED:
        ImportSource.objects.filter(pk=source.pk).update(consecutive_failures=0)
        source.consecutive_failures = 0
        return
    with transaction.atomic():
        locked = ImportSource.objects.select_for_update().get(pk=source.pk)
        locked.consecutive_failures += 1
        disable = locked.enabled and locked.consecutive_failures >= locked.max_consecutive_failures
        if disable:
            locked.enabled = False
        locked.save(update_fields=["consecutive_failures", "enabled", "updated_at"])
        sync_schedule(locked)
        if disable:
            # A lost notice is logged by enqueue; the source is disabled either way.
            transaction.on_commit(lambda: enqueue(DISABLED_NOTICE_TASK, (locked.pk, run.pk)))
    source.refresh_from_db()


def sync_schedule(source: ImportSource) -> None:
    """Keep the source's django-celery-beat entry in step with its schedule and switch."""
    if source.schedule_id is None:
        if source.periodic_task_id:
            task = source.periodic_task
            ImportSource.objects.filter(pk=source.pk).update(periodic_task=None)
            task.delete()
            source.periodic_task = None
        return
    task = source.periodic_task or PeriodicTask(task=SOURCE_TASK)
    task.name = f"Import source #{source.pk}: {source.name}"[:200]
    task.crontab_id = source.schedule_id
    task.interval = None
    task.args = json.dumps([source.pk])
    task.enabled = source.enabled
    task.save()
    if source.periodic_task_id != task.pk:
        ImportSource.objects.filter(pk=source.pk).update(periodic_task=task)
        source.periodic_task = task
