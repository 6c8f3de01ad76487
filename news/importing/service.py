"""The one service that saves imported releases; the command, the tasks and the admin call it.

Parsing and cleaning happen in pure modules; here each clean release is resolved against the
database's agencies and regions, deduplicated and saved in its own transaction, so one bad
release never rolls back or blocks the others, and a re-run changes nothing.
"""

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain, islice
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import PeriodicTask

from agencies.models import Agency, Region
from news import workflow
from news.html import sanitize_html
from news.models import Article, ArticleFlag, ImportItem, ImportRun, ImportSource
from news.slugs import unique_slugs
from news.translation import service as translation_service
from news.validators import fit_tag, is_web_address

from . import dedup, resolve
from .decoding import open_text_stream, read_text, with_decoding_problems
from .digest import parse_digest, parse_digest_text
from .feeds import parse_feed
from .formats import detect_format
from .govkz import GOVKZ_BASE_URL, GovkzClient, parse_govkz_payload
from .http import FetchError, HttpFetcher
from .inputs import LocalFiles, read_input
from .normalize import clean_release, parse_govkz_url
from .records import CleanRelease, Flag, ItemError, ParsedItem, UnusableInput

logger = logging.getLogger(__name__)

# Releases committed together; each still has its own savepoint, so one failure rolls back
# only itself, and a crash loses at most an uncommitted chunk that a re-run imports again.
CHUNK = 100
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
GOVKZ_SOURCE_KEY = "govkz"
FLAG_NOTES = {
    Flag.AGENCY_UNRESOLVED: "No agency could be found in the release's source URL or signature.",
    Flag.REGION_GUESSED: "The region was guessed from place names in the text.",
    Flag.REGION_UNRESOLVED: "No region could be found.",
    Flag.EMPTY_BODY: "The release has no body text.",
    Flag.LANGUAGE_MISMATCH: "The title and the body are in different languages.",
    Flag.LANGUAGE_UNDETERMINED: "The language could not be detected.",
    Flag.SUSPECT_TITLE: "The title looks cut or is a whole sentence.",
    Flag.DUPLICATE_SUSPECT: "Another article has the same title, date and agency.",
    Flag.DATE_MISSING: "The release gave no date; the import date was used.",
    Flag.BODY_TRUNCATED: "The body was too long and was cut.",
    Flag.NEW_VERSION_PENDING: "A newer version was imported after a person edited this article.",
}


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


@dataclass
class ImportOptions:
    default_agency: Agency | None = None
    language: str = ""
    dry_run: bool = False
    limit: int | None = None
    source_name: str = ""


class _Context:
    """What one run keeps between releases: reference data and what it has already seen."""

    def __init__(self, options: ImportOptions, run: ImportRun | None):
        self.options = options
        self.run = run
        self.agencies = {agency.slug: agency for agency in Agency.objects.select_related("region")}
        self.regions = {region.iso_code: region for region in Region.objects.exclude(iso_code=None)}
        self.reference = resolve.Reference(
            regions={
                iso: resolve.RegionRef(
                    iso_code=iso,
                    kind=region.kind,
                    name_en=region.name_en,
                    name_ru=region.name_ru,
                    name_kk=region.name_kk,
                    govkz_akimat_slug=region.govkz_akimat_slug,
                )
                for iso, region in self.regions.items()
            },
            agencies={slug: _agency_ref(agency) for slug, agency in self.agencies.items()},
        )
        self.regions_by_pk = {region.pk: region for region in self.regions.values()}
        self.seen: set[tuple] = set()
        # Who started the run: the releases it brings in are theirs for the four-eyes rule.
        self.importer = run.triggered_by if run is not None else None


def _agency_ref(agency: Agency) -> "resolve.AgencyRef":
    return resolve.AgencyRef(
        slug=agency.slug,
        kind=agency.kind,
        name_en=agency.name_en,
        name_ru=agency.name_ru,
        name_kk=agency.name_kk,
        region_iso=agency.region.iso_code if agency.region_id and agency.region else None,
    )


# --- reading inputs -------------------------------------------------------------------


