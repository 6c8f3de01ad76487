"""What an uploaded file is, judged by its content, never by its name: the one place that
decides which photos and documents Pressroom accepts, and what is removed from them.

Pure functions over bytes: no model, no storage. Photos are decoded by Pillow (HEIC/HEIF
through pillow-heif), turned upright by their EXIF orientation and encoded anew without
metadata that identifies people (EXIF, GPS, XMP, text chunks) unless an editor keeps it.
PDFs are parsed by pypdf; DOCX, XLSX and ODT must be ZIP containers of their kind.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

pillow_heif.register_heif_opener()

# Pillow's format name → (format the original is stored in, suffix). Browsers do not show
# HEIC, so a phone's photo is stored as JPEG.
IMAGE_FORMATS = {
    "JPEG": ("JPEG", ".jpg"),
    "MPO": ("JPEG", ".jpg"),  # a JPEG with a second frame, as some cameras write
    "PNG": ("PNG", ".png"),
    "WEBP": ("WEBP", ".webp"),
    "HEIF": ("JPEG", ".jpg"),
}
ACCEPTED_IMAGES = "JPEG, PNG, WebP, HEIC"
ACCEPTED_DOCUMENTS = "PDF, DOCX, XLSX, ODT"
JPEG_QUALITY = 90
# A document's ZIP may hold at most this much once unpacked, and this many members: real
# reports are far below, a ZIP bomb far above.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class UnsafeFile(Exception):
    """A refused upload: a machine-readable code and a message a press officer reads."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckedImage:
    content: bytes  # the original as it will be stored
    suffix: str
    width: int
    height: int


@dataclass(frozen=True)
class CheckedDocument:
    kind: str  # an Attachment.Kind value
    size: int
    page_count: int | None


def read_limited(stream, limit: int) -> bytes:
    """The stream's bytes, refused past `limit` without reading the rest."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(
            _("The file is larger than %(limit)s, the most that can be uploaded.")
            % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if not data:
        raise UnsafeFile(_("The file is empty."), code="empty")
    return data


def looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def check_image(
    data: bytes, *, keep_metadata: bool = False, max_pixels: int | None = None
) -> CheckedImage:
    """Decode the photo and return the original to store: upright, in a format browsers
    show, without EXIF/GPS/XMP unless `keep_metadata`. Raises UnsafeFile."""
    max_pixels = max_pixels or settings.PRESSROOM_MEDIA_MAX_IMAGE_PIXELS
    if looks_like_svg(data):
        raise UnsafeFile(
            _("SVG drawings cannot be uploaded: they can carry scripts. Use %(formats)s.")
            % {"formats": ACCEPTED_IMAGES},
            code="svg",
        )
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; any image past ours is refused.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                _refuse_bomb(width, height, max_pixels)
                if image_format not in IMAGE_FORMATS:
                    raise _not_an_image()
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise _not_an_image() from error
    try:
        exif = image.info.get("exif") if keep_metadata else None
        # In place: otherwise Pillow returns a copy even of an upright photo, two decoded
        # pictures at once.
        ImageOps.exif_transpose(image, in_place=True)
        if keep_metadata:
            # exif_transpose rewrote the orientation of what it kept: take its EXIF.
            exif = image.info.get("exif", exif)
        stored_format, suffix = IMAGE_FORMATS[image_format]
        # The original is kept, not sent to pages (renditions are): JPEG's optimized and
        # progressive coding would hold a second copy of a phone photo's size in memory.
        content = encode(image, stored_format, exif=exif, compact=False)
        return CheckedImage(content, suffix, image.width, image.height)
    finally:
        image.close()


def encode(
    image: Image.Image, image_format: str, *, exif: bytes | None = None, compact: bool = True
) -> bytes:
    """`image` in `image_format`, keeping its colour profile and, only when given, `exif`:
    whatever else Pillow carried over from the upload (XMP, comments, text) is dropped.
    `compact` JPEGs (optimized, progressive) are smaller to send and costlier to make."""
    icc_profile = image.info.get("icc_profile")
    image.info = {}
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = flatten(image)
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if exif:
        options["exif"] = exif
    if image_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=compact, progressive=compact)
    elif image_format == "WEBP":
        options.update(quality=JPEG_QUALITY, method=4)
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()


def flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency on white, CMYK and the like converted."""
    if "A" in image.getbands() or image.mode == "P":
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _refuse_bomb(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise _bomb(max_pixels)


def _bomb(max_pixels: int) -> UnsafeFile:
    return UnsafeFile(
        _("The picture has more than %(megapixels)d megapixels; reduce it and upload again.")
        % {"megapixels": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _not_an_image() -> UnsafeFile:
    return UnsafeFile(
        _("This file is not a photo that can be read. Upload %(formats)s.")
        % {"formats": ACCEPTED_IMAGES},
        code="not_an_image",
    )


# --- documents -----------------------------------------------------------------------------


def check_document(data: bytes) -> CheckedDocument:
    """What kind of document `data` is, checked by parsing it. Raises UnsafeFile."""
    if data.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        return CheckedDocument("pdf", len(data), check_pdf(data))
    if data[:4] == b"PK\x03\x04":
        return CheckedDocument(check_office_zip(data), len(data), None)
    raise _unsupported_document()


def check_pdf(data: bytes) -> int:
    """The page count of a PDF pypdf can read; encrypted PDFs and PDFs with scripts are
    refused (readers' PDF viewers would run them)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnsafeFile(
                _("The PDF is password-protected; upload it without a password."),
                code="pdf_encrypted",
            )
        page_count = len(reader.pages)
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        scripted = (names is not None and "/JavaScript" in names.get_object()) or (
            "/OpenAction" in root and "/JS" in str(root["/OpenAction"].get_object())
        )
    except UnsafeFile:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, RecursionError) as error:
        raise UnsafeFile(
            _("The PDF cannot be read; save it again from the program that made it."),
            code="pdf_unreadable",
        ) from error
    if scripted:
        raise UnsafeFile(
            _("The PDF contains scripts; save it again as a plain PDF (e.g. print to PDF)."),
            code="pdf_script",
        )
    if page_count < 1:
        raise UnsafeFile(_("The PDF has no pages."), code="pdf_unreadable")
    return page_count


def check_office_zip(data: bytes) -> str:
    """`docx`, `xlsx` or `odt` for a ZIP container of that kind; macros are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if (
                len(members) > MAX_ZIP_MEMBERS
                or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES
            ):
                raise UnsafeFile(
                    _("The document unpacks to far more than any real document."),
                    code="zip_bomb",
                )
            names = {member.filename for member in members}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UnsafeFile(
                    _("The document contains macros; save it without them (as .docx or .xlsx)."),
                    code="macros",
                )
            if archive.testzip() is not None:
                raise UnsafeFile(_("The document is damaged."), code="zip_damaged")
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types:
                    raise UnsafeFile(
                        _("The document contains macros; save it without them."), code="macros"
                    )
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except UnsafeFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError) as error:
        raise UnsafeFile(_("The document is damaged."), code="zip_damaged") from error
    raise _unsupported_document()


def _unsupported_document() -> UnsafeFile:
    return UnsafeFile(
        _("This file type cannot be attached. Attach %(formats)s.")
        % {"formats": ACCEPTED_DOCUMENTS},
        code="unsupported_document",
    )
