"""Writing one input's releases as articles: new ones in bulk, a known one updated or kept.

Called by `saving` inside its transactions; nothing here decides what is new (saving's
chunk lookups do) except `import_release`, which looks one release up on its own.
"""

from collections.abc import Iterable

from django.utils import timezone

from agencies.models import Agency
from news import workflow
from news.flags import Flag
from news.models import Article, ArticleFlag, ImportItem
from news.slugs import unique_slugs
from news.translation import group
from news.translation import service as translation_service

from . import dedup
from .prepare import ImportContext, PreparedRelease
from .records import CleanRelease

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _existing(release: "PreparedRelease") -> Article | None:
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


def record_item(context: ImportContext, item: str, raw: str, *, outcome, code, message, **extra):
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


def import_release(
    release: PreparedRelease, context: ImportContext
) -> tuple[str, bool, Article | None]:
    """Deduplicate and save one release on its own; returns (created|updated|unchanged,
    flagged, the article written or None when none was).

    The caller runs it in a savepoint, so a failure leaves nothing of this release behind.
    """
    existing = _existing(release)
    if existing is not None:
        outcome, flagged = _import_again(existing, release, context)
        written = outcome == UPDATED and not context.options.dry_run
        return outcome, flagged, existing if written else None
    if (
        release.external_id
        and Article.objects.filter(content_fingerprint=release.fingerprint).exists()
    ):
        release.flags[Flag.DUPLICATE_SUSPECT] = {}
    if context.options.dry_run:
        return CREATED, bool(release.flags), None
    [article] = create_articles([release], context)
    return CREATED, bool(release.flags), article


def create_articles(releases: list[PreparedRelease], context: ImportContext) -> list[Article]:
    """Insert new articles with their history, tags, flags and first workflow step."""
    _create_new_agencies(releases, context)
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
        ArticleFlag(article=article, code=code, details=details)
        for release, article in zip(releases, articles, strict=True)
        for code, details in release.flags.items()
    )
    _keep_whole_texts(zip(releases, articles, strict=True), context)
    workflow.file_imported_articles(
        articles=articles,
        # The step's label says "Imported" in the reader's language; the comment names where from.
        comment=context.options.source_name,
        importer=context.importer,
        run=context.run,
    )
    translation_service.queue_imported_articles(articles)
    return articles


def _create_new_agencies(releases: list[PreparedRelease], context: ImportContext) -> None:
    """Create the agencies new to Pressroom that these new releases name, inactive for
    review. Asked by slug each time, so one rolled back with a refused release is made again
    by the next release that names it."""
    for release in releases:
        proposed = release.agency
        if proposed is None or proposed.slug not in context.new_agencies:
            continue
        agency, _ = Agency.objects.get_or_create(
            slug=proposed.slug,
            defaults={
                field: getattr(proposed, field)
                for field in ("name_en", "is_active", "needs_review", "region", "website")
            },
        )
        release.agency = context.agencies[agency.slug] = agency


def _keep_whole_texts(
    saved: Iterable[tuple[PreparedRelease, Article]], context: ImportContext
) -> None:
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


def _import_again(
    existing: Article, release: PreparedRelease, context: ImportContext
) -> tuple[str, bool]:
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
            record_item(
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
                defaults={"details": {}},
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
            article=existing,
            comment=existing._change_reason,
            importer=context.importer,
            run=context.run,
        )
        group.record_edit(
            article=existing,
            changed_fields=["title", "body", "sources", "source_url"],
            user=None,
            reason=existing._change_reason,
        )
        if Flag.BODY_TRUNCATED in release.flags:
            ArticleFlag.objects.update_or_create(
                article=existing,
                code=Flag.BODY_TRUNCATED,
                defaults={"details": release.flags[Flag.BODY_TRUNCATED]},
            )
            _keep_whole_texts([(release, existing)], context)
    return UPDATED, Flag.BODY_TRUNCATED in release.flags


def _sources_locked(existing: Article, clean: CleanRelease) -> bool:
    """Whether the new sources would have to reach a language version of the release that
    an import may no longer change (approved, published...): then an editor decides."""
    values = group.shared_values(existing) | {
        "sources": clean.sources,
        "source_url": clean.source_url[:1000],
    }
    return group.sync_refusal(article=existing, values=values, user=None) is not None
