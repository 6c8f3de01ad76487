"""Personal links: a signed token per journalist and release, good until the embargo.

The token names the accreditation, the release, the language version sent and the embargo
time it was sent under; its signature makes it unforgeable, and every use reads the
accreditation and the release again, so deactivating a journalist, the end of their
accreditation, a withdrawal or a new time take effect at once.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from news.models import Article

from .models import Accreditation

SALT = "accreditation.embargo-link"


class Verdict(Enum):
    EMBARGOED = "embargoed"  # the preview may be shown
    PUBLIC = "public"  # the embargo is over and the release is public: go to its page
    GONE = "gone"  # revoked, expired, withdrawn or moved: 410
    INVALID = "invalid"  # not a token of ours: 404


@dataclass(frozen=True)
class Link:
    verdict: Verdict
    accreditation: Accreditation | None = None
    article: Article | None = None  # the scheduled release
    version: Article | None = None  # the language version the journalist received


def make_token(accreditation: Accreditation, article: Article, version: Article) -> str:
    payload = {
        "a": accreditation.pk,
        "r": article.pk,
        "v": version.pk,
        "t": int(article.publish_at.timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=False)


def preview_path(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("accreditation:preview", kwargs={"token": token})


def media_prefix(token: str, route: str, key, language: str | None = None) -> str:
    """Where the link serves a photo (`route` "image") or a file ("attachment") of the
    release: the address up to the file's name."""
    with translation.override(language or translation.get_language()):
        address = reverse(
            f"accreditation:{route}", kwargs={"token": token, "key": key, "name": "-"}
        )
    return address[:-1]


def resolve(token: str, now: datetime | None = None) -> Link:
    """What a token opens now; never raises on bad input."""
    try:
        payload = signing.loads(token, salt=SALT)
        ids = (int(payload["a"]), int(payload["r"]), int(payload["v"]), int(payload["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Link(Verdict.INVALID)
    accreditation_id, article_id, version_id, embargo = ids
    accreditation = Accreditation.objects.filter(pk=accreditation_id).first()
    versions = {
        found.pk: found
        for found in Article.objects.select_related(
            "agency", "region__parent", "translation_record", "lead_image__image"
        ).filter(pk__in={article_id, version_id})
    }
    article, version = versions.get(article_id), versions.get(version_id)
    if accreditation is None or article is None or version is None:
        return Link(Verdict.INVALID)
    if version.translation_group != article.translation_group:
        return Link(Verdict.INVALID)
    if not accreditation.is_current():
        return Link(Verdict.GONE, accreditation, article, version)
    now = now or timezone.now()
    if Article.objects.published(now).filter(pk=article.pk).exists():
        return Link(Verdict.PUBLIC, accreditation, article, version)
    sent_under = article.publish_at and int(article.publish_at.timestamp())
    if article.status != Article.Status.SCHEDULED or sent_under != embargo:
        return Link(Verdict.GONE, accreditation, article, version)
    return Link(Verdict.EMBARGOED, accreditation, article, version)
