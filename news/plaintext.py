"""Plain text given the structure the body editor writes: paragraphs, lists and links.

A body typed without markup, or imported as plain text, would otherwise be shown as one
run-on paragraph. Pure: text in, HTML out; news.html sanitizes the result like any body.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser

# "- ", "* ", "• " start a bulleted item; "1. " or "1) " a numbered one. Dashes (– —) are
# left alone: a Kazakh or Russian paragraph starting with one is direct speech, not a list.
_ITEM = re.compile(r"^(?:(?P<bullet>[-*•])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$")
# An address ends at a space or a quote; punctuation that ends the sentence is not part of it.
_LINK = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"«»]+)|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]»'’”"
_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")


def structure_plain_text(text: str) -> str:
    """HTML for plain `text`: blocks separated by blank lines become paragraphs (their single
    line breaks kept as breaks), runs of "- ", "* ", "• " or "1. " lines become lists, and
    web and e-mail addresses become links. Text without any blank line has one paragraph
    per line, as imported digests and pasted e-mails are written."""
    # Entities without tags (`&amp;`, `&nbsp;`) are text that went through HTML once.
    text = unescape(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    breaks = bool(_BLANK_LINE.search(text))
    blocks = _BLANK_LINE.split(text) if breaks else [text]
    html: list[str] = []
    for block in blocks:
        html.extend(_block([line.strip() for line in block.split("\n")], breaks=breaks))
    return "\n".join(html)


def _block(lines: list[str], *, breaks: bool) -> list[str]:
    """The paragraphs and lists of one block of lines; with `breaks`, lines next to each
    other are one paragraph, else each is its own."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    kind = start = None

    def flush_paragraph():
        if paragraph:
            out.append("<p>" + "<br>".join(linkify(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_list():
        nonlocal kind, start
        if items:
            opening = f'<ol start="{start}">' if kind == "ol" and start != 1 else f"<{kind}>"
            out.append(opening + "".join(f"<li>{item}</li>" for item in items) + f"</{kind}>")
            items.clear()
        kind = start = None

    for line in lines:
        if not line:
            continue
        item = _ITEM.match(line)
        if item is None:
            flush_list()
            if not breaks:
                flush_paragraph()
            paragraph.append(line)
            continue
        item_kind = "ul" if item["bullet"] else "ol"
        if item_kind != kind:
            flush_list()
            kind, start = item_kind, int(item["number"] or 1)
        flush_paragraph()
        items.append(linkify(item["text"]))
    flush_paragraph()
    flush_list()
    return out


def linkify(text: str) -> str:
    """`text` escaped for HTML, with its web and e-mail addresses as links."""
    parts: list[str] = []
    position = 0
    for found in _LINK.finditer(text):
        address = found[0]
        trimmed = address.rstrip(_TRAILING)
        # A closing bracket belongs to the address when the address opened one.
        while address[len(trimmed) :].startswith(")") and trimmed.count("(") > trimmed.count(")"):
            trimmed += ")"
        end = found.start() + len(trimmed)
        if found["email"]:
            href = f"mailto:{trimmed}"
        elif trimmed.lower().startswith("www."):
            href = f"https://{trimmed}"
        else:
            href = trimmed
        parts.append(escape(text[position : found.start()], quote=False))
        parts.append(f'<a href="{escape(href)}">{escape(trimmed, quote=False)}</a>')
        position = end
    parts.append(escape(text[position:], quote=False))
    return "".join(parts)


_SPACES = re.compile(r"\s+")
# Blocks of the editor's structure (news.html) that start a paragraph of their own.
_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "tr", "pre"}


class _TextReader(HTMLParser):
    """The text of a body, a paragraph per block, list items marked as they are typed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # (text, the outermost list it is an item of, numbered from 1; 0 for a paragraph)
        self.blocks: list[tuple[str, int]] = []
        self._list_number = 0
        self._words: list[str] = []
        self._lists: list[list] = []  # [kind, next number] of each open list
        self._marker = ""
        self._cells = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            if not self._lists:
                self._list_number += 1
            start = dict(attrs).get("start") or "1"
            self._lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li" and self._lists:
            self._flush()
            kind, number = self._lists[-1]
            indent = "  " * (len(self._lists) - 1)
            self._marker = f"{indent}{number}. " if kind == "ol" else f"{indent}- "
            self._lists[-1][1] += 1
        elif tag in _TEXT_BLOCKS:
            self._flush()
            self._cells = 0
        elif tag == "br":
            self._words.append("\n")
        elif tag in ("td", "th"):
            if self._cells:
                self._words.append(" | ")
            self._cells += 1

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self._lists:
            self._flush()
            self._lists.pop()
        elif tag in _TEXT_BLOCKS:
            self._flush()

    def handle_data(self, data):
        # Whitespace in HTML source is a space; a <br> is the one line break kept.
        self._words.append(_SPACES.sub(" ", data))

    def _flush(self):
        lines = "".join(self._words).split("\n")
        text = "\n".join(line.strip(" ") for line in lines).strip("\n")
        self._words = []
        if text:
            self.blocks.append((self._marker + text, self._list_number if self._marker else 0))
            self._marker = ""

    def close(self):
        super().close()
        self._flush()


def html_to_text(html: str) -> str:
    """The text of a body as a person reads it: a paragraph per block separated by a blank
    line, list items on lines of their own starting with "- " or their number, a <br> as a
    line break, table cells separated by " | ". The inverse of structure_plain_text, for
    comparing what two versions of a body say rather than how their markup differs."""
    reader = _TextReader()
    reader.feed(html or "")
    reader.close()
    text = ""
    previous_list = 0
    for block, in_list in reader.blocks:
        if text:
            # Items of one list are lines; anything else is a paragraph of its own.
            text += "\n" if in_list and in_list == previous_list else "\n\n"
        text += block
        previous_list = in_list
    return text
