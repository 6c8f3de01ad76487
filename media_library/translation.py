"""A release's photos and files in its machine translation: the new language version uses
the same media, and their alt text, captions and titles are translated by the same engine
where that language has none yet. What a person wrote is never replaced.

news.translation sends `machine_translated` once the version is committed; this app's task
does the rest, so the release's translation never waits for its media.
"""

from django.db import transaction

from news import queue
from news.models import Article
from news.translation import terms as terminology
from news.translation.engines import get_engine

from .models import ArticleAttachment, Attachment, GalleryImage, Image, LeadImage

TASK = "media_library.tasks.translate_media"


def on_machine_translation(sender, *, original: Article, translation: Article, **kwargs):
    """Receiver of news.signals.machine_translated: queue the media's translation."""
    queue.enqueue(TASK, (original.pk, translation.pk))


@transaction.atomic
def carry_over(original: Article, translation: Article) -> None:
    """The original's lead photo, gallery and files, for a version that has none of them."""
    if LeadImage.objects.filter(article=translation).exists() or translation.gallery.exists():
        return
    if translation.attachments.exists():
        return
    lead = LeadImage.objects.filter(article=original).first()
    if lead is not None:
        LeadImage.objects.create(article=translation, image_id=lead.image_id)
    GalleryImage.objects.bulk_create(
        GalleryImage(article=translation, image_id=each.image_id, position=each.position)
        for each in original.gallery.all()
    )
    ArticleAttachment.objects.bulk_create(
        ArticleAttachment(
            article=translation, attachment_id=each.attachment_id, position=each.position
        )
        for each in original.attachments.all()
    )


def translate_media(original_id: int, translation_id: int) -> int:
    """Carry the original's media over to its translation and fill in their text in the
    translation's language from the original's; returns how many texts were translated.
    Raises news.translation.errors.TranslationError when the engine fails."""
    original = Article.objects.select_related("agency").filter(pk=original_id).first()
    translation = Article.objects.filter(pk=translation_id).first()
    if original is None or translation is None:
        return 0
    carry_over(original, translation)
    source, target = original.language, translation.language
    images = Image.objects.filter(pk__in=_image_ids(translation))
    attachments = Attachment.objects.filter(used_by__article=translation)
    # (object, field to fill, text to translate), only where the target has no text yet.
    todo = [
        (image, f"{prefix}_{target}", getattr(image, f"{prefix}_{source}"))
        for image in images
        for prefix in ("alt", "caption")
        if getattr(image, f"{prefix}_{source}") and not getattr(image, f"{prefix}_{target}")
    ] + [
        (attachment, f"title_{target}", getattr(attachment, f"title_{source}"))
        for attachment in attachments
        if getattr(attachment, f"title_{source}") and not getattr(attachment, f"title_{target}")
    ]
    engine = get_engine()
    if not todo or engine is None:
        return 0
    with engine:
        if not engine.supports(source, target):
            return 0
        translated = engine.translate(
            [text for _obj, _field, text in todo],
            source=source,
            target=target,
            terms=terminology.terms_for(source, target, original.agency),
        )
    for (obj, field, _text), text in zip(todo, translated, strict=True):
        limit = obj._meta.get_field(field).max_length
        # A conditional update: a person's text written meanwhile stays.
        type(obj).objects.filter(pk=obj.pk, **{field: ""}).update(
            **{field: text[:limit] if limit else text}
        )
    return len(todo)


def _image_ids(article: Article) -> set[int]:
    lead = LeadImage.objects.filter(article=article).values_list("image_id", flat=True)
    return {*lead, *article.gallery.values_list("image_id", flat=True)}
