"""Reading an import's input: from its location, then into parsed items.

The command, the configured sources and the source form all ask here, so what may be read
is decided in one place: a web address through an `HttpFetcher` (public addresses only, see
`http`), a file only where the caller's `LocalFiles` allows, and neither when larger than
the fetcher's download limit. An upload arrives as bytes (the upload form checks its size).
Whatever the input came from, `iter_input` detects its format and parses it: the command,
uploads and sources all import through it.
"""

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .decoding import open_text_stream, read_text, with_decoding_problems
from .digest import parse_digest, parse_digest_text
from .feeds import parse_feed
from .formats import detect_format
from .govkz import parse_govkz_payload
from .http import FetchError, HttpFetcher, bad_url, check_url, size_text
from .records import ParsedItem, UnusableInput

WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class LocalFiles:
    """The files on this server an input may come from: any file at all (`anywhere`), those
    inside `root` (a relative location is taken there), or none."""

    root: Path | None = None
    anywhere: bool = False

    @classmethod
    def inside(cls, root: str) -> "LocalFiles":
        """The files inside `root`; none when it is empty (no import folder set up)."""
        return cls(root=Path(root)) if root else NO_FILES


# The operator's own command line: the shell that runs it can read these files anyway.
ANY_FILE = LocalFiles(anywhere=True)
NO_FILES = LocalFiles()


def read_input(location: str, *, files: LocalFiles, fetcher: HttpFetcher) -> bytes:
    """The bytes at `location`, fetched or read from a file; FetchError when they may not or
    cannot be read."""
    if is_web_address(location):
        return fetcher.get_bytes(location).content
    return _read_file(local_path(location, files), location, limit=fetcher.max_bytes)


def check_location(
    location: str,
    *,
    files: LocalFiles,
    web_only: bool = False,
    allowed_networks: Iterable[str] = (),
) -> None:
    """Raise the FetchError that reading `location` would certainly end in, reading nothing:
    a web address the fetcher would refuse (see `check_url`), a file `files` does not allow,
    or any file when `web_only`. A file that is missing may be put there later: it passes."""
    if is_web_address(location):
        check_url(location, allowed_networks=allowed_networks)
    elif web_only:
        raise bad_url(location)
    else:
        local_path(location, files)


def is_web_address(location: str) -> bool:
    return urlsplit(location).scheme in WEB_SCHEMES


def local_path(location: str, files: LocalFiles) -> Path:
    """The file `location` names, its links and `..` resolved, if `files` allows it."""
    if urlsplit(location).scheme:
        raise bad_url(location)
    if files.anywhere:
        return _resolved(Path(location), location)
    if files.root is None:
        raise FetchError(
            "Files on the server cannot be imported: no import folder is set up "
            "(PRESSROOM_IMPORT_DIR).",
            code="path_not_allowed",
            url=location,
        )
    root = files.root.resolve()
    path = _resolved(root / location, location)
    if not path.is_relative_to(root):
        raise FetchError(
            f"{location} is outside the import folder {root}, the only place files are "
            "imported from.",
            code="path_not_allowed",
            url=location,
        )
    return path


def _resolved(path: Path, location: str) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: links that lead in a circle
        raise FetchError(
            f"There is no file at {location} ({error}).", code="not_found", url=location
        ) from None


def _read_file(path: Path, location: str, *, limit: int) -> bytes:
    try:
        # The resolved path, not following a link put there since it was checked; not
        # waiting on a named pipe, which would block until something writes to it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise FetchError(
            f"There is no file at {location} ({error.strerror}).", code="not_found", url=location
        ) from None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise FetchError(
                f"There is no file at {location} (it is not a regular file).",
                code="not_found",
                url=location,
            )
        if found.st_size > limit:
            raise _too_large(location, limit)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            # One byte over the limit at most, in case the file grew since it was measured.
            data = handle.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise _too_large(location, limit)
    return data


def _too_large(location: str, limit: int) -> FetchError:
    return FetchError(
        f"The file {location} is larger than {size_text(limit)}, so it was not read.",
        code="too_large",
        url=location,
    )


# --- parsing what was read -------------------------------------------------------------


def iter_input(data_or_path: bytes | Path, *, format: str = "auto", filename: str = "") -> tuple[
    str, Iterator[ParsedItem]
]:  # fmt: skip
    """Detect the format and return (format, items). Raises UnusableInput before any item."""
    if isinstance(data_or_path, Path):
        with data_or_path.open("rb") as handle:
            head = handle.read(64 * 1024)
        name = filename or data_or_path.name
    else:
        head, name = data_or_path[: 64 * 1024], filename
    chosen = detect_format(head, filename=name) if format == "auto" else format
    if chosen == "digest":
        if isinstance(data_or_path, Path):
            return chosen, _stream_digest(data_or_path)
        text, decoding = read_text(data_or_path)
        return chosen, with_decoding_problems(parse_digest_text(text), decoding)
    data = data_or_path.read_bytes() if isinstance(data_or_path, Path) else data_or_path
    if chosen in ("rss", "atom"):
        return chosen, parse_feed(data, url=filename)
    if chosen == "govkz":
        return chosen, iter(parse_govkz_payload(data))
    raise UnusableInput(f"Unknown format “{chosen}”.", code="unknown_format")


def _stream_digest(path: Path) -> Iterator[ParsedItem]:
    # A digest can be large: read it line by line instead of decoding it whole.
    with open_text_stream(path) as lines:
        yield from with_decoding_problems(parse_digest(lines), lines.decoding)
