"""The lead photo of an imported release: fetched after the release is committed, checked by
media_library.safety, stored in the media library for the release's agency, and made the
article's lead photo when it has none.

It runs after each chunk of an import commits, one release at a time: no transaction stays
open while a photo downloads, and releases saved in bulk and those saved alone get their
photos the same way. A photo that cannot be imported is recorded on the run as a
`PHOTO_FAILED` item; the release stays imported. Only releases this run created or updated
are asked for their photo, so a re-run of an unchanged input fetches nothing.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation

from media_library import safety, services
from media_library.models import LeadImage
from news.models import Article, ImportItem

from .articles import record_item
from .http import FetchError, HttpFetcher
from .prepare import ImportContext, PreparedRelease

logger = logging.getLogger(__name__)

# A photo is worth one retry of a passing failure, and shorter waits than a source's: the
# run waits for it, and the release is imported without it anyway.
PHOTO_ATTEMPTS = 2
PHOTO_CONNECT_TIMEOUT = 5.0
PHOTO_READ_TIMEOUT = 15.0
PHOTO_TOTAL_TIMEOUT = 60.0
# Fetch failures by what an editor can do about them; the fetcher's message says the rest.
_FETCH_CODES = {"forbidden_address": "photo_forbidden_address", "too_large": "photo_too_large"}


@dataclass(frozen=True, slots=True)
class WantedPhoto:
    """The photo a saved release offered, and what to record if it cannot be imported."""

    article_id: int
    url: str
    item: str
    raw: str


def wanted(release: PreparedRelease, article: Article | None) -> WantedPhoto | None:
    """The photo to fetch for a release just saved as `article`: the first it offered."""
    if article is None or not release.clean.image_urls:
        return None
    return WantedPhoto(
        article.pk, release.clean.image_urls[0], release.clean.item, release.clean.raw
    )


def photo_fetcher() -> HttpFetcher:
    """The import sources' fetcher rules (public addresses, or the networks the operator
    allowed; timeouts) with the media library's size limit for a photo."""
    return HttpFetcher(
        allowed_networks=settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS,
        max_bytes=settings.PRESSROOM_MEDIA_MAX_IMAGE_BYTES,
        max_attempts=PHOTO_ATTEMPTS,
        connect_timeout=PHOTO_CONNECT_TIMEOUT,
        read_timeout=PHOTO_READ_TIMEOUT,
        total_timeout=PHOTO_TOTAL_TIMEOUT,
    )


def add_lead_photos(photos: list[WantedPhoto], context: ImportContext) -> None:
    """Import the photos of releases a committed chunk saved, outside any transaction."""
    if not photos or context.options.dry_run or not settings.PRESSROOM_IMPORT_PHOTOS:
        return
    with photo_fetcher() as fetcher:
        for photo in photos:
            add_lead_photo(photo, context, fetcher)


def add_lead_photo(photo: WantedPhoto, context: ImportContext, fetcher: HttpFetcher) -> None:
    article = Article.objects.select_related("agency").filter(pk=photo.article_id).first()
    if article is None or LeadImage.objects.filter(article=article).exists():
        return
    if article.agency is None:
        # A photo belongs to an agency's library; which one is for the editor to say.
        _failed(
            context, photo, article, code="photo_no_agency",
            message=f"The release has no agency, so its photo {photo.url} was not stored; "
            "add it once the agency is chosen.",
        )  # fmt: skip
        return
    image = services.imported_image(agency=article.agency, source_url=photo.url)
    host = urlsplit(photo.url).hostname
    if image is None and host in context.silent_photo_hosts:
        # A run with a hundred photos on a host that hangs would otherwise wait out every
        # one's timeouts, past the import task's time limit.
        _failed(
            context, photo, article, code="photo_unreachable",
            message=f"The photo at {photo.url} was not fetched: its server did not answer "
            "earlier in this import.",
        )  # fmt: skip
        return
    if image is None:
        try:
            response = fetcher.get_bytes(photo.url, headers={"Accept": "image/*"})
            checked = safety.check_image(response.content)
        except FetchError as error:
            if error.code in ("timeout", "connection"):
                context.silent_photo_hosts.add(host)
            code = _FETCH_CODES.get(error.code, "photo_unreachable")
            message = f"The photo was not imported: {error.message}"
            _failed(context, photo, article, code=code, message=message)
            return
        except safety.UnsafeFile as error:
            with translation.override("en"):  # stored in English, as the fetcher's are
                reason = str(error.message)
            _failed(
                context, photo, article, code="photo_refused",
                message=f"The photo at {photo.url} was not imported: {reason}",
            )  # fmt: skip
            return
        try:
            image = services.save_imported_image(
                checked,
                agency=article.agency,
                source_url=photo.url,
                language=article.language,
                alt=article.title,
            )
        except OSError:
            # The media storage (a folder, a bucket) refused the file: the release stays, and
            # the next releases' photos are still tried.
            logger.exception("Could not store the photo of %s", photo.item)
            _failed(
                context, photo, article, code="photo_not_stored",
                message=f"The photo at {photo.url} could not be stored in the media library.",
            )  # fmt: skip
            return
    services.set_imported_lead_image(article, image)


def _failed(context, photo: WantedPhoto, article: Article, *, code: str, message: str) -> None:
    record_item(
        context, photo.item, photo.raw,
        outcome=ImportItem.Outcome.PHOTO_FAILED, code=code, message=message, article=article,
    )  # fmt: skip