def iter_input(data_or_path: bytes | Path, *, format: str = "auto", filename: str = "") -> tuple[
    str, Iterator[ParsedItem]
]:  # fmt: skip
    """Detect the format and return (format, items). Raises UnusableInput before any item."""
    if isinstance(data_or_path, Path):
        with data_or_path.open("rb") as handle:
            head = handle.read(64 * 1024)
        name = filename or data_or_path.name
    else:
        head, name = data_or_path[: 64 * 1024], filename
    chosen = detect_format(head, filename=name) if format == "auto" else format
    if chosen == "digest":
        if isinstance(data_or_path, Path):
            return chosen, _stream_digest(data_or_path)
        text, decoding = read_text(data_or_path)
        return chosen, with_decoding_problems(parse_digest_text(text), decoding)
    data = data_or_path.read_bytes() if isinstance(data_or_path, Path) else data_or_path
    if chosen in ("rss", "atom"):
        return chosen, parse_feed(data, url=filename)
    if chosen == "govkz":
        return chosen, iter(parse_govkz_payload(data))
    raise UnusableInput(f"Unknown format “{chosen}”.", code="unknown_format")


def _stream_digest(path: Path) -> Iterator[ParsedItem]:
    # A digest can be large: read it line by line instead of decoding it whole.
    with open_text_stream(path) as lines:
        yield from with_decoding_problems(parse_digest(lines), lines.decoding)


# --- one release ----------------------------------------------------------------------


def _source_identity(clean: CleanRelease) -> tuple[str, str]:
    """(source key, external id) within which the id is unique; gov.kz ids span the portal."""
    if not clean.external_id:
        return "", ""
    if parse_govkz_url(clean.source_url):
        return GOVKZ_SOURCE_KEY, clean.external_id
    host = urlsplit(clean.source_url).hostname or ""
    return (f"url:{host}" if host else "input"), clean.external_id


def _resolve(clean: CleanRelease, context: _Context) -> tuple[Agency | None, Region | None, dict]:
    flags: dict[str, str] = {}
    text = f"{clean.title}\n{strip_tags(clean.body_html)}"
    found = resolve.resolve_agency(
        agency_slug=clean.agency_slug,
        attribution=clean.attribution,
        text=text,
        reference=context.reference,
    )
    agency = None
    if found.slug and found.known:
        agency = context.agencies[found.slug]
    elif found.slug:
        agency = _new_agency(found.slug, context)
        flags[Flag.AGENCY_UNRESOLVED] = (
            f"Agency “{found.slug}” was new to Pressroom; it was created inactive for review."
        )
    elif context.options.default_agency:
        agency = context.options.default_agency
    else:
        flags[Flag.AGENCY_UNRESOLVED] = FLAG_NOTES[Flag.AGENCY_UNRESOLVED]

    region_found = resolve.resolve_region(
        agency=context.reference.agencies.get(agency.slug) if agency else None,
        agency_slug=agency.slug if agency else None,
        text=text,
        reference=context.reference,
    )
    region = context.regions.get(region_found.iso_code) if region_found.iso_code else None
    if region is None:
        flags[Flag.REGION_UNRESOLVED] = FLAG_NOTES[Flag.REGION_UNRESOLVED]
    elif region_found.guessed:
        flags[Flag.REGION_GUESSED] = f"Guessed {region.name_en} from place names in the text."
    return agency, region, flags


def _new_agency(slug: str, context: _Context) -> Agency:
    region_iso = resolve.region_from_slug(slug, context.reference)
    if context.options.dry_run:
        return Agency(slug=slug, name_en=slug, is_active=False, needs_review=True)
    agency, _ = Agency.objects.get_or_create(
        slug=slug,
        defaults={
            "name_en": slug,
            "is_active": False,
            "needs_review": True,
            "region": context.regions.get(region_iso) if region_iso else None,
            "website": f"https://www.gov.kz/memleket/entities/{slug}/",
        },
    )
    context.agencies[slug] = agency
    context.reference = context.reference.with_agency(_agency_ref(agency))
    return agency


