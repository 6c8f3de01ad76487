"""RSS and Atom feeds: feedparser reads every dialect and encoding; here its entries become
`RawRelease`s, and its complaints become problems an editor can read.
"""

import hashlib
import html
import io
import json
import re
import xml.sax  # for SAXParseException only; feedparser parses, entities off  # nosec B406
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import nh3

from . import image_links
from .decoding import cyrillic_code_page
from .records import ItemError, ParsedItem, ParseProblem, RawRelease, UnusableInput

# Releases are dated where they are written: Kazakhstan is on UTC+5 since 1 March 2024,
# and the zone database also knows the older +6 for releases from before.
ALMATY = ZoneInfo("Asia/Almaty")
# Article.external_id holds 200 characters; a longer guid is replaced by its digest so it
# still identifies the entry on the next run.
MAX_EXTERNAL_ID_CHARS = 200
# Language codes as feeds write them ("kz" is the country, often used for Kazakh).
_LANGUAGE_CODES = {
    "kk": "kk", "kz": "kk", "kaz": "kk", "ru": "ru", "rus": "ru", "en": "en", "eng": "en",
}  # fmt: skip

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DATE_FIELDS = (("published", "published_parsed"), ("updated", "updated_parsed"))
_ENCODING_DECLARATION = re.compile(
    r"""(<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""", re.IGNORECASE
)
# feedparser's last resorts when a feed does not say its encoding and is not UTF-8.
_WESTERN_FALLBACKS = ("windows-1252", "iso-8859-1", "iso-8859-2")


def parse_feed(data: bytes, *, url: str = "") -> Iterator[ParsedItem]:
    """The entries of an RSS or Atom feed as releases, or errors for entries with nothing in
    them. Raises UnusableInput(code="malformed_feed") at once when no entry can be read."""
    parsed, encoding_note = _parse(data, url)
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    bozo_reason = _bozo_reason(parsed) if parsed.get("bozo") else ""
    if not entries and bozo_reason:
        raise UnusableInput(f"The feed cannot be read: {bozo_reason}.", code="malformed_feed")
    if not entries and not version:
        raise UnusableInput(
            "The file is not an RSS or Atom feed: it has neither a channel nor entries.",
            code="malformed_feed",
        )
    feed_problems = []
    if bozo_reason:
        feed_problems.append(
            ParseProblem(
                "feed_malformed",
                f"The feed is malformed ({bozo_reason}); this entry was recovered from it, so "
                "check it against the source.",
            )
        )
    if encoding_note:
        feed_problems.append(ParseProblem("encoding_guessed", encoding_note))
    feed_language = _language(_text(_field(parsed.get("feed"), "language")))
    return _entries(entries, feed_language, feed_problems, url)


def _parse(data: bytes, url: str) -> tuple[Any, str]:
    """feedparser's result, read again as Cyrillic when it had to guess a Western encoding
    for a feed that does not declare one (typical of Windows-1251 sites whose encoding was
    only in the HTTP header), and a note saying so."""
    parsed = _feedparser(data, url)
    guess = _cyrillic_reading(data, parsed)
    if guess is None:
        return parsed, ""
    code_page, reencoded = guess
    try:
        reparsed = _feedparser(reencoded, url)
    except UnusableInput:
        return parsed, ""
    if len(reparsed.get("entries") or []) < len(parsed.get("entries") or []):
        return parsed, ""
    name = {"cp1251": "Windows-1251", "koi8_r": "KOI8-R", "kz1048": "KZ-1048"}[code_page]
    return reparsed, (
        f"The feed did not say its character encoding; it was read as {name}, the one its "
        "letters fit. Check the text for wrong letters."
    )


def _feedparser(data: bytes, url: str) -> Any:
    headers = {"content-location": url} if url else None
    try:
        # A stream, never bytes: feedparser opens bytes that name a file and reads the file.
        return feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as error:  # feedparser has no single error type; it must not escape.
        raise UnusableInput(
            f"The feed cannot be read: the feed reader failed on it ({type(error).__name__}).",
            code="malformed_feed",
        ) from error


def _cyrillic_reading(data: bytes, parsed: Any) -> tuple[str, bytes] | None:
    exception = parsed.get("bozo_exception")
    guessed = isinstance(
        exception, feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown
    )
    if not guessed or (parsed.get("encoding") or "").lower() not in _WESTERN_FALLBACKS:
        return None
    code_page = cyrillic_code_page(data)
    if not code_page:
        return None
    text = data.decode(code_page, errors="replace")
    text = _ENCODING_DECLARATION.sub(r"\1\2utf-8\2", text, count=1)
    return code_page, text.encode("utf-8")


def _bozo_reason(parsed: Any) -> str:
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        return (
            f"it is not well-formed XML: {error.getMessage()} at line {error.getLineNumber()}, "
            f"column {error.getColumnNumber()}"
        )
    if isinstance(error, feedparser.CharacterEncodingOverride):
        return (
            "its character encoding is not the one it declares; it was read as "
            f"{parsed.get('encoding') or 'another one'}, so some letters may be wrong"
        )
    if isinstance(error, feedparser.CharacterEncodingUnknown):
        return "its character encoding could not be worked out"
    if isinstance(error, feedparser.UndeclaredNamespace):
        return "it uses an XML namespace prefix it does not declare"
    if error is None:
        return "the feed reader found it faulty"
    return f"the feed reader reported “{error}”" if str(error) else type(error).__name__


def _entries(
    entries: list, feed_language: str, feed_problems: list[ParseProblem], feed_url: str
) -> Iterator[ParsedItem]:
    for number, entry in enumerate(entries, start=1):
        yield _entry_item(entry, f"entry {number}", feed_language, feed_problems, feed_url)


