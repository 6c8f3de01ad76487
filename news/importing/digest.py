"""The plain-text digest: a dump of a news listing, one release after another.

Each release is a title, its date and its body. The date ends the title's line, or
stands on a line of its own before or after the title:

    World                         Главная / Пресс-центр       Басты бет › Жаңалықтар
    <title> 17.03.2026            17 марта 2026 г., 10:30     <title>
    <body line>                   <title>                     17 наурыз 2026
    [<more body lines>]           <body lines>                <body lines>
    <title> 18.03.2026            ...                         ...
    ...

Dates are written in any way `dates` reads (17.03.2026, 2026-03-17, 17 наурыз 2026,
17 марта 2026 г., March 17, 2026), with a time maybe. Section headings and navigation
lines may come first. Blank lines may separate anything, or nothing may, and the last
line may lack its newline. A file keeps one layout: the first date on a line of its own
tells whether dates come before or after their titles, by whether the line after it is a
title or body text. What is a heading, a title or body text is read from the shape of the
lines (their length, ending, date, and what follows), never from a list of words.

What cannot be a release is an error that keeps its lines: text before the first release,
and a date on a line of its own with no title to go with, up to the next release. A
digest with no release at all raises UnusableInput (code "no_releases") after them.

The parser streams: it holds one release and one line of look-ahead (past blank lines),
never the file.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from .dates import WrittenDate, date_at_end, date_line
from .records import ItemError, ParsedItem, ParseProblem, RawRelease, UnusableInput

# A release's date and time are Kazakhstan's (one zone, UTC+5).
ALMATY = ZoneInfo("Asia/Almaty")
# A header's title is at most this long: a longer line ending in a date is body text.
MAX_TITLE_CHARS = 300
# Section headings of a listing are a word or a few ("World", "Regions").
MAX_HEADING_CHARS = 60
# A body line, as opposed to a title: at least this long and twice the title's length.
MIN_BODY_LINE_CHARS = 200

_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# A title does not end a sentence or run on; closing quotes after a full stop still end it.
_SENTENCE_END = re.compile(r"""[.,:;][\s"'»”’)]*$""")
# A full stop followed by the capital that starts the next sentence.
# (After a word of three letters at least: "г. Астана" and "ул. Абая" go on.)
_NEXT_SENTENCE = re.compile(r"""[^\W\d_]{3}[.!?…][\s"'»”’)]*\s[«"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]""")
# Dialogue and list lines start with a dash or bullet; titles do not.
_CONTINUATION_START = re.compile(r"[-–—•*·]")
# Breadcrumbs: "Главная / Пресс-центр", "Басты бет › Жаңалықтар", "Home > News". A »
# counts only spaced on both sides: a closing guillemet follows a word.
_BREADCRUMB_SEPARATOR = re.compile(r"\s[/|>\\»]\s|[›→]")
# A breadcrumb's parts are names of sections, a few words each.
MAX_BREADCRUMB_PART_WORDS = 4

# Where the date of a file's releases stands.
_INLINE, _DATE_BEFORE_TITLE, _DATE_AFTER_TITLE = "inline", "date before title", "date after title"
# What a started release waits for as its next line.
_TITLE, _DATE = "title", "date"


