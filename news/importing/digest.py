"""The plain-text digest: a dump of a news listing, one release after another.

    World
    <title> <DD.MM.YYYY>
    <body line>
    [<more body lines>]
    <title> <DD.MM.YYYY>
    ...

Section headings may come first. Each release is a header line, its title ending with its
date, then its body up to the next header. Nothing separates releases and the last line
may lack its newline. What is a heading, a title or body text is read from the shape of
the lines (their length, ending, date, and what follows), never from a list of words.

The parser streams: it holds one release and one line of look-ahead, never the file.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from .records import ItemError, ParsedItem, ParseProblem, RawRelease

# A header's title is at most this long: a longer line ending in a date is body text.
MAX_TITLE_CHARS = 300
# Section headings of a listing are a word or a few ("World", "Regions").
MAX_HEADING_CHARS = 60
# A body line, as opposed to a title: at least this long and twice the title's length.
MIN_BODY_LINE_CHARS = 200

_HEADER = re.compile(r"(?P<title>.*\S)\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\s*")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
# A title does not end a sentence or run on; closing quotes after a full stop still end it.
_SENTENCE_END = re.compile(r"""[.,:;][\s"'»”’)]*$""")
# Dialogue and list lines start with a dash or bullet; titles do not.
_CONTINUATION_START = re.compile(r"[-–—•*·]")


@dataclass(slots=True)
class _Release:
    line_number: int
    title: str
    release_date: date | None
    problems: list[ParseProblem]
    lines: list[str] = field(default_factory=list)
    body_lines: list[str] = field(default_factory=list)
    has_body: bool = False

    def add_body_line(self, line: str) -> None:
        self.lines.append(line)
        self.body_lines.append(line)
        self.has_body = self.has_body or bool(line.strip())


def parse_digest(lines: Iterable[str]) -> Iterator[ParsedItem]:
    """The releases of a digest, as its lines arrive (with or without their line ends)."""
    release: _Release | None = None
    orphan: tuple[int, list[str]] | None = None
    numbered = enumerate(_without_line_ends(lines), start=1)
    upcoming = next(numbered, None)
    while upcoming is not None:
        number, line = upcoming
        upcoming = next(numbered, None)
        following = upcoming[1] if upcoming is not None else None

        header = _header_match(line)
        header_expected = release is None or release.has_body
        if header is not None or (header_expected and _starts_undated(line, following)):
            if release is not None:
                yield _finish(release)
            elif orphan is not None:
                yield _orphan_error(*orphan)
                orphan = None
            release = _dated(number, header) if header is not None else _undated(number, line)
            release.lines.append(line)
        elif release is not None:
            release.add_body_line(line)
        elif orphan is not None:
            orphan[1].append(line)
        elif _is_section_heading(line, following) or not line.strip():
            continue
        else:
            orphan = (number, [line])
    if release is not None:
        yield _finish(release)
    elif orphan is not None:
        yield _orphan_error(*orphan)


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


def _without_line_ends(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if line.endswith("\n"):
            line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
        yield line


def _header_match(line: str) -> re.Match | None:
    # Most lines are body text and do not end in a digit; the regex is not needed for them.
    if not line.rstrip()[-1:].isdigit():
        return None
    match = _HEADER.fullmatch(line)
    if match is None or len(match["title"].strip()) > MAX_TITLE_CHARS:
        return None
    return match


def _dated(number: int, match: re.Match) -> _Release:
    problems = []
    written = f"{match['day']}.{match['month']}.{match['year']}"
    try:
        release_date = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        release_date = None
        problems.append(
            ParseProblem(
                "date_invalid",
                f"The date {written} does not exist, so the release was left undated; "
                "check the date at the source.",
            )
        )
    return _Release(
        line_number=number,
        title=match["title"].strip(),
        release_date=release_date,
        problems=problems,
    )


def _undated(number: int, line: str) -> _Release:
    return _Release(
        line_number=number,
        title=line.strip(),
        release_date=None,
        problems=[
            ParseProblem(
                "date_missing",
                "The title line has no date at its end (like 20.12.2025), so the release "
                "was left undated.",
            )
        ],
    )


def _looks_like_title(line: str) -> bool:
    text = line.strip()
    return (
        len(text) <= MAX_TITLE_CHARS
        and len(text.split()) >= 2
        and any(char.isalpha() for char in text)
        and not _SENTENCE_END.search(text)
        and not _CONTINUATION_START.match(text)
        and not _URL.search(text)
    )


def _is_body_line(line: str | None, title: str) -> bool:
    if line is None or _header_match(line) is not None:
        return False
    length = len(line.strip())
    return length >= MIN_BODY_LINE_CHARS and length >= 2 * len(title.strip())


def _starts_undated(line: str, following: str | None) -> bool:
    """A title without its date: shaped like a title, where a header is due, before a body."""
    return _looks_like_title(line) and _is_body_line(following, line)


def _is_section_heading(line: str, following: str | None) -> bool:
    """A short label before the releases, followed by a release (or another label), not by
    body text."""
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
    body = "\n".join(body_lines[first_text:])
    return RawRelease(
        item=f"line {release.line_number}",
        raw="\n".join(lines),
        title=release.title,
        body=body,
        release_date=release.release_date,
        problems=release.problems,
    )


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _orphan_error(number: int, lines: list[str]) -> ItemError:
    raw = "\n".join(_without_trailing_blanks(lines))
    excerpt = " ".join(raw.split())
    excerpt = excerpt if len(excerpt) <= 80 else excerpt[:79] + "…"
    return ItemError(
        item=f"line {number}",
        raw=raw,
        code="orphan_text",
        message=(
            "Text before the first release, with no title line above it, so it belongs to "
            f"no release: “{excerpt}”."
        ),
    )
