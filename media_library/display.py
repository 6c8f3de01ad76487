"""How pages name a photo's sizes: addresses that hold before the worker has made the
renditions (media_library.views serves the original under them until it has), so a page
needs neither to wait for the renditions nor to ask the database which exist."""

from dataclasses import dataclass

from .models import Image, Rendition
from .renditions import SIZES, output_size

SIZES_BY_NAME = {size.name: size for size in SIZES}


def rendition_url(image: Image, size_name: str, image_format: str = Rendition.Format.JPEG) -> str:
    return image.file_url(f"{size_name}.{image_format}")


def srcset(image: Image, image_format: str) -> str:
    """`url 480w, url 800w, …`: the article widths the original is large enough for."""
    candidates = []
    for size in SIZES:
        if size.cropped:
            continue
        made = output_size(size, image.width, image.height)
        if made:
            candidates.append(f"{rendition_url(image, size.name, image_format)} {made[0]}w")
    return ", ".join(candidates)


@dataclass(frozen=True)
class Named:
    """A rendition as pages and the API name it: made, or about to be."""

    size: str
    format: str
    width: int
    height: int
    url: str


def renditions(image: Image) -> list[Named]:
    """Every size and format the original makes (no enlargements)."""
    named = []
    for size in SIZES:
        made = output_size(size, image.width, image.height)
        if made:
            named.extend(
                Named(size.name, image_format, *made, rendition_url(image, size.name, image_format))
                for image_format in size.formats
            )
    return named


def social_card(image: Image) -> Named:
    """The 1.91:1 crop link previews show (OpenGraph, X, Telegram), as JPEG, which all of
    them read; smaller than 1200×630 when the original is."""
    size = SIZES_BY_NAME["social"]
    made = output_size(size, image.width, image.height)
    return Named(size.name, Rendition.Format.JPEG, *made, rendition_url(image, size.name))


@dataclass(frozen=True)
class Picture:
    """What an <img> with its WebP <source> needs."""

    src: str
    srcset_webp: str
    srcset_jpeg: str
    width: int
    height: int
    alt: str


def article_picture(image: Image, language: str) -> Picture:
    """The photo at the text's width, described in the release's language when it can be."""
    fallback = SIZES_BY_NAME["w800"]
    made = output_size(fallback, image.width, image.height) or (image.width, image.height)
    return Picture(
        src=rendition_url(image, fallback.name),
        srcset_webp=srcset(image, Rendition.Format.WEBP),
        srcset_jpeg=srcset(image, Rendition.Format.JPEG),
        width=made[0],
        height=made[1],
        alt=image.alt_for(language),
    )


def list_picture(image: Image) -> Picture:
    """The crop a list shows beside a release's title, around the focal point. It repeats
    the title's link, so it is decorative: no description for screen readers to repeat."""
    size = SIZES_BY_NAME["list"]
    return Picture(
        src=rendition_url(image, size.name),
        srcset_webp=rendition_url(image, size.name, Rendition.Format.WEBP),
        srcset_jpeg="",
        width=size.width,
        height=size.height,
        alt="",
    )
