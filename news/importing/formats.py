"""Which of the importable formats a file is, judged from its content.

The content decides; the file name is only a hint for when the content cannot tell (an
XML prolog longer than the bytes looked at, JSON that opens oddly), since newsroom files
are often misnamed (`.txt` feeds, `.xml` saved as `.html`).
"""

import re
from pathlib import PurePath

from .decoding import BYTE_ORDER_MARKS, SAMPLE_BYTES, decode_text
from .digest import has_dated_release
from .records import UnusableInput

FORMATS = ("digest", "rss", "atom", "govkz")

_EXTENSION_HINTS = {
    ".rss": "rss",
    ".rdf": "rss",
    ".xml": "rss",
    ".atom": "atom",
    ".json": "govkz",
}
# Root elements of feeds (without namespace prefix): RSS 0.9x/2.0, RSS 0.90/1.0, Atom.
_FEED_ROOTS = {"rss": "rss", "RDF": "rss", "feed": "atom"}
# XML without a byte order mark in UTF-16 or UTF-32 announces itself by where the zero
# bytes of `<?` or `<` fall (XML 1.0, appendix F).
_XML_UNMARKED = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_BLANK = " \t\r\n\ufeff"
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_DOCTYPE_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL)
# The opening of a JSON array or object, as opposed to a line of text that starts with a
# bracket ("[Photo] …").
_JSON_OPENING = re.compile(r"""(?:\[\s*(?:[\[{"\]\-0-9]|true|false|null)|\{\s*["}])""")
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_NOT_IMPORTABLE = (
    "This file is not a press-release digest, an RSS or Atom feed, or gov.kz JSON: {why}."
)


def detect_format(data: bytes, *, filename: str = "") -> str:
    """One of FORMATS for the file's bytes (its start is enough); raises UnusableInput
    with code "empty", "binary" or "unknown_format" when it is none of them."""
    data = data[:SAMPLE_BYTES]
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise UnusableInput("The file is empty: it has no text to import.", code="empty")
    hint = _EXTENSION_HINTS.get(PurePath(filename).suffix.lower(), "") if filename else ""
    markup = _markup_text(data).lstrip(_BLANK)

    if markup.startswith("<"):
        root = _xml_root(markup)
        local_name = root.rpartition(":")[2]
        if local_name in _FEED_ROOTS:
            return _FEED_ROOTS[local_name]
        if not root and hint in ("rss", "atom") and not _HTML.match(markup):
            return hint
    if markup.startswith(("[", "{")) and (_JSON_OPENING.match(markup) or hint == "govkz"):
        return "govkz"

    if has_dated_release(decode_text(data)):
        return "digest"
    raise UnusableInput(_NOT_IMPORTABLE.format(why=_why_not(markup)), code="unknown_format")


def _markup_text(data: bytes) -> str:
    """Enough of the text to see its first characters and XML root, in any encoding."""
    for bom, encoding in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            return data.decode(encoding, errors="ignore")
    for opening, encoding in _XML_UNMARKED:
        if data.startswith(opening):
            return data.decode(encoding, errors="ignore")
    # The markup itself is ASCII in every other encoding a feed may declare; Latin-1 keeps
    # those characters and never fails on the rest.
    return data.decode("latin-1")


def _xml_root(markup: str) -> str:
    """The name of the first element, past declarations, comments and a doctype; "" when the
    prolog goes on beyond the text given."""
    position = 0
    while markup.startswith("<", position):
        if markup.startswith("<?", position):
            end = markup.find("?>", position)
            position = end + 2
        elif markup.startswith("<!--", position):
            end = markup.find("-->", position + 4)
            position = end + 3
        elif markup[position : position + 9].upper() == "<!DOCTYPE":
            subset = _DOCTYPE_INTERNAL_SUBSET.match(markup, position)
            end = subset.end() if subset else markup.find(">", position)
            position = end if subset else end + 1
        else:
            name = _ROOT_NAME.match(markup, position)
            return name.group(1) if name else ""
        if end < 0:
            return ""
        while position < len(markup) and markup[position] in _BLANK:
            position += 1
    return ""


def _why_not(markup: str) -> str:
    if _HTML.match(markup):
        return "it is a web page (HTML); import the page's RSS feed or save its text instead"
    if markup.startswith("{\\rtf"):
        return "it is an RTF document; save it as plain text (.txt) and import that"
    if markup.startswith("<"):
        root = _xml_root(markup)
        if root:
            return f"it is an XML document whose root element is <{root}>, not <rss> or <feed>"
        return "it looks like XML, but no root element could be found"
    return (
        "no line has a release date (such as 20.12.2025 or 20 декабря 2025 г.) at its end or "
        "on its own beside a title, as a digest's releases do"
    )