def _language(clean: CleanRelease, options: ImportOptions, flags: dict) -> str:
    if options.language:
        return options.language
    if clean.language in ("kk", "ru", "en"):
        return clean.language
    flags[Flag.LANGUAGE_UNDETERMINED] = FLAG_NOTES[Flag.LANGUAGE_UNDETERMINED]
    return settings.LANGUAGE_CODE[:2]


def _existing(release: "_Prepared") -> Article | None:
    if release.external_id:
        # Excluding "" lets the planner use the partial unique index on the id.
        found = (
            Article.objects.filter(
                source_key=release.source_key,
                external_id=release.external_id,
                language=release.language,
            )
            .exclude(external_id="")
            .first()
        )
        if found:
            return found
        # The same release reached us before without an id (e.g. from a digest).
        return Article.objects.filter(
            content_fingerprint=release.fingerprint, language=release.language, external_id=""
        ).first()
    return Article.objects.filter(
        content_fingerprint=release.fingerprint, language=release.language
    ).first()


def _record_item(context: _Context, item: str, raw: str, *, outcome, code, message, **extra):
    if context.run is not None and not context.options.dry_run:
        ImportItem.objects.create(
            run=context.run,
            item=item[:200],
            outcome=outcome,
            code=code,
            message=message,
            raw=raw,
            **extra,
        )


@dataclass
class _Prepared:
    """A clean release resolved against the database, ready to be looked up and saved."""

    clean: CleanRelease
    agency: Agency | None
    region: Region | None
    flags: dict[str, str]
    language: str
    source_key: str
    external_id: str
    fingerprint: str
    body: str
    content_hash: str
    source_url: str
    sources: list[str]
    tags: list[str]

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.source_key, self.external_id, self.language)

    @property
    def key(self) -> tuple:
        """What makes two releases of one input the same release."""
        if self.external_id:
            return self.identity
        return (self.fingerprint, self.language)


def prepare_release(clean: CleanRelease, context: _Context) -> _Prepared:
    """Resolve agency, region and language, and compute what deduplication compares."""
    agency, region, flags = _resolve(clean, context)
    for code in clean.flags:
        flags.setdefault(code, FLAG_NOTES.get(code, ""))
    if Flag.BODY_TRUNCATED in flags and context.run is not None:
        flags[Flag.BODY_TRUNCATED] = (
            f"The body was too long and was cut; the whole release is kept in import run "
            f"#{context.run.pk} ({clean.item})."
        )
    source_url, sources, tags, unusable = _usable_links_and_tags(clean)
    warnings = _parser_warnings(clean) + unusable
    if warnings:
        flags[Flag.IMPORT_WARNING] = " ".join(warnings)
    if Flag.LANGUAGE_MISMATCH in flags:
        flags[Flag.LANGUAGE_MISMATCH] = (
            f"Title detected as {clean.title_language or '?'}, "
            f"body as {clean.body_language or '?'}."
        )
    language = _language(clean, context.options, flags)
    source_key, external_id = _source_identity(clean)
    body = sanitize_html(clean.body_html)
    return _Prepared(
        clean=clean,
        agency=agency,
        region=region,
        flags=flags,
        language=language,
        source_key=source_key,
        external_id=external_id,
        fingerprint=dedup.content_fingerprint(
            clean.title, clean.release_date, agency.slug if agency else ""
        ),
        body=body,
        content_hash=dedup.content_hash(title=clean.title, lead="", body=body),
        source_url=source_url,
        sources=sources,
        tags=tags,
    )


def _usable_links_and_tags(clean: CleanRelease) -> tuple[str, list[str], list[str], list[str]]:
    """(source URL, sources, tags, warnings): only web addresses as sources, and tags
    shortened to what taggit can store (news.validators), as Article's fields require."""
    sources = [url for url in clean.sources if is_web_address(url)]
    warnings = [
        f"The source “{url[:80]}” is not a web address; it was left out."
        for url in clean.sources
        if url not in sources
    ]
    source_url = clean.source_url if clean.source_url in sources else next(iter(sources), "")
    tags = []
    for tag in clean.tags:
        fitted = fit_tag(tag)
        if fitted != tag:
            warnings.append(f"The tag “{tag[:80]}…” was too long; it was shortened.")
        if fitted and fitted not in tags:
            tags.append(fitted)
    return source_url, sources, tags, warnings


