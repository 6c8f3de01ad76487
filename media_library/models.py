"""Photos and files of releases, their renditions, and which release uses which.

Files are stored under random names (`stored_name`) and reached only through
media_library.views, which serves a file once a published release uses it (or to staff who
may see it in the admin): see media_library.access.
"""

import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, localized
from news.models import Article

# The suffixes media_library.safety gives checked files; anything else is stored bare.
STORED_SUFFIXES = frozenset({".jpg", ".png", ".webp", ".pdf", ".docx", ".xlsx", ".odt"})


def stored_name(folder: str, filename: str) -> str:
    """A name that ignores the uploader's: 128 random bits in `folder`, and the suffix
    media_library.safety chose from the content."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{folder}/{secrets.token_hex(16)}{suffix if suffix in STORED_SUFFIXES else ''}"


# upload_to functions by name: migrations refer to them by import path.
def upload_image(instance, filename):
    return stored_name("images", filename)


def upload_rendition(instance, filename):
    return stored_name("renditions", filename)


def upload_document(instance, filename):
    return stored_name("documents", filename)


def upload_preview(instance, filename):
    return stored_name("previews", filename)


class Licence(models.TextChoices):
    OWN = "own", _("the agency's own photo")
    PERMISSION = "permission", _("used with the author's permission")
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC0 = "cc0", _("CC0 (public domain)")


class Image(models.Model):
    """A photo an agency uploaded; its stored original has EXIF and GPS data removed unless
    an editor chose to keep them."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=upload_image, max_length=200)
    alt_kk = models.CharField(_("alt text (Kazakh)"), max_length=300, blank=True)
    alt_ru = models.CharField(_("alt text (Russian)"), max_length=300, blank=True)
    alt_en = models.CharField(_("alt text (English)"), max_length=300, blank=True)
    caption_kk = models.TextField(_("caption (Kazakh)"), blank=True)
    caption_ru = models.TextField(_("caption (Russian)"), blank=True)
    caption_en = models.TextField(_("caption (English)"), blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("The photographer or source, as it should be printed."),
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right: crops keep this point in the picture."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="images"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    source_url = models.URLField(
        _("imported from"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text=_("The address an import fetched the photo from; empty for an upload."),
    )
    keep_metadata = models.BooleanField(
        _("keep camera metadata"),
        default=False,
        help_text=_(
            "Keep the photo's EXIF data (camera, time, GPS position) in the original. "
            "Renditions never carry it. Only editors may choose this, when uploading."
        ),
    )

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_kk="", alt_ru="", alt_en=""),
                name="image_has_alt_text",
                violation_error_code="alt_required",
                violation_error_message=_("Describe the photo in at least one language."),
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
            # An import stores the photo at an address once per agency, however often it runs.
            models.UniqueConstraint(
                fields=["agency", "source_url"],
                condition=~Q(source_url=""),
                name="image_imported_once_per_agency",
            ),
        ]

    def __str__(self):
        return self.alt or str(self.key)

    def get_absolute_url(self):
        """The original, as stored (EXIF removed unless an editor kept it)."""
        return self.file_url(f"original{PurePosixPath(self.file.name).suffix}")

    @property
    def alt(self) -> str:
        return localized(self, "alt")

    @property
    def caption(self) -> str:
        return localized(self, "caption")

    def alt_in(self, language: str) -> str:
        return getattr(self, f"alt_{language}", "")

    def alt_for(self, language: str) -> str:
        """The description in `language` (a release's), else in the reader's or any other."""
        return self.alt_in(language) or self.alt

    def caption_for(self, language: str) -> str:
        return getattr(self, f"caption_{language}", "") or self.caption

    def file_url(self, name: str) -> str:
        return reverse("media_library:image_file", kwargs={"key": self.key, "name": name})

    # --- what templates use: renditions when they exist, else the original --------------
    # Read from self.renditions.all(), so a list that prefetches renditions asks nothing more.

    def rendition(self, size: str, image_format: str = "jpeg") -> "Rendition | None":
        for rendition in self.renditions.all():
            if rendition.size == size and rendition.format == image_format:
                return rendition
        return None

    def best_url(self, width: int = 800, image_format: str = "jpeg") -> str:
        """The smallest article rendition at least `width` wide (the largest when none is),
        or the original until renditions exist: the browser scales it meanwhile."""
        widths = sorted(
            (rendition.width, rendition)
            for rendition in self.renditions.all()
            if rendition.size.startswith("w") and rendition.format == image_format
        )
        if not widths:
            return self.get_absolute_url()
        wide_enough = [rendition for each_width, rendition in widths if each_width >= width]
        return (wide_enough[0] if wide_enough else widths[-1][1]).url

    def srcset(self, image_format: str = "webp") -> str:
        """`url 480w, url 800w, …` of the article renditions; empty until they exist."""
        renditions = sorted(
            (rendition.width, rendition.url)
            for rendition in self.renditions.all()
            if rendition.size.startswith("w") and rendition.format == image_format
        )
        return ", ".join(f"{url} {width}w" for width, url in renditions)

    def url_of(self, size: str, image_format: str = "jpeg") -> str:
        """A named rendition (thumbnail, list, social), or the original until it exists."""
        rendition = self.rendition(size, image_format)
        return rendition.url if rendition else self.get_absolute_url()


