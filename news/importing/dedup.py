"""Identity of a release across runs and sources: pure functions, no ORM."""

import hashlib
import re
import unicodedata
from datetime import date

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalized_title(title: str) -> str:
    """Casefolded words only, so quotes, dashes and spacing do not make a new release."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def content_fingerprint(title: str, release_date: date | None, agency_slug: str) -> str:
    """The same release seen again, from this source or another: title, date, agency."""
    key = "\x1f".join(
        [normalized_title(title), release_date.isoformat() if release_date else "", agency_slug]
    )
    return hashlib.sha256(key.encode()).hexdigest()


def content_hash(*, title: str, lead: str, body: str) -> str:
    """Hash of what a person can edit; tells an untouched import from an edited one."""
    return hashlib.sha256("\x1f".join([title, lead, body]).encode()).hexdigest()
