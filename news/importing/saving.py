"""Saving imported releases: the one service the command, the tasks and the admin call.

Parsing and cleaning happen in pure modules and `prepare` resolves each release; here each
is deduplicated and saved, new releases in bulk by chunk, anything that meets an existing
article on its own, in input order, so the outcome is that of saving one by one. One bad
release never rolls back or blocks the others, and a re-run changes nothing.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from django.db import DatabaseError, InterfaceError, OperationalError, transaction

from news.models import Article, ImportItem, ImportRun, ImportSource

from . import articles, lead_photos
from .http import FetchError
from .inputs import iter_input
from .normalize import clean_release
from .prepare import ImportContext, ImportOptions, PreparedRelease, prepare_release

__all__ = ["ImportOptions", "ImportReport", "import_items", "run_import"]  # what callers use
from .records import ItemError, ParsedItem, UnusableInput
from .runs import finish_run

logger = logging.getLogger(__name__)

# Releases committed together; each still has its own savepoint, so one failure rolls back
# only itself, and a crash loses at most an uncommitted chunk that a re-run imports again.
CHUNK = 100


@dataclass
class ImportReport:
    """Counts of one import, and the errors with where they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)
    error_code: str = ""
    error_message: str = ""

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "flagged": self.flagged,
            "failed": self.failed,
            "errors": self.errors,
        }


# --- a whole input --------------------------------------------------------------------