class Rendition(models.Model):
    """One size of an image in one format, made by media_library.renditions."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.CASCADE, related_name="renditions"
    )
    size = models.CharField(_("size"), max_length=20)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    file = models.FileField(_("file"), upload_to=upload_rendition, max_length=200)
    source = models.CharField(
        _("made from"),
        max_length=250,
        help_text=_("The original and focal point it was made from; another one remakes it."),
    )

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "size", "format"], name="one_rendition_per_size_and_format"
            ),
        ]

    def __str__(self):
        return f"{self.size}.{self.format} ({self.width}×{self.height})"

    @property
    def url(self) -> str:
        return self.image.file_url(f"{self.size}.{self.format}")


class Attachment(models.Model):
    """A document published with releases: PDF, DOCX, XLSX or ODT, checked by content."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX (Word)"
        XLSX = "xlsx", "XLSX (Excel)"
        ODT = "odt", "ODT (OpenDocument)"

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=upload_document, max_length=200)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=4, choices=Kind.choices, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    preview = models.FileField(
        _("first page"), upload_to=upload_preview, max_length=200, blank=True, editable=False
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_kk="", title_ru="", title_en=""),
                name="attachment_has_title",
                violation_error_code="title_required",
                violation_error_message=_("Give the file a title in at least one language."),
            ),
        ]

    def __str__(self):
        return self.title or str(self.key)

    def get_absolute_url(self):
        return reverse(
            "media_library:attachment_file",
            kwargs={"key": self.key, "name": f"{self.download_stem}.{self.kind}"},
        )

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def download_stem(self) -> str:
        """The name a download is saved under, from the title: never the uploader's name."""
        return slugify(self.title, allow_unicode=True)[:80] or "document"

    def preview_url(self) -> str:
        if not self.preview:
            return ""
        return reverse(
            "media_library:attachment_file", kwargs={"key": self.key, "name": "preview.webp"}
        )


# --- which release uses what -------------------------------------------------------------


class LeadImage(models.Model):
    """The photo at the top of a release and on its social card."""

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="lead_image"
    )
    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.PROTECT, related_name="lead_of"
    )

    class Meta:
        verbose_name = _("lead photo")
        verbose_name_plural = _("lead photo")

    def __str__(self):
        return str(self.image)


class GalleryImage(models.Model):
    """A photo of a release's gallery, in the order `position` gives."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="gallery"
    )
    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.PROTECT, related_name="gallery_of"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("gallery photo")
        verbose_name_plural = _("gallery")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="gallery_image_once"),
        ]

    def __str__(self):
        return str(self.image)


class ArticleAttachment(models.Model):
    """A file published with a release, in the order `position` gives."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    attachment = models.ForeignKey(
        Attachment, verbose_name=_("file"), on_delete=models.PROTECT, related_name="used_by"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "attachment"], name="article_attachment_once"
            ),
        ]

    def __str__(self):
        return str(self.attachment)


def lead_photo_of(article: Article) -> Image | None:
    lead = getattr(article, "lead_image", None)  # the reverse one-to-one raises when unset
    return lead.image if lead else None


def photos_of(article: Article) -> list[Image]:
    """The lead photo, then the gallery."""
    lead = lead_photo_of(article)
    gallery = [item.image for item in article.gallery.select_related("image")]
    return [lead, *gallery] if lead else gallery
