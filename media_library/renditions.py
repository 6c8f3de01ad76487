"""The sizes a photo is served in, and the first-page picture of a PDF: made by a worker
after the upload (media_library.tasks), never while a page waits.

One decoded picture at a time: the original is downloaded once to a temporary file and
decoded again for each size, a JPEG at the smallest scale that still covers the size
(`Image.draft`), and closed before the size is encoded. Making them again changes nothing:
a rendition made from the same original and focal point is kept as it is.
"""

import shutil
import tempfile
from dataclasses import dataclass

import pypdfium2
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image as PillowImage

from .models import Attachment, Image, Rendition
from .safety import encode, flatten


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int | None = None  # None: the picture's own proportions
    formats: tuple[str, ...] = (Rendition.Format.WEBP, Rendition.Format.JPEG)

    @property
    def cropped(self) -> bool:
        return self.height is not None


# Article widths for `srcset` cover phones (480), the text column (800) and wide or
# high-density screens (1200, 1600). The social card is the 1.91:1 picture Facebook,
# Telegram and X show for a link, as JPEG, which every one of them reads.
SIZES = (
    Size("thumbnail", 240, 240),
    Size("list", 640, 360),
    Size("w480", 480),
    Size("w800", 800),
    Size("w1200", 1200),
    Size("w1600", 1600),
    Size("social", 1200, 630, formats=(Rendition.Format.JPEG,)),
)
# The narrowest article width is made even from a smaller original, so srcset is never empty.
SMALLEST_WIDTH = min(size.width for size in SIZES if not size.cropped)
PIL_FORMATS = {Rendition.Format.WEBP: "WEBP", Rendition.Format.JPEG: "JPEG"}
PREVIEW_WIDTH = 400


def crop_box(
    width: int, height: int, target_width: int, target_height: int, focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of the target's proportions inside a `width`×`height` picture,
    centred on the focal point as far as the edges allow."""
    ratio = target_width / target_height
    if width / height > ratio:
        box_width, box_height = round(height * ratio), height
    else:
        box_width, box_height = width, round(width / ratio)
    left = min(max(round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focal_y * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


def output_size(size: Size, width: int, height: int) -> tuple[int, int] | None:
    """The rendition's pixel size for an original of `width`×`height`; None when a
    width rendition would be an enlargement (the next smaller one serves instead)."""
    if size.cropped:
        left, top, right, bottom = crop_box(width, height, size.width, size.height, 0.5, 0.5)
        scale = min(1.0, size.width / (right - left))
        return max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale))
    if width < size.width and size.width != SMALLEST_WIDTH:
        return None
    scale = min(1.0, size.width / width)
    return max(1, round(width * scale)), max(1, round(height * scale))


def source_of(image: Image, size: Size) -> str:
    """What a rendition is made from: the original, and for crops the focal point."""
    if size.cropped:
        return f"{image.file.name}@{image.focal_x:.4f},{image.focal_y:.4f}"
    return image.file.name


def make_renditions(image_id: int) -> int:
    """Make the image's missing or outdated renditions; returns how many were made."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0  # deleted before the worker came to it
    existing = {(each.size, each.format): each for each in image.renditions.all()}
    todo = [
        size
        for size in SIZES
        if any(
            (found := existing.get((size.name, image_format))) is None
            or found.source != source_of(image, size)
            for image_format in size.formats
        )
    ]
    if not todo:
        return 0
    made = 0
    with tempfile.TemporaryFile() as original:
        with image.file.open("rb") as stored:
            shutil.copyfileobj(stored, original)
        for size in todo:
            original.seek(0)
            made += _make_size(image, size, original, existing)
    return made


def _make_size(image: Image, size: Size, original, existing: dict) -> int:
    with PillowImage.open(original) as source:
        target = output_size(size, *source.size)
        if target is None:
            _drop(existing, size)
            return 0
        if size.cropped:
            full_box = crop_box(*source.size, size.width, size.height, image.focal_x, image.focal_y)
            scale = target[0] / (full_box[2] - full_box[0])
        else:
            scale = target[0] / source.width
        # A JPEG decodes at 1/2, 1/4 or 1/8 scale when that still covers the target.
        source.draft("RGB", (round(source.width * scale), round(source.height * scale)))
        if size.cropped:
            box = crop_box(*source.size, size.width, size.height, image.focal_x, image.focal_y)
            resized = source.resize(target, PillowImage.Resampling.LANCZOS, box=box)
        else:
            resized = source.resize(target, PillowImage.Resampling.LANCZOS)
    made = 0
    try:
        for image_format in size.formats:
            found = existing.get((size.name, image_format))
            if found is not None and found.source == source_of(image, size):
                continue
            picture = resized if image_format == Rendition.Format.WEBP else flatten(resized)
            content = encode(picture, PIL_FORMATS[image_format])
            _store(image, size, image_format, target, content, found)
            made += 1
    finally:
        resized.close()
    return made


def _store(image, size, image_format, target, content, found) -> None:
    name = f"{size.name}.{'jpg' if image_format == Rendition.Format.JPEG else 'webp'}"
    fields = {
        "width": target[0],
        "height": target[1],
        "source": source_of(image, size),
    }
    if found is not None:
        old_file = found.file.name
        found.file.save(name, ContentFile(content), save=False)
        for field, value in fields.items():
            setattr(found, field, value)
        found.save()
        found.file.storage.delete(old_file)
        return
    rendition = Rendition(image=image, size=size.name, format=image_format, **fields)
    rendition.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Another worker made it meanwhile, from the same original: keep theirs.
        rendition.file.storage.delete(rendition.file.name)


def _drop(existing: dict, size: Size) -> None:
    """A width rendition that would now be an enlargement (never, for a stored original,
    unless SIZES changed) goes, file and row."""
    for image_format in size.formats:
        found = existing.get((size.name, image_format))
        if found is not None:
            found.file.storage.delete(found.file.name)
            found.delete()


def make_document_preview(attachment_id: int) -> bool:
    """Draw a PDF attachment's first page as a WebP picture; False when there is nothing
    to do (not a PDF, drawn already, or deleted)."""
    attachment = Attachment.objects.filter(pk=attachment_id, kind=Attachment.Kind.PDF).first()
    if attachment is None or attachment.preview:
        return False
    with attachment.file.open("rb") as stored:
        document = pypdfium2.PdfDocument(stored.read())
    try:
        page = document[0]
        bitmap = page.render(scale=PREVIEW_WIDTH / page.get_width())
        picture = bitmap.to_pil()
        page.close()
    finally:
        document.close()
    try:
        content = encode(picture, "WEBP")
    finally:
        picture.close()
    attachment.preview.save("preview.webp", ContentFile(content), save=False)
    updated = Attachment.objects.filter(pk=attachment.pk, preview="").update(
        preview=attachment.preview.name
    )
    if not updated:  # drawn by another worker meanwhile
        attachment.preview.storage.delete(attachment.preview.name)
    return bool(updated)