def _entry_item(
    entry: Any, label: str, feed_language: str, feed_problems: list[ParseProblem], feed_url: str
) -> ParsedItem:
    raw = _dump(entry)
    title_detail = _field(entry, "title_detail") or {}
    title = _plain(_text(_field(entry, "title")), _text(_field(title_detail, "type")))
    body, body_type, body_language = _body(entry)
    body_is_html = body_type in _HTML_TYPES
    if not title and not _plain(body, body_type):
        return ItemError(
            item=label,
            raw=raw,
            code="empty_entry",
            message="The feed entry has neither a title nor any text, so there is nothing "
            "to import.",
        )
    problems = list(feed_problems)
    published_at = _published_at(entry, problems)
    link = _text(_field(entry, "link")).strip()
    url = link if _is_web_address(link) else ""
    if link and not url:
        problems.append(
            ParseProblem(
                "link_dropped",
                f"The entry's link “{link[:200]}” is not a web address, so it was left out.",
            )
        )
    return RawRelease(
        item=label,
        raw=raw,
        title=title,
        body=body,
        body_is_html=body_is_html,
        release_date=published_at.astimezone(ALMATY).date() if published_at else None,
        published_at=published_at,
        url=url,
        external_id=_external_id(_text(_field(entry, "id")).strip() or link),
        language_hint=(
            _language(_text(_field(title_detail, "language")))
            or _language(body_language)
            or feed_language
        ),
        tags=_tags(_field(entry, "tags")),
        image_urls=_image_urls(entry, body if body_is_html else "", base=feed_url or url),
        problems=problems,
    )


def _field(mapping: Any, key: str) -> Any:
    # dict.get, not FeedParserDict.get: that maps old names and warns about "updated".
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _plain(value: str, content_type: str) -> str:
    """The text of a title or body: tags stripped and entities decoded when it is HTML."""
    if content_type in _HTML_TYPES:
        value = html.unescape(nh3.clean(value, tags=set()))
    return value.strip()


def _body(entry: Any) -> tuple[str, str, str]:
    """(value, content type, language) of the entry's content, else of its summary."""
    contents = _field(entry, "content")
    candidates = [contents[0]] if isinstance(contents, list) and contents else []
    candidates.append(_field(entry, "summary_detail") or {"value": _field(entry, "summary")})
    for detail in candidates:
        value = _text(_field(detail, "value"))
        if value.strip():
            return (
                value.strip(),
                _text(_field(detail, "type")) or "text/html",
                _text(_field(detail, "language")),
            )
    return "", "", ""


def _published_at(entry: Any, problems: list[ParseProblem]) -> datetime | None:
    written = ""
    for text_field, parsed_field in _DATE_FIELDS:
        parsed = _field(entry, parsed_field)
        written = written or _text(_field(entry, text_field))
        if parsed:
            try:
                moment = datetime(*parsed[:6], tzinfo=UTC)
                # Dates at the ends of the calendar cannot be moved to Almaty; find out here.
                moment.astimezone(ALMATY)
            except (TypeError, ValueError, OverflowError):
                continue
            return moment
    if written:
        problems.append(
            ParseProblem(
                "date_unreadable",
                f"The entry's date “{written[:60]}” could not be read, so it was left undated.",
            )
        )
    return None


def _is_web_address(link: str) -> bool:
    try:
        parts = urlsplit(link)
    except ValueError:  # a broken IPv6 host, "http://[::1"
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _external_id(value: str) -> str:
    if len(value) <= MAX_EXTERNAL_ID_CHARS:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _language(code: str) -> str:
    """kk, ru or en for a code such as "ru-RU", "kk_KZ", "kz" or "eng"; "" for any other."""
    primary = re.split(r"[-_\s]", code.strip().lower(), maxsplit=1)[0]
    return _LANGUAGE_CODES.get(primary, "")


def _tags(categories: Any) -> tuple[str, ...]:
    if not isinstance(categories, list):
        return ()
    names = []
    for category in categories:
        # Atom's label is the human name of a term; RSS has only the term.
        name = _text(_field(category, "label")).strip() or _text(_field(category, "term")).strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _image_urls(entry: Any, body_html: str, *, base: str) -> tuple[str, ...]:
    """The photos the entry offers, the best first: an enclosure of an image type (RSS, or
    Atom's link rel="enclosure"), Media RSS content then thumbnail, else the body's first
    `<img>`. Relative addresses are resolved against the feed's (or the entry's) address."""
    found = [
        image_links.image_url(
            _field(enclosure, "href"), base=base, content_type=_text(_field(enclosure, "type"))
        )
        # feedparser keeps RSS enclosures as links too, which _field reads (its
        # "enclosures" is derived on access). RSS requires a type: without, no known photo.
        for enclosure in _list(_field(entry, "links"))
        if _field(enclosure, "rel") == "enclosure" and _text(_field(enclosure, "type"))
    ]
    for media in _list(_field(entry, "media_content")):
        medium = _text(_field(media, "medium")).lower()
        if medium in ("", "image"):
            found.append(
                image_links.image_url(
                    _field(media, "url"), base=base, content_type=_text(_field(media, "type"))
                )
            )
    found += [
        image_links.image_url(_field(thumbnail, "url"), base=base)
        for thumbnail in _list(_field(entry, "media_thumbnail"))
    ]
    urls = image_links.unique(found)
    if not urls and body_html:
        urls = image_links.unique([image_links.first_img_src(body_html, base=base)])
    return urls


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dump(entry: Any) -> str:
    """The entry's fields as feedparser read them, without the dates it derived."""
    fields = {
        key: value
        for key, value in (entry.items() if isinstance(entry, dict) else ())
        if not key.endswith("_parsed")
    }
    return json.dumps(fields, ensure_ascii=False, default=str)