# What one release may raise while it is saved; anything else is a bug and stops the run.
SAVE_ERRORS = (DatabaseError, ValueError, TypeError, KeyError, AttributeError)
# A lost database connection is no fault of the release being saved: it stops the run, and
# the task retries it (committed chunks are then found unchanged).
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def import_items(
    items: Iterable[ParsedItem],
    *,
    options: ImportOptions,
    run: ImportRun | None = None,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import every item; failures are recorded with their raw input and the rest goes on.

    When the input itself breaks off (the portal refuses a page, a feed turns out
    unreadable), what came before is kept and the report carries the error.
    """
    context = ImportContext(options, run)
    report = ImportReport()
    iterator = iter(items) if options.limit is None else islice(items, options.limit)
    finished = False
    while not finished:
        # Reading may fetch pages over HTTP: no transaction is held open while it does.
        chunk, finished = _read_chunk(iterator, report)
        if chunk:
            with transaction.atomic():
                photos = _import_chunk(chunk, context, report)
            # Photos download once their releases are committed, outside any transaction.
            lead_photos.add_lead_photos(photos, context)
            _progress(run, report, options, on_progress)
    return report


def _read_chunk(iterator: Iterator[ParsedItem], report: ImportReport) -> tuple[list, bool]:
    chunk = []
    try:
        for item in iterator:
            chunk.append(item)
            if len(chunk) == CHUNK:
                return chunk, False
    except (UnusableInput, FetchError) as error:
        report.error_code, report.error_message = error.code, error.message
    return chunk, True


def _import_chunk(
    items: list[ParsedItem], context: ImportContext, report: ImportReport
) -> list[lead_photos.WantedPhoto]:
    """Save a chunk: new releases in bulk, anything that meets an existing article alone;
    returns the photos of the releases it created or updated, to fetch once it commits.

    One query per kind of lookup for the whole chunk finds which releases are new. Those
    are inserted together; a release whose id or fingerprint is already known (a re-run, an
    update, a suspected duplicate) is saved alone in its own savepoint, after the new ones
    queued before it, so the outcome is the same as saving one by one in input order.
    """
    photos: list[lead_photos.WantedPhoto] = []
    prepared = []
    for item in items:
        if isinstance(item, ItemError):
            _fail(context, report, item.item, item.raw, item.code, item.message)
            continue
        try:
            prepared.append(prepare_release(clean_release(item), context))
        except CONNECTION_ERRORS:
            raise
        except SAVE_ERRORS as error:
            _save_failed(context, report, item, error)
    known = _Known(prepared)
    batch = _NewReleases(context, report, photos)
    for release in prepared:
        if release.key in context.seen:
            articles.record_item(
                context,
                release.clean.item,
                release.clean.raw,
                outcome=ImportItem.Outcome.DUPLICATE_IN_INPUT,
                code="duplicate_in_input",
                message="The same release appears earlier in this input; it was imported once.",
            )
            report.unchanged += 1
        elif known.unchanged(release):
            context.seen.add(release.key)
            report.unchanged += 1
        elif known.meets(release) or release.fingerprint in batch.fingerprints:
            batch.save()
            _import_alone(release, context, report, photos)
        else:
            batch.add(release)
    batch.save()
    return photos


class _Known:
    """What the database already holds of a chunk's releases: two queries for the chunk."""

    def __init__(self, releases: list[PreparedRelease]):
        with_ids = [release for release in releases if release.external_id]
        self.hash_by_identity = {}
        if with_ids:
            rows = (
                Article.objects.filter(
                    source_key__in={release.source_key for release in with_ids},
                    external_id__in={release.external_id for release in with_ids},
                )
                .exclude(external_id="")
                .values_list("source_key", "external_id", "language", "imported_content_hash")
            )
            self.hash_by_identity = {row[:3]: row[3] for row in rows}
        self.by_fingerprint: dict[str, list[tuple[str, str, str]]] = {}
        if releases:
            rows = Article.objects.filter(
                content_fingerprint__in={release.fingerprint for release in releases}
            ).values_list("content_fingerprint", "language", "external_id", "imported_content_hash")
            for fingerprint, *rest in rows:
                self.by_fingerprint.setdefault(fingerprint, []).append(tuple(rest))

    def meets(self, release: PreparedRelease) -> bool:
        """Whether saving it would touch or compare with an existing article."""
        return (
            release.identity in self.hash_by_identity or release.fingerprint in self.by_fingerprint
        )

    def unchanged(self, release: PreparedRelease) -> bool:
        """Whether the one article it would be compared with holds exactly this content."""
        if release.external_id and release.identity in self.hash_by_identity:
            return self.hash_by_identity[release.identity] == release.content_hash
        hashes = [
            content_hash
            for language, external_id, content_hash in self.by_fingerprint.get(
                release.fingerprint, ()
            )
            if language == release.language and not (release.external_id and external_id)
        ]
        return hashes == [release.content_hash]


class _NewReleases:
    """New releases queued to be inserted together, counted only once they are saved."""

    def __init__(
        self,
        context: ImportContext,
        report: ImportReport,
        photos: list[lead_photos.WantedPhoto],
    ):
        self.context, self.report, self.photos = context, report, photos
        self.releases: list[PreparedRelease] = []
        self.fingerprints: set[str] = set()

    def add(self, release: PreparedRelease) -> None:
        self.releases.append(release)
        self.fingerprints.add(release.fingerprint)
        self.context.seen.add(release.key)

    def save(self) -> None:
        releases, self.releases = self.releases, []
        self.fingerprints = set()
        if not releases:
            return
        saved: list[Article | None] = [None] * len(releases)
        try:
            if not self.context.options.dry_run:
                with transaction.atomic():
                    saved = articles.create_articles(releases, self.context)
        except CONNECTION_ERRORS:
            raise
        except SAVE_ERRORS:
            # Something in the batch is refused: save each alone so only that one fails.
            logger.warning("A batch of %d releases was refused; saving each alone", len(releases))
            for release in releases:
                self.context.seen.discard(release.key)
            for release in releases:
                _import_alone(release, self.context, self.report, self.photos)
            return
        self.photos.extend(filter(None, map(lead_photos.wanted, releases, saved)))
        self.report.created += len(releases)
        self.report.flagged += sum(1 for release in releases if release.flags)


def _import_alone(
    release: PreparedRelease,
    context: ImportContext,
    report: ImportReport,
    photos: list[lead_photos.WantedPhoto],
) -> None:
    try:
        with transaction.atomic():
            outcome, flagged, article = articles.import_release(release, context)
    except CONNECTION_ERRORS:
        raise
    except SAVE_ERRORS as error:
        _save_failed(context, report, release.clean, error)
        return
    if photo := lead_photos.wanted(release, article):
        photos.append(photo)
    context.seen.add(release.key)
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.flagged += flagged


def _save_failed(context: ImportContext, report: ImportReport, item, error: Exception) -> None:
    # One release must never stop the batch: record it with its raw input and go on.
    logger.exception("Import of %s failed", getattr(item, "item", "?"))
    _fail(context, report, item.item, item.raw, "save_failed", f"Could not save: {error}")


def _fail(context, report, item, raw, code, message):
    report.failed += 1
    report.errors.append({"item": item, "code": code, "message": message})
    articles.record_item(
        context, item, raw, outcome=ImportItem.Outcome.FAILED, code=code, message=message
    )


def _progress(run, report, options, on_progress):
    if run is not None and not options.dry_run:
        ImportRun.objects.filter(pk=run.pk).update(
            processed=report.processed,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            flagged=report.flagged,
            failed=report.failed,
        )
    if on_progress:
        on_progress(report)


def run_import(
    data_or_path: bytes | Path,
    *,
    input_name: str,
    format: str = "auto",
    options: ImportOptions | None = None,
    source: ImportSource | None = None,
    user=None,
    run: ImportRun | None = None,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> tuple[ImportRun | None, ImportReport]:
    """Import one input as a recorded run.

    An unusable input (unknown format, unreadable) is found before anything is written: with
    a `run` given (a source, an upload) it is recorded there; otherwise nothing is written.
    """
    options = options or ImportOptions()
    options.source_name = options.source_name or (source.name if source else input_name)
    try:
        chosen, items = iter_input(data_or_path, format=format, filename=input_name)
        first = next(items, None)  # a feed parser only finds an unreadable feed when asked
    except UnusableInput as error:
        report = ImportReport(error_code=error.code, error_message=error.message)
        finish_run(run, report)
        return run, report
    if run is None and not options.dry_run:
        run = ImportRun.objects.create(
            source=source, input_name=input_name[:1000], triggered_by=user, format=chosen
        )
    elif run is not None:
        ImportRun.objects.filter(pk=run.pk).update(format=chosen)
    items = chain([first], items) if first is not None else iter(())
    report = import_items(items, options=options, run=run, on_progress=on_progress)
    finish_run(run, report)
    return run, report
