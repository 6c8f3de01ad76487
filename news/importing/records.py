"""Plain data that flows through the import pipeline; no ORM, no I/O."""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something wrong with one item; `code` is machine-readable, `message` is for an editor."""

    code: str
    message: str


@dataclass(slots=True)
class RawRelease:
    """One release as a parser found it, before any cleaning.

    `item` names where it was in the input ("line 2", "entry 5", "page 1 item 3") so an
    error report can point to it; `raw` is the untouched input text of the item, kept so
    that nothing is lost even when the item cannot be imported. `image_urls` are absolute
    addresses of photos the item offers, the best first (see `image_links`).
    """

    item: str
    raw: str
    title: str
    body: str
    body_is_html: bool = False
    release_date: date | None = None
    published_at: datetime | None = None
    url: str = ""
    external_id: str = ""
    language_hint: str = ""
    agency_hint: str = ""
    tags: tuple[str, ...] = ()
    image_urls: tuple[str, ...] = ()
    problems: list[ParseProblem] = field(default_factory=list)


@dataclass(slots=True)
class ItemError:
    """An item the parser could not turn into a release at all; its raw input is kept."""

    item: str
    raw: str
    code: str
    message: str


ParsedItem = RawRelease | ItemError


class UnusableInput(Exception):
    """The whole input cannot be read (unknown format, binary garbage, empty, unreadable)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(slots=True)
class CleanRelease:
    """A release after normalizing: decoded, paragraphs restored, sources and signature split off.

    `sources` lists every source URL found, canonical (gov.kz) first; `source_url` is the
    canonical one or the first. `body_html` is a sequence of `<p>` paragraphs, sanitized
    (news.html) and saved as it is. `flags` are codes of `news.flags.Flag`.
    """

    item: str
    raw: str
    title: str
    body_html: str
    release_date: date | None
    published_at: datetime | None
    source_url: str
    sources: list[str]
    attribution: str
    external_id: str
    agency_slug: str
    title_language: str
    body_language: str
    language: str
    tags: tuple[str, ...] = ()
    image_urls: tuple[str, ...] = ()
    flags: set[str] = field(default_factory=set)
    problems: list[ParseProblem] = field(default_factory=list)