def import_release(release: _Prepared, context: _Context) -> tuple[str, bool]:
    """Deduplicate and save one release on its own; returns (created|updated|unchanged, flagged).

    The caller runs it in a savepoint, so a failure leaves nothing of this release behind.
    """
    existing = _existing(release)
    if existing is not None:
        return _import_again(existing, release, context)
    if (
        release.external_id
        and Article.objects.filter(content_fingerprint=release.fingerprint).exists()
    ):
        release.flags[Flag.DUPLICATE_SUSPECT] = FLAG_NOTES[Flag.DUPLICATE_SUSPECT]
    if not context.options.dry_run:
        _create_articles([release], context)
    return CREATED, bool(release.flags)


def _parser_warnings(clean: CleanRelease) -> list[str]:
    """What the parser noticed (an impossible date, a guessed encoding, a dropped link) that
    no other flag already says, so an editor reads it rather than it being lost."""
    covered = (Flag.BODY_TRUNCATED, "date_missing")
    messages = (
        problem.message
        for problem in clean.problems
        if not problem.code.startswith("title_") and problem.code not in covered
    )
    return list(dict.fromkeys(messages))


def _create_articles(releases: list[_Prepared], context: _Context) -> list[Article]:
    """Insert new articles with their history, tags, flags and first workflow step."""
    taken = Article.objects.filter
    slugs = unique_slugs(
        [release.clean.title for release in releases],
        lambda candidates: set(taken(slug__in=candidates).values_list("slug", flat=True)),
    )
    articles = Article.objects.bulk_create(
        Article(
            title=release.clean.title[:500],
            slug=slug,
            body=release.body,
            language=release.language,
            agency=release.agency,
            region=release.region,
            status=Article.Status.IN_REVIEW,
            source_url=release.source_url,
            sources=release.sources,
            attribution=release.clean.attribution[:300],
            source_key=release.source_key,
            external_id=release.external_id,
            release_date=release.clean.release_date or timezone.localdate(),
            content_fingerprint=release.fingerprint,
            imported_content_hash=release.content_hash,
        )
        for release, slug in zip(releases, slugs, strict=True)
    )
    # bulk_create sends no post_save, so the first revision is written here.
    Article.history.bulk_history_create(articles)
    for release, article in zip(releases, articles, strict=True):
        if release.tags:
            article.tags.add(*release.tags)
    ArticleFlag.objects.bulk_create(
        ArticleFlag(article=article, code=code, note=note)
        for release, article in zip(releases, articles, strict=True)
        for code, note in release.flags.items()
    )
    _keep_whole_texts(zip(releases, articles, strict=True), context)
    workflow.file_imported_articles(
        articles=articles,
        comment=f"Imported from {context.options.source_name}".strip(),
        importer=context.importer,
    )
    translation_service.queue_imported_articles(articles)
    return articles


def _keep_whole_texts(saved: Iterable[tuple[_Prepared, Article]], context: _Context) -> None:
    """Keep with the run the raw input of each saved release whose body was cut for length:
    its article holds only part of it, and the input (a fetched feed, a file) is not kept."""
    if context.run is None or context.options.dry_run:
        return
    ImportItem.objects.bulk_create(
        ImportItem(
            run=context.run,
            item=release.clean.item[:200],
            outcome=ImportItem.Outcome.FULL_TEXT_KEPT,
            code=Flag.BODY_TRUNCATED,
            message=next(
                problem.message
                for problem in release.clean.problems
                if problem.code == Flag.BODY_TRUNCATED
            ),
            raw=release.clean.raw,
            article=article,
        )
        for release, article in saved
        if Flag.BODY_TRUNCATED in release.flags
    )


