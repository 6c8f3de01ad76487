"""The one place that decides which HTML an article body may contain.

What a body may contain is what the editor can write: `BODY_EDITOR_EXTENSIONS` configures
the admin's editor (django-prose-editor), and the sanitizer's allow-list is derived from the
same dictionary, so an extension enabled there is allowed here and nothing else is.

Bodies written elsewhere (imports, pasted Word or web pages, the API, plain text) go through
`sanitize_html` too: plain text is given structure (`news.plaintext`), foreign HTML is tidied
into the editor's structure (`news.html_tidy`), then nh3 keeps only the allow-list.
"""

import re
from functools import cache

import nh3
from django_prose_editor.config import allowlist_from_extensions

from .html_tidy import tidy_html
from .plaintext import structure_plain_text

# Exactly the structure a release needs: no fonts, colours, alignment, images or code.
BODY_EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    # A release's links open where the reader is; rel is set by the sanitizer, not typed.
    "Link": {"enableTarget": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # Buttons, not drop-downs: every choice visible and reachable with Tab.
    "Menu": {
        "groups": [
            {"group": "blockType -lists"},
            {"group": "lists"},
            {"group": "nodes -blockType -lists"},
            {"group": "marks"},
            {"group": "link"},
            {"group": "table"},
            {"group": "history"},
        ]
    },
    # Pressroom's own (static/news/body_editor.js): labels in the admin's language, an
    # accessible name, pasted Word lists made lists again. It writes no HTML of its own.
    "PressroomEditor": True,
}
# Where a link may point; the editor itself refuses javascript: links already.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "noopener noreferrer"


@cache
def allow_list() -> dict:
    """nh3's arguments for a body: the tags and attributes the editor's extensions write."""
    derived = allowlist_from_extensions(BODY_EDITOR_EXTENSIONS)
    attributes = {tag: set(names) for tag, names in derived["attributes"].items()}
    # The sanitizer sets rel on every link itself (nh3 refuses rel both allowed and set).
    attributes["a"] = attributes.get("a", set()) - {"rel", "target"}
    return {"tags": set(derived["tags"]), "attributes": attributes}


_TAG = re.compile(r"<[a-zA-Z!/?]")


def has_markup(value: str) -> bool:
    """Whether `value` holds any HTML tag or comment, as opposed to plain text."""
    return bool(_TAG.search(value))


def sanitize_html(value: str) -> str:
    """The body as the editor would write it, with nothing outside the allow-list.

    Plain text becomes paragraphs, lists and links; Word, LibreOffice, Google Docs and web
    HTML keep their headings, lists, links, emphasis and tables and lose the rest; scripts,
    event handlers, styles and javascript: URLs never pass.
    """
    if not value or not value.strip():
        return ""
    if not has_markup(value):
        value = structure_plain_text(value)
    elif clean(value) == value:
        return value  # already the editor's markup: tidying would change nothing a reader sees
    return clean(tidy_html(value))


def clean(value: str) -> str:
    """nh3 with the body's allow-list, and nothing else."""
    rules = allow_list()
    return nh3.clean(
        value,
        tags=rules["tags"],
        attributes=rules["attributes"],
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
