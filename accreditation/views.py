"""A journalist's personal link: the embargoed release as the public page shows it, and its
photos and files through addresses derived from the same token.

Every answer is private and unindexed, and these views are not wrapped in the public page
cache (public.cache caches only the views that opt in). A token that is not ours is a 404,
one revoked, expired, withdrawn or moved a 410: neither says anything of the release.
"""

import ipaddress

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from config.security import client_ip_behind_proxy
from media_library import views as media_views
from media_library.models import (
    ArticleAttachment,
    GalleryImage,
    LeadImage,
    lead_photo_of,
)
from news.models import Article
from public import selectors

from . import links
from .models import LinkOpening

Verdict = links.Verdict
USER_AGENT_LENGTH = LinkOpening._meta.get_field("user_agent").max_length


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leave in a Referer
    return response


def _refusal(request, verdict: Verdict):
    status = 410 if verdict is Verdict.GONE else 404
    template = "accreditation/link_gone.html" if status == 410 else "404.html"
    return _private(render(request, template, status=status))


def client_address(request) -> str | None:
    address = (
        client_ip_behind_proxy(request)
        if settings.BEHIND_TLS_PROXY
        else request.META.get("REMOTE_ADDR")
    )
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def _log(request, link: links.Link, kind: str) -> None:
    LinkOpening.objects.create(
        accreditation=link.accreditation,
        article=link.article,
        kind=kind,
        opened_at=timezone.now(),
        client_address=client_address(request),
        # PostgreSQL refuses a NUL in text, which a client may put in any header.
        user_agent=request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:USER_AGENT_LENGTH],
    )


def _public_page(link: links.Link) -> HttpResponseRedirect:
    """The release's public page, in the version the journalist received if it is public."""
    version_public = Article.objects.published().filter(pk=link.version.pk).exists()
    return HttpResponseRedirect(
        selectors.canonical_path(link.version if version_public else link.article)
    )


@require_safe
def preview(request, token):
    link = links.resolve(token)
    if link.verdict is Verdict.PUBLIC:
        _log(request, link, LinkOpening.Kind.PAGE)
        return _private(_public_page(link))
    if link.verdict is not Verdict.EMBARGOED:
        return _refusal(request, link.verdict)
    _log(request, link, LinkOpening.Kind.PAGE)
    version = link.version
    # What the public page prefetches: a long gallery or many files cost no more queries.
    prefetch_related_objects([version], "tags", *selectors.RELEASE_MEDIA)
    lead_photo = lead_photo_of(version)
    gallery = [item.image for item in version.gallery.all()]
    attachments = [item.attachment for item in version.attachments.all()]
    response = render(
        request,
        "public/article_detail.html",
        {
            "article": version,
            "lead_photo": lead_photo,
            "gallery": gallery,
            "attachments": attachments,
            "preview": False,
            "embargo_until": link.article.publish_at,
            "language_versions": {version.language: version},
            "related": [],
            "canonical_path": selectors.canonical_path(version),
        },
    )
    response.content = _through_the_link(
        response.content.decode(), token, [lead_photo, *gallery], attachments
    ).encode()
    return _private(response)


def _through_the_link(html: str, token: str, images, attachments) -> str:
    """The page with its photos and files addressed through the token.

    Only this release's own media are rewritten (by their keys): the public addresses
    would be 404 until the embargo lifts, and a link in the body to another release's
    public file keeps working as it is.
    """
    for route, assets in (("image", images), ("attachment", attachments)):
        for asset in assets:
            if asset is None:
                continue
            public = reverse(f"media_library:{route}_file", kwargs={"key": asset.key, "name": "-"})
            html = html.replace(public[:-1], links.media_prefix(token, route, asset.key))
    return html


def _media(request, token, key, name, *, kind: str):
    link = links.resolve(token)
    if link.verdict is Verdict.PUBLIC:
        # Public now: the public address serves it, and is cached like any public file.
        _log(request, link, kind)
        route = "image" if kind == LinkOpening.Kind.IMAGE else "attachment"
        return _private(
            HttpResponseRedirect(
                reverse(f"media_library:{route}_file", kwargs={"key": key, "name": name})
            )
        )
    if link.verdict is not Verdict.EMBARGOED:
        return _refusal(request, link.verdict)
    version = link.version
    if kind == LinkOpening.Kind.IMAGE:
        use = (
            LeadImage.objects.filter(article=version, image__key=key)
            .select_related("image")
            .first()
            or GalleryImage.objects.filter(article=version, image__key=key)
            .select_related("image")
            .first()
        )
        if use is None:
            return _refusal(request, Verdict.INVALID)
        response = media_views.image_response(use.image, name, public=False)
        _log(request, link, kind)  # once a file is served: a wrong name is a 404, not an opening
        return _private(response)
    use = (
        ArticleAttachment.objects.filter(article=version, attachment__key=key)
        .select_related("attachment")
        .first()
    )
    if use is None:
        return _refusal(request, Verdict.INVALID)
    response = media_views.attachment_response(use.attachment, name, public=False)
    _log(request, link, kind)
    return _private(response)


@require_safe
def image(request, token, key, name):
    return _media(request, token, key, name, kind=LinkOpening.Kind.IMAGE)


@require_safe
def attachment(request, token, key, name):
    return _media(request, token, key, name, kind=LinkOpening.Kind.ATTACHMENT)