@dataclass(slots=True)
class _Release:
    line_number: int
    title: str = ""
    date: WrittenDate | None = None
    problems: list[ParseProblem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    body_lines: list[str] = field(default_factory=list)
    has_body: bool = False
    awaits: str = ""

    def add_line(self, line: str) -> None:
        self.lines.append(line)
        if self.awaits:
            return
        self.body_lines.append(line)
        self.has_body = self.has_body or bool(line.strip())

    def take(self, line: str, *, title: str = "", date: WrittenDate | None = None) -> None:
        """The line the release waits for: its title, or its date."""
        self.lines.append(line)
        self.awaits = ""
        if title:
            self.title = title
        if date is not None:
            self.set_date(date)

    def set_date(self, written: WrittenDate) -> None:
        self.date = written
        if written.day is None:
            self.problems.append(
                ParseProblem(
                    "date_invalid",
                    f"The date {written.written} does not exist, so the release was left "
                    "undated; check the date at the source.",
                )
            )


@dataclass(slots=True)
class _SetAside:
    """Lines that belong to no release, kept for the error that reports them."""

    line_number: int
    lines: list[str]
    # The date on a line of its own that began them, and where its title is missing;
    # None for text before the first release.
    date: WrittenDate | None = None
    missing: str = ""


@dataclass(slots=True)
class _Held:
    """A line followed by a date line, before the file's layout is known: the title that
    date follows, or a heading above a date that comes before its title."""

    line_number: int
    lines: list[str]


def parse_digest(lines: Iterable[str]) -> Iterator[ParsedItem]:
    """The releases of a digest, as its lines arrive (with or without their line ends).

    Raises UnusableInput (code "no_releases") after the last item when none was a release.
    """
    reader = _DigestReader()
    for number, line, following in _with_look_ahead(lines):
        yield from reader.read(number, line, following)
    yield from reader.finish()
    if not reader.found_release:
        raise UnusableInput(
            "No release could be read: no line has a title with its date, at the end of the "
            "title's line (“Title 20.12.2025”) or on a line of its own before or after it.",
            code="no_releases",
        )


def has_dated_release(text: str) -> bool:
    """Whether a text dates a release as a digest does: a title ending with its date, or a
    date on a line of its own beside a line shaped like a title."""
    lines = [line for line in _split_lines(text) if line.strip()]
    for number, line in enumerate(lines):
        if _header(line) is not None:
            return True
        if date_line(line) is not None:
            beside = lines[max(0, number - 1) : number] + lines[number + 1 : number + 2]
            if any(_looks_like_title(other) for other in beside):
                return True
    return False


def parse_digest_text(text: str) -> Iterator[ParsedItem]:
    """`parse_digest` over a whole text; CRLF and lone CR end lines as LF does."""
    return parse_digest(_split_lines(text))


def _split_lines(text: str) -> Iterator[str]:
    # Not str.splitlines(): that also breaks at U+2028, form feeds and the like, which
    # occur inside body text pasted from the web.
    start = 0
    for match in re.finditer(r"\r\n?|\n", text):
        yield text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield text[start:]


def _with_look_ahead(lines: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
    """(line number, line, the next line that is not blank or None), as lines arrive."""
    waiting: list[tuple[int, str]] = []
    for number, line in enumerate(_without_line_ends(lines), start=1):
        if line.strip():
            for waiting_number, waiting_line in waiting:
                yield waiting_number, waiting_line, line
            waiting = []
        waiting.append((number, line))
    for waiting_number, waiting_line in waiting:
        yield waiting_number, waiting_line, None


def _without_line_ends(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if line.endswith("\n"):
            line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
        yield line


class _DigestReader:
    """The digest's state between lines: its layout, the release being read, and lines set
    aside or held until the next line tells what they are."""

    def __init__(self):
        self.layout = ""
        self.release: _Release | None = None
        self.set_aside: _SetAside | None = None
        self.held: _Held | None = None
        self.found_release = False

    def read(self, number: int, line: str, following: str | None) -> list[ParsedItem]:
        """The items `line` completes, given the next line that is not blank."""
        if not line.strip():
            self._add_blank(line)
            return []
        written = date_line(line)
        if self.held is not None:
            return self._after_held(number, line, written, following)
        if written is not None and self.layout != _INLINE:
            return self._date_on_its_own(number, line, written, following)
        release = self.release
        header = _header(line)
        if release is not None and release.awaits == _TITLE:
            release.take(line, title=header[0] if header else line.strip())
            return []
        if header is None and self._title_before_a_date_line(line, following):
            if not self.layout:
                self.held = _Held(number, [line])
                return []
            return self._start(_Release(number, title=line.strip(), lines=[line], awaits=_DATE))
        header_expected = release is None or release.has_body
        if header is not None or (header_expected and _starts_undated(line, following)):
            self.layout = self.layout or (_INLINE if header is not None else "")
            started = _dated(number, *header) if header is not None else _undated(number, line)
            started.lines.append(line)
            return self._start(started)
        if release is not None:
            release.add_line(line)
        elif self.set_aside is not None:
            self.set_aside.lines.append(line)
        elif not _is_section_heading(line, following):
            self.set_aside = _SetAside(number, [line])
        return []

    def finish(self) -> list[ParsedItem]:
        """The last item, at the end of the digest."""
        return self._start(None)

    def _add_blank(self, line: str) -> None:
        if self.held is not None:
            self.held.lines.append(line)
        elif self.release is not None:
            self.release.add_line(line)
        elif self.set_aside is not None:
            self.set_aside.lines.append(line)

    def _title_before_a_date_line(self, line: str, following: str | None) -> bool:
        if self.layout not in ("", _DATE_AFTER_TITLE) or following is None:
            return False
        if date_line(following) is None:
            return False
        # Before the layout is known, only a line shaped like a title may be one: a word
        # alone is a section's name.
        text = line.strip()
        return bool(self.layout) or (
            _may_be_title(text) and len(text.split()) >= 2 and not _is_breadcrumb(text)
        )

    def _after_held(
        self, number: int, line: str, written: WrittenDate | None, following: str | None
    ) -> list[ParsedItem]:
        """The date line after a held line, which settles the digest's layout."""
        held, self.held = self.held, None
        if _is_title_above_date(held.lines[0], following):
            self.layout = _DATE_AFTER_TITLE
            release = _Release(held.line_number, title=held.lines[0].strip(), lines=held.lines)
            release.take(line, date=written)
            return self._start(release)
        self.layout = _DATE_BEFORE_TITLE
        items = []
        for offset, held_line in enumerate(held.lines):
            items += self.read(held.line_number + offset, held_line, line)
        return items + self.read(number, line, following)

    def _date_on_its_own(
        self, number: int, line: str, written: WrittenDate, following: str | None
    ) -> list[ParsedItem]:
        release = self.release
        if release is not None and release.awaits == _DATE:
            release.take(line, date=written)
            return []
        if self.layout == _DATE_AFTER_TITLE:
            return self._start(_SetAside(number, [line], written, missing="before"))
        if following is not None and _may_be_title(following) and date_line(following) is None:
            self.layout = _DATE_BEFORE_TITLE
            started = _Release(number, lines=[line], awaits=_TITLE)
            started.set_date(written)
            return self._start(started)
        return self._start(_SetAside(number, [line], written, missing="after"))

    def _start(self, started: _Release | _SetAside | None) -> list[ParsedItem]:
        """Finish what was being read, and read `started` from now on."""
        items: list[ParsedItem] = []
        if self.release is not None:
            items.append(_finish(self.release))
            self.found_release = True
        elif self.set_aside is not None:
            items.append(_set_aside_error(self.set_aside))
        self.release = started if isinstance(started, _Release) else None
        self.set_aside = started if isinstance(started, _SetAside) else None
        return items


def _header(line: str) -> tuple[str, WrittenDate] | None:
    """(title, date) of a line whose title ends with its date."""
    found = date_at_end(line)
    if found is None or len(found[0]) > MAX_TITLE_CHARS:
        return None
    return found


def _dated(number: int, title: str, written: WrittenDate) -> _Release:
    release = _Release(number, title=title)
    release.set_date(written)
    return release


def _undated(number: int, line: str) -> _Release:
    return _Release(
        number,
        title=line.strip(),
        problems=[
            ParseProblem(
                "date_missing",
                "The release has no date, at the end of its title's line (like 20.12.2025) "
                "or on a line of its own, so it was left undated.",
            )
        ],
    )


def _may_be_title(line: str) -> bool:
    """Whether a line could be a title at all: short enough, with words, not a link or a
    line of dialogue."""
    text = line.strip()
    return (
        0 < len(text) <= MAX_TITLE_CHARS
        and any(char.isalpha() for char in text)
        and not _CONTINUATION_START.match(text)
        and not _URL.search(text)
    )


def _looks_like_title(line: str) -> bool:
    text = line.strip()
    return (
        _may_be_title(text)
        and len(text.split()) >= 2
        and not _SENTENCE_END.search(text)
        and not _is_breadcrumb(text)
    )


def _is_breadcrumb(line: str) -> bool:
    parts = _BREADCRUMB_SEPARATOR.split(line.strip())
    return len(parts) >= 2 and all(
        0 < len(part.split()) <= MAX_BREADCRUMB_PART_WORDS for part in parts
    )


def _is_body_line(line: str | None, title: str) -> bool:
    if line is None or _header(line) is not None:
        return False
    length = len(line.strip())
    return length >= MIN_BODY_LINE_CHARS and length >= 2 * len(title.strip())


def _starts_undated(line: str, following: str | None) -> bool:
    """A title without its date: shaped like a title, where a header is due, before a body."""
    return _looks_like_title(line) and _is_body_line(following, line)


def _is_title_above_date(line: str, after_date: str | None) -> bool:
    """Whether `line`, followed by a date line, is the title that date follows rather than a
    heading above a date that comes before its title. The line after the date tells: body
    text (long, dialogue, several sentences) or nothing means the date followed its title; a
    title means it leads the next one. One short sentence could be either: a heading is
    shorter than a title."""
    if after_date is None:
        return True
    if date_line(after_date) is not None:
        return False
    if not _may_be_title(after_date):
        return True
    text = after_date.strip()
    if _is_body_line(text, line) or _NEXT_SENTENCE.search(text):
        return True
    if _SENTENCE_END.search(text):
        return len(line.split()) > MAX_BREADCRUMB_PART_WORDS
    return False


def _is_section_heading(line: str, following: str | None) -> bool:
    """A short label (a section's name, a breadcrumb) before the releases, followed by a
    release (or another label), not by body text."""
    text = line.strip()
    return (
        0 < len(text) <= MAX_HEADING_CHARS
        and not _SENTENCE_END.search(text)
        and not _URL.search(text)
        and (following is None or not _is_body_line(following, ""))
    )


def _finish(release: _Release) -> RawRelease:
    lines = _without_trailing_blanks(release.lines)
    body_lines = _without_trailing_blanks(release.body_lines)
    first_text = next((n for n, line in enumerate(body_lines) if line.strip()), len(body_lines))
    written = release.date
    published_at = None
    if written is not None and written.day is not None and written.time_of_day is not None:
        published_at = datetime.combine(written.day, written.time_of_day, tzinfo=ALMATY)
    return RawRelease(
        item=f"line {release.line_number}",
        raw="\n".join(lines),
        title=release.title,
        body="\n".join(body_lines[first_text:]),
        release_date=written.day if written is not None else None,
        published_at=published_at,
        problems=release.problems,
    )


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _set_aside_error(set_aside: _SetAside) -> ItemError:
    raw = "\n".join(_without_trailing_blanks(set_aside.lines))
    excerpt = " ".join(raw.split())
    excerpt = excerpt if len(excerpt) <= 80 else excerpt[:79] + "…"
    item = f"line {set_aside.line_number}"
    if set_aside.date is None:
        return ItemError(
            item=item,
            raw=raw,
            code="orphan_text",
            message=(
                "Text before the first release, with no title line above it, so it belongs "
                f"to no release: “{excerpt}”."
            ),
        )
    return ItemError(
        item=item,
        raw=raw,
        code="release_unreadable",
        message=(
            f"The date {set_aside.date.written} stands on a line of its own with no title "
            f"{set_aside.missing} it, so the text up to the next release could not be read "
            f"as a release: “{excerpt}”."
        ),
    )