def _import_again(existing: Article, release: _Prepared, context: _Context) -> tuple[str, bool]:
    clean, body, content_hash = release.clean, release.body, release.content_hash
    if existing.imported_content_hash == content_hash:
        return UNCHANGED, False
    edited_by_person = existing.imported_content_hash != dedup.content_hash(
        title=existing.title, lead=existing.lead, body=existing.body
    )
    still_a_draft = workflow.import_may_update(existing)
    if edited_by_person or not still_a_draft or _sources_locked(existing, clean):
        already = existing.import_items.filter(
            outcome=ImportItem.Outcome.NEW_VERSION, proposed__content_hash=content_hash
        ).exists()
        if already:
            return UNCHANGED, False
        if not context.options.dry_run:
            _record_item(
                context,
                clean.item,
                clean.raw,
                outcome=ImportItem.Outcome.NEW_VERSION,
                code="new_version",
                message="The source changed this release after a person edited the article; "
                "the new version is kept here for the editor.",
                proposed={"title": clean.title, "body": body, "content_hash": content_hash},
                article=existing,
            )
            ArticleFlag.objects.update_or_create(
                article=existing,
                code=Flag.NEW_VERSION_PENDING,
                defaults={"note": FLAG_NOTES[Flag.NEW_VERSION_PENDING]},
            )
        return UNCHANGED, True
    if not context.options.dry_run:
        existing.title = clean.title[:500]
        existing.body = body
        existing.sources = release.sources
        existing.source_url = release.source_url
        existing.attribution = clean.attribution[:300]
        existing.imported_content_hash = content_hash
        existing._change_reason = f"Updated by import {context.options.source_name}".strip()
        existing.save()
        workflow.record_import_update(
            article=existing, comment=existing._change_reason, importer=context.importer
        )
        translation_service.record_edit(
            article=existing,
            changed_fields=["title", "body", "sources", "source_url"],
            user=None,
            reason=existing._change_reason,
        )
        if Flag.BODY_TRUNCATED in release.flags:
            ArticleFlag.objects.update_or_create(
                article=existing,
                code=Flag.BODY_TRUNCATED,
                defaults={"note": release.flags[Flag.BODY_TRUNCATED]},
            )
            _keep_whole_texts([(release, existing)], context)
    return UPDATED, Flag.BODY_TRUNCATED in release.flags


def _sources_locked(existing: Article, clean: CleanRelease) -> bool:
    """Whether the new sources would have to reach a language version of the release that
    an import may no longer change (approved, published...): then an editor decides."""
    values = translation_service.shared_values(existing) | {
        "sources": clean.sources,
        "source_url": clean.source_url[:1000],
    }
    return translation_service.sync_refusal(article=existing, values=values, user=None) is not None


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
    context = _Context(options, run)
    report = ImportReport()
    iterator = iter(items) if options.limit is None else islice(items, options.limit)
    finished = False
    while not finished:
        # Reading may fetch pages over HTTP: no transaction is held open while it does.
        chunk, finished = _read_chunk(iterator, report)
        if chunk:
            with transaction.atomic():
                _import_chunk(chunk, context, report)
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


