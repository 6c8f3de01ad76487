"""Who may reach a photo or a file: the embargo of a release holds for what it uses.

A file is public once a published release uses it (as its lead photo, in its gallery, or
attached), and not before: a scheduled release's photos appear at its publication time,
and an unpublished release takes them back. Until then only staff who may see the file in
the admin get it. Its address holds a random key besides, so it cannot be guessed.
"""

from django.db.models import Exists, OuterRef, Q

from news import workflow
from news.models import Article

from .models import ArticleAttachment, Attachment, GalleryImage, Image, LeadImage


def public_images():
    """The images some published release uses."""
    published = Article.objects.published()
    return Image.objects.filter(
        Q(Exists(LeadImage.objects.filter(image=OuterRef("pk"), article__in=published)))
        | Q(Exists(GalleryImage.objects.filter(image=OuterRef("pk"), article__in=published)))
    )


def public_attachments():
    """The files some published release has attached."""
    published = Article.objects.published()
    return Attachment.objects.filter(
        Exists(ArticleAttachment.objects.filter(attachment=OuterRef("pk"), article__in=published))
    )


def media_visible_to(user, queryset):
    """The media library as the user sees it in the admin: every agency's for editors, their
    own agencies' for press officers, the same scope as articles."""
    return workflow.owned_by_agencies_of(user, queryset)


def may_see_in_admin(user, asset) -> bool:
    opts = asset._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        and media_visible_to(user, type(asset).objects.filter(pk=asset.pk)).exists()
    )


def is_public(asset) -> bool:
    found = public_images() if isinstance(asset, Image) else public_attachments()
    return found.filter(pk=asset.pk).exists()
