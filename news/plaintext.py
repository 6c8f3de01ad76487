"""Plain text given the structure the body editor writes: paragraphs, lists and links.

A body typed without markup, or imported as plain text, would otherwise be shown as one
run-on paragraph. Pure: text in, HTML out; news.html sanitizes the result like any body.
"""

import re
from html import escape, unescape

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