def _import_chunk(items: list[ParsedItem], context: _Context, report: ImportReport) -> None:
    """Save a chunk: new releases in bulk, anything that meets an existing article alone.

    One query per kind of lookup for the whole chunk finds which releases are new. Those
    are inserted together; a release whose id or fingerprint is already known (a re-run, an
    update, a suspected duplicate) is saved alone in its own savepoint, after the new ones
    queued before it, so the outcome is the same as saving one by one in input order.
    """
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
    batch = _NewReleases(context, report)
    for release in prepared:
        if release.key in context.seen:
            _record_item(
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
            _import_alone(release, context, report)
        else:
            batch.add(release)
    batch.save()


class _Known:
    """What the database already holds of a chunk's releases: two queries for the chunk."""

    def __init__(self, releases: list[_Prepared]):
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

    def meets(self, release: _Prepared) -> bool:
        """Whether saving it would touch or compare with an existing article."""
        return (
            release.identity in self.hash_by_identity or release.fingerprint in self.by_fingerprint
        )

    def unchanged(self, release: _Prepared) -> bool:
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

    def __init__(self, context: _Context, report: ImportReport):
        self.context, self.report = context, report
        self.releases: list[_Prepared] = []
        self.fingerprints: set[str] = set()

    def add(self, release: _Prepared) -> None:
        self.releases.append(release)
        self.fingerprints.add(release.fingerprint)
        self.context.seen.add(release.key)

    def save(self) -> None:
        releases, self.releases = self.releases, []
        self.fingerprints = set()
        if not releases:
            return
        try:
            if not self.context.options.dry_run:
                with transaction.atomic():
                    _create_articles(releases, self.context)
        except CONNECTION_ERRORS:
            raise
        except SAVE_ERRORS:
            # Something in the batch is refused: save each alone so only that one fails.
            logger.warning("A batch of %d releases was refused; saving each alone", len(releases))
            for release in releases:
                self.context.seen.discard(release.key)
            for release in releases:
                _import_alone(release, self.context, self.report)
            return
        self.report.created += len(releases)
        self.report.flagged += sum(1 for release in releases if release.flags)


def _import_alone(release: _Prepared, context: _Context, report: ImportReport) -> None:
    try:
        with transaction.atomic():
            outcome, flagged = import_release(release, context)
    except CONNECTION_ERRORS:
        raise
    except SAVE_ERRORS as error:
        _save_failed(context, report, release.clean, error)
        return
    context.seen.add(release.key)
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.flagged += flagged


def _save_failed(context: _Context, report: ImportReport, item, error: Exception) -> None:
    # One release must never stop the batch: record it with its raw input and go on.
    logger.exception("Import of %s failed", getattr(item, "item", "?"))
    _fail(context, report, item.item, item.raw, "save_failed", f"Could not save: {error}")


def _fail(context, report, item, raw, code, message):
    report.failed += 1
    report.errors.append({"item": item, "code": code, "message": message})
    _record_item(context, item, raw, outcome=ImportItem.Outcome.FAILED, code=code, message=message)


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


def finish_run(run: ImportRun | None, report: ImportReport) -> None:
    if run is None:
        return
    if report.error_code:
        status = ImportRun.Status.FAILED
    elif report.failed:
        status = ImportRun.Status.PARTIAL
    else:
        status = ImportRun.Status.SUCCEEDED
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        finished_at=timezone.now(),
        error_code=report.error_code,
        error_message=report.error_message,
    )
    run.refresh_from_db()


# --- sources --------------------------------------------------------------------------


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
    input_name = source.location or source.govkz_agency_slug
    if run is None:
        run = ImportRun.objects.create(
            source=source, input_name=input_name[:1000], format=source.kind, triggered_by=user
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
    _count_outcome(source, run)
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


def _count_outcome(source: ImportSource, run: ImportRun) -> None:
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
            from news.tasks import send_source_disabled_notice

            transaction.on_commit(lambda: send_source_disabled_notice.delay(locked.pk, run.pk))
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
    task = source.periodic_task or PeriodicTask(task="news.tasks.run_import_source")
    task.name = f"Import source #{source.pk}: {source.name}"[:200]
    task.crontab_id = source.schedule_id
    task.interval = None
    task.args = json.dumps([source.pk])
    task.enabled = source.enabled
    task.save()
    if source.periodic_task_id != task.pk:
        ImportSource.objects.filter(pk=source.pk).update(periodic_task=task)
        source.periodic_task = task


# --- queueing -------------------------------------------------------------------------
# A run is recorded (queued) before its task is sent. When the task queue is down the run
# waits in the database and resend_queued_runs sends it again; a Celery task claims its run
# by task id, so a retry or a re-delivery after a lost worker resumes the same run, while a
# stale message superseded by a re-send does nothing.

QUEUE_UNAVAILABLE = "queue_unavailable"
QUEUE_UNAVAILABLE_MESSAGE = _("The task queue is unavailable; the import will run when it is back.")


def queue_upload(
    *, payload: bytes, input_name: str, format: str, source: ImportSource | None, user
) -> ImportRun:
    """Record an uploaded file as a queued run and send it to a worker after commit."""
    run = ImportRun.objects.create(
        status=ImportRun.Status.QUEUED,
        source=source,
        input_name=input_name[:1000],
        format="" if format == "auto" else format,
        payload=payload,
        triggered_by=user,
        task_id=_new_task_id(),
    )
    transaction.on_commit(lambda: send_run(run, uploaded=True))
    return run


def queue_source(source: ImportSource, *, user=None) -> ImportRun:
    """Record an import of a configured source as a queued run, sent after commit."""
    run = ImportRun.objects.create(
        status=ImportRun.Status.QUEUED,
        source=source,
        input_name=(source.location or source.govkz_agency_slug)[:1000],
        format=source.kind,
        triggered_by=user,
        task_id=_new_task_id(),
    )
    transaction.on_commit(lambda: send_run(run, uploaded=False))
    return run


def _new_task_id() -> str:
    return str(uuid.uuid4())


def send_run(run: ImportRun, *, uploaded: bool) -> bool:
    """Send a queued run's task, an uploaded file's or a source's; if the task queue is down,
    note it on the run and say so."""
    from news.tasks import enqueue, import_uploaded_file, run_import_source

    if uploaded:
        sent = enqueue(import_uploaded_file, (run.pk,), task_id=run.task_id)
    else:
        sent = enqueue(run_import_source, (run.source_id, run.pk), task_id=run.task_id)
    code, message = ("", "") if sent else (QUEUE_UNAVAILABLE, str(QUEUE_UNAVAILABLE_MESSAGE))
    if (run.error_code, run.error_message) != (code, message):
        ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
            error_code=code, error_message=message
        )
        run.error_code, run.error_message = code, message
    return sent


