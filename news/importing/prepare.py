"""One clean release resolved against the database's agencies and regions: what is saved.

Reference data is read once per import (`ImportContext`); resolving a release then touches
no database, and an agency new to Pressroom is only proposed here: `articles` creates it
once deduplication has shown the release is new.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import strip_tags

from agencies.models import Agency, Region
from news.flags import Flag
from news.models import ImportRun
from news.validators import fit_tag, is_web_address

from . import dedup, resolve
from .normalize import parse_govkz_url
from .records import CleanRelease

GOVKZ_SOURCE_KEY = "govkz"


@dataclass
class ImportOptions:
    default_agency: Agency | None = None
    language: str = ""
    dry_run: bool = False
    limit: int | None = None
    source_name: str = ""


class ImportContext:
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
        self.seen: set[tuple] = set()
        # Slugs of agencies new to Pressroom, proposed here, created by `articles`.
        self.new_agencies: set[str] = set()
        # Who started the run: the releases it brings in are theirs for the four-eyes rule.
        self.importer = run.triggered_by if run is not None else None
        # Hosts whose photos did not answer in this run: `lead_photos` tries them no more.
        self.silent_photo_hosts: set[str] = set()


def _agency_ref(agency: Agency) -> "resolve.AgencyRef":
    return resolve.AgencyRef(
        slug=agency.slug,
        kind=agency.kind,
        name_en=agency.name_en,
        name_ru=agency.name_ru,
        name_kk=agency.name_kk,
        region_iso=agency.region.iso_code if agency.region_id and agency.region else None,
    )


def _source_identity(clean: CleanRelease) -> tuple[str, str]:
    """(source key, external id) within which the id is unique; gov.kz ids span the portal."""
    if not clean.external_id:
        return "", ""
    if parse_govkz_url(clean.source_url):
        return GOVKZ_SOURCE_KEY, clean.external_id
    host = urlsplit(clean.source_url).hostname or ""
    return (f"url:{host}" if host else "input"), clean.external_id


def _resolve(
    clean: CleanRelease, context: ImportContext
) -> tuple[Agency | None, Region | None, dict]:
    flags: dict[str, dict] = {}
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
        flags[Flag.AGENCY_UNRESOLVED] = {"new_agency": found.slug}
    elif context.options.default_agency:
        agency = context.options.default_agency
    else:
        flags[Flag.AGENCY_UNRESOLVED] = {}

    region_found = resolve.resolve_region(
        agency=context.reference.agencies.get(agency.slug) if agency else None,
        agency_slug=agency.slug if agency else None,
        text=text,
        reference=context.reference,
    )
    region = context.regions.get(region_found.iso_code) if region_found.iso_code else None
    if region is None:
        flags[Flag.REGION_UNRESOLVED] = {}
    elif region_found.guessed:
        flags[Flag.REGION_GUESSED] = {
            "region_iso": region.iso_code,
            "region": {"en": region.name_en, "ru": region.name_ru, "kk": region.name_kk},
        }
    return agency, region, flags


def _new_agency(slug: str, context: ImportContext) -> Agency:
    """An agency new to Pressroom, not saved: `articles` creates it with the first release
    of it that deduplication finds new, so a duplicate release creates nothing."""
    region_iso = resolve.region_from_slug(slug, context.reference)
    agency = Agency(
        slug=slug,
        name_en=slug,
        is_active=False,
        needs_review=True,
        region=context.regions.get(region_iso) if region_iso else None,
        website=f"https://www.gov.kz/memleket/entities/{slug}/",
    )
    context.agencies[slug] = agency
    context.new_agencies.add(slug)
    context.reference = context.reference.with_agency(_agency_ref(agency))
    return agency


def _language(clean: CleanRelease, options: ImportOptions, flags: dict) -> str:
    if options.language:
        return options.language
    if clean.language in ("kk", "ru", "en"):
        return clean.language
    flags[Flag.LANGUAGE_UNDETERMINED] = {}
    return settings.LANGUAGE_CODE[:2]


@dataclass
class PreparedRelease:
    """A clean release resolved against the database, ready to be looked up and saved."""

    clean: CleanRelease
    agency: Agency | None
    region: Region | None
    flags: dict[str, dict]
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


def prepare_release(clean: CleanRelease, context: ImportContext) -> PreparedRelease:
    """Resolve agency, region and language, and compute what deduplication compares."""
    agency, region, flags = _resolve(clean, context)
    for code in clean.flags:
        flags.setdefault(code, {})
    if Flag.BODY_TRUNCATED in flags and context.run is not None:
        flags[Flag.BODY_TRUNCATED] = {"run": context.run.pk, "item": clean.item}
    source_url, sources, tags, left_out = _usable_links_and_tags(clean)
    warnings = {"warnings": _parser_warnings(clean), **left_out}
    if any(warnings.values()):
        flags[Flag.IMPORT_WARNING] = {key: value for key, value in warnings.items() if value}
    if Flag.LANGUAGE_MISMATCH in flags:
        flags[Flag.LANGUAGE_MISMATCH] = {
            "title_language": clean.title_language or "?",
            "body_language": clean.body_language or "?",
        }
    language = _language(clean, context.options, flags)
    source_key, external_id = _source_identity(clean)
    body = clean.body_html
    return PreparedRelease(
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


def _usable_links_and_tags(clean: CleanRelease) -> tuple[str, list[str], list[str], dict]:
    """(source URL, sources, tags, what was left out): only web addresses as sources, and
    tags shortened to what taggit can store (news.validators), as Article's fields require."""
    sources = [url for url in clean.sources if is_web_address(url)]
    left_out = [url[:80] for url in clean.sources if url not in sources]
    source_url = clean.source_url if clean.source_url in sources else next(iter(sources), "")
    tags, shortened = [], []
    for tag in clean.tags:
        fitted = fit_tag(tag)
        if fitted != tag:
            shortened.append(tag[:80])
        if fitted and fitted not in tags:
            tags.append(fitted)
    return source_url, sources, tags, {"sources_left_out": left_out, "tags_shortened": shortened}


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
