"""Uploading photos and files: the one way they enter the media library, checked by
media_library.safety, owned by an agency the uploader writes for (or, for a photo an import
fetched, the release's agency), with their renditions or first-page picture queued for a
worker once the upload is committed."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from news import queue, workflow
from news.flags import Flag
from news.models import ArticleFlag
from news.signals import rows_changed

from . import access, safety
from .models import Attachment, Image, LeadImage, Licence

RENDITIONS_TASK = "media_library.tasks.make_renditions"
PREVIEW_TASK = "media_library.tasks.make_document_preview"


def may_keep_metadata(user) -> bool:
    """Camera metadata can say where a person was: only editors decide to keep it."""
    return workflow.is_editor(user)


def check_agency(user, agency) -> None:
    if not workflow.agencies_writable_by(user).filter(pk=agency.pk).exists():
        raise workflow.WorkflowError(
            _("You can only upload media for your own agencies."), code="agency_scope"
        )


@transaction.atomic
def save_image(image: Image, checked: safety.CheckedImage, *, user) -> Image:
    """Store a new photo that media_library.safety checked, uploaded by `user`."""
    check_agency(user, image.agency)
    if image.keep_metadata and not may_keep_metadata(user):
        raise workflow.WorkflowError(
            _("Only editors may keep a photo's camera metadata."), code="keep_metadata"
        )
    image.uploaded_by = user
    image.width, image.height = checked.width, checked.height
    image.file.save(f"upload{checked.suffix}", ContentFile(checked.content), save=False)
    image.save()
    request_renditions(image)
    return image


def upload_image(*, data: bytes, user, keep_metadata: bool = False, **fields) -> Image:
    """Check and store the bytes of a photo; raises safety.UnsafeFile or WorkflowError."""
    checked = safety.check_image(data, keep_metadata=keep_metadata)
    return save_image(Image(keep_metadata=keep_metadata, **fields), checked, user=user)


def imported_image(*, agency, source_url: str) -> Image | None:
    """The photo an import already stored for `agency` from `source_url`, if any."""
    return Image.objects.filter(agency=agency, source_url=source_url).first()


def save_imported_image(
    checked: safety.CheckedImage, *, agency, source_url: str, language: str, alt: str
) -> Image:
    """Store a photo an import fetched from `source_url` for `agency`: no uploading user, the
    agency's own photo (it came with the agency's release), `alt` in `language` as its only
    description until an editor writes one. The address is kept, so the agency's next
    import finds the photo here instead of storing it again."""
    image = Image(
        agency=agency,
        source_url=source_url,
        licence=Licence.OWN,
        width=checked.width,
        height=checked.height,
        **{f"alt_{language}": alt[: Image._meta.get_field(f"alt_{language}").max_length]},
    )
    image.file.save(f"import{checked.suffix}", ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:
        # Another import stored it meanwhile (one per agency and address): use that one.
        image.file.delete(save=False)
        return Image.objects.get(agency=agency, source_url=source_url)
    request_renditions(image)
    return image


@transaction.atomic
def set_imported_lead_image(article, image: Image) -> bool:
    """Make `image` the lead photo of a release an import brought in, unless it has one;
    flagged, as its alt text is only the release's title. True when it was set."""
    _, created = LeadImage.objects.get_or_create(article=article, defaults={"image": image})
    if created:
        ArticleFlag.objects.get_or_create(article=article, code=Flag.IMPORTED_PHOTO)
        transaction.on_commit(lambda: article_media_changed(article))
    return created


def request_renditions(image: Image) -> None:
    """Queue the image's renditions once this transaction commits: a page never waits for
    them, and shows the original meanwhile. With the task queue down they wait until
    someone asks again (the list's "Make renditions" action)."""
    transaction.on_commit(lambda: queue.enqueue(RENDITIONS_TASK, (image.pk,)))


@transaction.atomic
def save_attachment(
    attachment: Attachment, checked: safety.CheckedDocument, data: bytes, *, user
) -> Attachment:
    """Store a new document that media_library.safety checked, uploaded by `user`."""
    check_agency(user, attachment.agency)
    attachment.uploaded_by = user
    attachment.kind, attachment.size = checked.kind, checked.size
    attachment.page_count = checked.page_count
    attachment.file.save(f"upload.{checked.kind}", ContentFile(data), save=False)
    attachment.save()
    if attachment.kind == Attachment.Kind.PDF:
        transaction.on_commit(lambda: queue.enqueue(PREVIEW_TASK, (attachment.pk,)))
    return attachment


def upload_document(*, data: bytes, user, **fields) -> Attachment:
    """Check and store the bytes of a document; raises safety.UnsafeFile or WorkflowError."""
    checked = safety.check_document(data)
    return save_attachment(Attachment(**fields), checked, data, user=user)


def article_media_changed(article) -> None:
    """A release's photos or files changed: what shows it (the public page cache) drops it."""
    rows_changed.send(sender=type(article))


def delete_media(assets) -> None:
    """Delete photos or documents no release uses (PROTECT refuses the others) with their
    renditions, and their stored files once the deletion is committed: Django leaves a
    deleted row's files in the storage."""
    with transaction.atomic():
        names = []
        for asset in assets:
            names.append(asset.file.name)
            if isinstance(asset, Image):
                names += [each.file.name for each in asset.renditions.all()]
            elif asset.preview:
                names.append(asset.preview.name)
            asset.delete()
    storage = default_storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])


@transaction.atomic
def describe_photos(*, user, language: str, descriptions: dict[Image, tuple[str, str]]) -> None:
    """Save a person's alt text and captions of photos in `language` (a translator's, on
    the side-by-side page); an empty text leaves that description as it is. Refused with
    WorkflowError, nothing saved, when a photo is not in the user's library."""
    images = Image.objects.filter(pk__in=[image.pk for image in descriptions])
    allowed = set(access.media_visible_to(user, images).values_list("pk", flat=True))
    if any(image.pk not in allowed for image in descriptions):
        raise workflow.WorkflowError(
            _("You can only describe photos of your own agencies."), code="agency_scope"
        )
    for image, (alt, caption) in descriptions.items():
        texts = {f"alt_{language}": alt, f"caption_{language}": caption}
        changed = [field for field, text in texts.items() if text and text != getattr(image, field)]
        for field in changed:
            setattr(image, field, texts[field])
        if changed:
            image.save(update_fields=changed)
