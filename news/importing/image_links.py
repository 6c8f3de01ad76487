"""Which addresses an imported item offers as its photo: pure, no I/O.

Parsers call these to give `RawRelease.image_urls`; the import later fetches the first one
(`lead_photos`). An address here is only a candidate: what it serves is judged by content.
"""

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

# Image.source_url holds this much; a longer address could not be recognised on a re-run.
MAX_IMAGE_URL_CHARS = 1000
# Addresses whose name says they are something else, when the feed gives no type.
_NOT_PHOTO_SUFFIXES = (
    ".svg", ".svgz", ".pdf", ".doc", ".docx", ".mp3", ".mp4", ".m4a", ".mov", ".avi", ".webm",
    ".ogg", ".wav", ".zip", ".html", ".htm",
)  # fmt: skip
# SVG is refused by media_library.safety whatever it is called: not worth a download.
_NOT_PHOTO_TYPES = ("image/svg+xml",)
_IMG_SRC = re.compile(
    r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE
)


def image_url(url: object, *, base: str = "", content_type: str = "") -> str:
    """`url` made absolute against `base` when it may be a photo to fetch, else "".

    Left out: data: URIs (the bytes would be in the feed, not at an address), anything but
    http(s), a declared type that is not an image (or is SVG), and names of other files.
    """
    if not isinstance(url, str) or not url.strip():
        return ""
    url = url.strip()
    declared = content_type.split(";", 1)[0].strip().lower()
    if declared and (not declared.startswith("image/") or declared in _NOT_PHOTO_TYPES):
        return ""
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
    except ValueError:  # a broken IPv6 host, "http://[::1"
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if parts.path.lower().endswith(_NOT_PHOTO_SUFFIXES) or len(absolute) > MAX_IMAGE_URL_CHARS:
        return ""
    return absolute


def first_img_src(body: str, *, base: str = "") -> str:
    """The address of the first usable `<img>` in an HTML body, or ""."""
    for match in _IMG_SRC.finditer(body):
        found = image_url(_unescape_amp(next(filter(None, match.groups()), "")), base=base)
        if found:
            return found
    return ""


def unique(urls: Iterable[str]) -> tuple[str, ...]:
    """The non-empty addresses in order, each once."""
    return tuple(dict.fromkeys(url for url in urls if url))


def _unescape_amp(value: str) -> str:
    # An attribute in HTML writes & as &amp;; nothing else is escaped in a real address.
    return value.replace("&amp;", "&")