def resend_queued_runs(*, older_than: timedelta) -> int:
    """Send again the runs no worker has started: those the task queue refused, and those
    queued longer than `older_than` (a restarted Redis forgets its queue); `started_at` of a
    queued run is when it was queued. Returns how many were sent."""
    waiting = ImportRun.objects.filter(status=ImportRun.Status.QUEUED).filter(
        Q(error_code=QUEUE_UNAVAILABLE) | Q(started_at__lt=timezone.now() - older_than)
    )
    uploaded = ExpressionWrapper(Q(payload__isnull=False), output_field=BooleanField())
    sent = 0
    for run in waiting.defer("payload").annotate(uploaded=uploaded).order_by("pk"):
        task_id = _new_task_id()
        # Only a run still queued: one a worker claimed meanwhile keeps its task. The clock
        # restarts, so a run waiting behind a long queue is re-sent once per `older_than`.
        if ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
            task_id=task_id, started_at=timezone.now()
        ):
            run.task_id = task_id
            sent += send_run(run, uploaded=run.uploaded)
    return sent


def claim_run(run_id: int, *, task_id: str) -> ImportRun | None:
    """Mark the run running for the task `task_id` and return it; None when another task
    owns it (this message was superseded by a re-send) or it has finished (a re-delivery
    after the work was done)."""
    owned = ImportRun.objects.filter(pk=run_id, task_id=task_id)
    started = owned.filter(status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), error_code="", error_message=""
    )
    if not started and not owned.filter(status=ImportRun.Status.RUNNING).exists():
        return None
    return ImportRun.objects.select_related("source", "triggered_by").get(pk=run_id)


def run_for_task(source: ImportSource, *, task_id: str) -> ImportRun | None:
    """The run of a scheduled source's task (beat queues no run): made by its first delivery,
    resumed by a retry, None when an earlier delivery finished it."""
    run, _created = ImportRun.objects.get_or_create(
        task_id=task_id,
        defaults={
            "source": source,
            "input_name": (source.location or source.govkz_agency_slug)[:1000],
            "format": source.kind,
        },
    )
    return claim_run(run.pk, task_id=task_id)


def fail_task_run(*, task_id: str, message: str) -> None:
    """Close the run of a task that gave up, so it is not shown running forever."""
    ImportRun.objects.filter(
        task_id=task_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(
        status=ImportRun.Status.FAILED,
        finished_at=timezone.now(),
        error_code="task_failed",
        error_message=str(message),
    )


INTERRUPTED_MESSAGE = _("The import was interrupted and did not resume; import it again.")


def close_abandoned_runs(*, older_than: timedelta) -> int:
    """Mark failed the runs still running `older_than` after they started, long after any
    worker could be on them: their task was lost with its worker and its queue."""
    return ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING, started_at__lt=timezone.now() - older_than
    ).update(
        status=ImportRun.Status.FAILED,
        finished_at=timezone.now(),
        error_code="interrupted",
        error_message=str(INTERRUPTED_MESSAGE),
    )
