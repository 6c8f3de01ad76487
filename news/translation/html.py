"""Translating an article body's text while its tags, attributes and links stay as they are.

The body is sanitized HTML (news.html). It is split into markup and text nodes; only the
text nodes go to the engine, so no engine can break, drop or invent a tag or a link.
"""

from html import escape
from html.parser import HTMLParser

# Text inside these is code or a literal quotation of it, not prose to translate.
_UNTRANSLATED = {"code", "pre"}


class _Splitter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[bool, str]] = []  # (is_text_to_translate, value)
        self._untranslated_depth = 0

    def handle_starttag(self, tag, attrs):
        self.parts.append((False, self.get_starttag_text()))
        if tag in _UNTRANSLATED:
            self._untranslated_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.parts.append((False, self.get_starttag_text()))

    def handle_endtag(self, tag):
        self.parts.append((False, f"</{tag}>"))
        if tag in _UNTRANSLATED and self._untranslated_depth:
            self._untranslated_depth -= 1

    def handle_data(self, data):
        translatable = bool(data.strip()) and not self._untranslated_depth
        self.parts.append((translatable, data if translatable else escape(data, quote=False)))


def split_html(body: str) -> list[tuple[bool, str]]:
    """The body as (translatable, value) parts: text nodes unescaped, markup verbatim."""
    splitter = _Splitter()
    splitter.feed(body or "")
    splitter.close()
    return splitter.parts


def text_nodes(body: str) -> list[str]:
    return [value for translatable, value in split_html(body) if translatable]


def replace_text_nodes(body: str, translations: list[str]) -> str:
    """The body with its text nodes (as `text_nodes` lists them) replaced, in order."""
    parts = split_html(body)
    expected = sum(translatable for translatable, _ in parts)
    if len(translations) != expected:
        raise ValueError(f"{expected} text nodes, {len(translations)} translations")
    supplied = iter(translations)
    return "".join(
        escape(next(supplied), quote=False) if translatable else value
        for translatable, value in parts
    )
