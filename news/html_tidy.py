"""Foreign HTML turned into the structure the body editor writes (see news.html).

Word, LibreOffice, Google Docs, web pages and feeds mark structure in their own ways: bold
as a styled span, lists as paragraphs of class MsoListParagraph with a typed bullet, text in
divs, headings of any level. This reads what they meant, then writes it as the editor
would: paragraphs, two heading levels, strong/em/sub/sup, links, lists, quotations and
tables, with no styles, classes, spans, comments or empty paragraphs.

An image is not part of a body (photos of a release belong with the release, not inline):
one found in imported or pasted HTML becomes a link to it, named by its alternative text,
so the reader loses nothing and nothing is hot-linked.
"""

import re
from html import escape
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import nh3

_TEXT_LEVEL = {"b", "strong", "i", "em", "u", "s", "small", "abbr", "cite", "q", "code", "font"}
_SECTIONS = {"div", "section", "article", "main", "header", "footer", "aside", "center"}
# First pass: html5ever (through nh3) parses whatever came in into balanced markup and keeps
# what says which structure was meant, styles and classes included: they are read below.
_INTAKE_TAGS = {
    *_TEXT_LEVEL,
    *_SECTIONS,
    *("p", "br", "span", "sub", "sup", "a", "img", "figure", "figcaption", "pre"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
}
_STYLED = {"class", "style"}
_INTAKE_ATTRIBUTES = {
    **{tag: _STYLED for tag in (*_TEXT_LEVEL, "p", "span", "li")},
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "ol": {"start", "type", "data-type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Dropped with their content: Word's <xml> islands, a pasted page's <title>.
_DROPPED_WITH_CONTENT = {"script", "style", "title", "xml", "noscript", "template"}

_VOID = {"br", "img"}
_BLOCKS = {"p", "h2", "h3", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr"}
_BLOCKS |= {"th", "td"}
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
_KEPT = {"ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td"}
# The editor's list style (a, i, I) and spans; news.html's allow-list has the same.
_KEPT_ATTRIBUTES = {
    "ol": {"start", "type", "data-type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Blocks whose loose text is wrapped in a paragraph; list items and cells may hold text.
_FLOWS = {None, "blockquote"}


class _Element:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag, attrs=None, children=None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children = children if children is not None else []


class _TreeBuilder(HTMLParser):
    """A tree of nh3's balanced output; entities are decoded into text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element(None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def tidy_html(value: str) -> str:
    """`value` rewritten in the editor's structure; news.html still sanitizes the result."""
    intake = nh3.clean(
        value,
        tags=_INTAKE_TAGS,
        attributes=_INTAKE_ATTRIBUTES,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        link_rel=None,
        strip_comments=True,
    )
    builder = _TreeBuilder()
    builder.feed(intake)
    builder.close()
    blocks = _flow(_convert_all(builder.root.children), None)
    return "\n".join(_serialize(block) for block in blocks)


# --- reading what was meant -----------------------------------------------------------


def _style(node: _Element) -> str:
    return node.attrs.get("style", "").replace(" ", "").lower()


def _marks(node: _Element) -> list[str]:
    """The marks (strong, em, sup, sub) an element of Word, LibreOffice or Docs means."""
    style = _style(node)
    marks = []
    weight = re.search(r"font-weight:(\w+)", style)
    if weight:
        bold = weight[1] in {"bold", "bolder"} or (weight[1].isdigit() and int(weight[1]) >= 600)
    else:
        bold = node.tag in {"b", "strong"}
    if bold:
        marks.append("strong")
    slant = re.search(r"font-style:(\w+)", style)
    if (slant[1] in {"italic", "oblique"}) if slant else node.tag in {"i", "em"}:
        marks.append("em")
    if node.tag in {"sup", "sub"}:
        marks.append(node.tag)
    elif "vertical-align:super" in style:
        marks.append("sup")
    elif "vertical-align:sub" in style:
        marks.append("sub")
    return marks


def _is_list_marker(node) -> bool:
    # Word writes the bullet or number of a list paragraph in a span of mso-list:Ignore.
    return isinstance(node, _Element) and "mso-list:ignore" in _style(node)


def _is_word_list_item(node) -> bool:
    if not isinstance(node, _Element) or node.tag != "p":
        return False
    style = _style(node)
    return "msolistparagraph" in node.attrs.get("class", "").lower() or (
        "mso-list:" in style and "mso-list:none" not in style
    )


def _word_list_id(paragraph: _Element) -> str:
    # mso-list: l1 level1 lfo2: each of Word's lists has its own l-number.
    found = re.search(r"mso-list:(l\d+)", _style(paragraph))
    return found[1] if found else ""


def _text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _take_marker(node: _Element) -> str:
    """Remove the typed bullet or number of a Word list paragraph and return it."""
    for index, child in enumerate(node.children):
        if _is_list_marker(child):
            del node.children[index]
            return _text(child).replace("\xa0", " ").strip()
        if isinstance(child, _Element):
            found = _take_marker(child)
            if found:
                return found
    return ""


_NUMBERED = re.compile(r"^\(?[0-9]{1,3}[.)]|^\(?[a-zA-Z][.)]|^\(?[ivxlcIVXLC]{1,5}[.)]")


def _word_list(paragraphs: list[_Element]) -> _Element:
    """Nested lists from Word's list paragraphs, by their level (mso-list: l0 level2)."""
    root = None
    stack: list[tuple[int, _Element]] = []
    for paragraph in paragraphs:
        level = int(re.search(r"level(\d+)", _style(paragraph) + " level1")[1])
        kind = "ol" if _NUMBERED.match(_take_marker(paragraph)) else "ul"
        item = _Element("li", children=[_Element("p", children=paragraph.children)])
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack:
            root = _Element(kind)
            stack.append((level, root))
        elif level > stack[-1][0]:
            parent_list = stack[-1][1]
            if not parent_list.children:
                parent_list.children.append(_Element("li"))
            nested = _Element(kind)
            parent_list.children[-1].children.append(nested)
            stack.append((level, nested))
        stack[-1][1].children.append(item)
    return root


def _group_word_lists(nodes: list) -> list:
    """Runs of Word list paragraphs (blank text between them aside) as one list each."""
    grouped: list = []
    run: list[_Element] = []
    for node in nodes:
        if _is_word_list_item(node):
            if run and _word_list_id(node) != _word_list_id(run[0]):
                grouped.append(_word_list(run))
                run = []
            run.append(node)
        elif run and isinstance(node, str) and not node.strip():
            continue
        else:
            if run:
                grouped.append(_word_list(run))
                run = []
            grouped.append(node)
    if run:
        grouped.append(_word_list(run))
    return grouped


# --- writing it as the editor does ----------------------------------------------------


def _convert_all(nodes: list) -> list:
    converted = []
    for node in _group_word_lists(nodes):
        converted.extend(_convert(node))
    return converted


def _convert(node) -> list:
    if isinstance(node, str):
        return [node]
    tag = node.tag
    if tag == "br":
        return [_Element("br")]
    if tag == "img":
        return _image_link(node)
    if _is_list_marker(node):
        return []
    if tag == "a":
        children = _convert_all(node.children)
        href = node.attrs.get("href")
        if not href or _has_block(children):
            return children
        title = node.attrs.get("title", "").strip()  # the link dialog writes title=""
        return [_Element("a", {"href": href, **({"title": title} if title else {})}, children)]
    if tag in _HEADINGS:
        return [_Element(_HEADINGS[tag], children=_convert_all(node.children))]
    if tag == "pre":
        return [_Element("p", children=_pre_lines(_text(node)))]
    if tag in {"p", "figcaption", "caption", "dt", "dd"}:
        return [_Element("p", children=_convert_all(node.children))]
    if tag in _KEPT:
        kept = _KEPT_ATTRIBUTES.get(tag, set())
        attrs = {name: value for name, value in node.attrs.items() if name in kept}
        children = _convert_all(node.children)
        if tag != "table":
            return [_Element(tag, attrs, children)]
        # A table's caption (now a paragraph) goes before it: the editor's tables have none.
        captions = [child for child in children if getattr(child, "tag", None) == "p"]
        rows = [child for child in children if getattr(child, "tag", None) != "p"]
        return [*captions, _Element(tag, attrs, rows)]
    if tag == "tfoot":
        return [_Element("tbody", children=_convert_all(node.children))]
    children = _convert_all(node.children)
    if tag in _SECTIONS:
        return _paragraphs(children)
    if tag in {"span", "sub", "sup", *_TEXT_LEVEL}:
        if _has_block(children):
            return children  # a mark around paragraphs (Docs' outer <b>): its blocks stand
        for mark in reversed(_marks(node)):
            children = [_Element(mark, children=children)]
    return children  # figures, definition lists, links around blocks: their content stands


def _paragraphs(nodes: list) -> list:
    """A section's content as blocks: its loose text is a paragraph of its own, never glued
    to the text of the next section (`<div>One</div><div>Two</div>`)."""
    out: list = []
    loose: list = []
    for node in nodes:
        if isinstance(node, _Element) and node.tag in _BLOCKS:
            if loose:
                out.append(_Element("p", children=loose))
                loose = []
            out.append(node)
        else:
            loose.append(node)
    if loose:
        out.append(_Element("p", children=loose))
    return out


def _image_link(node: _Element) -> list:
    src = node.attrs.get("src", "")
    if urlsplit(src).scheme not in {"http", "https"}:
        return []
    name = node.attrs.get("alt", "").strip() or unquote(PurePosixPath(urlsplit(src).path).name)
    return [_Element("a", {"href": src}, [name or src])]


def _pre_lines(text: str) -> list:
    lines = text.strip("\n").split("\n")
    children: list = []
    for index, line in enumerate(lines):
        if index:
            children.append(_Element("br"))
        children.append(line)
    return children


def _has_block(nodes: list) -> bool:
    return any(isinstance(node, _Element) and node.tag in _BLOCKS for node in nodes)


def _is_blank(nodes: list) -> bool:
    """No text but spaces (Word's &nbsp; and <o:p>) and no link: an empty paragraph."""
    for node in nodes:
        if isinstance(node, str):
            if node.replace("\xa0", " ").strip():
                return False
        elif node.tag == "a" or not _is_blank(node.children):
            return False
    return True


def _flow(nodes: list, container: str | None) -> list:
    """The children of a block as the editor holds them: loose text of a document or a
    quotation in paragraphs, no empty paragraphs, whitespace between blocks dropped."""
    out: list = []
    loose: list = []

    def flush():
        if loose and not _is_blank(loose):
            if container in _FLOWS:
                out.append(_Element("p", children=list(loose)))
            else:
                out.extend(_inline(loose))
        loose.clear()

    for node in nodes:
        if isinstance(node, _Element) and node.tag in _BLOCKS:
            flush()
            block = _block(node)
            if block is not None:
                out.append(block)
        else:
            loose.append(node)
    flush()
    if container not in _FLOWS and out and not _has_block(out):
        return _inline(out)
    return out


def _block(node: _Element) -> _Element | None:
    if node.tag in {"p", "h2", "h3"}:
        children = _inline(node.children)
        return None if _is_blank(children) else _Element(node.tag, children=children)
    if node.tag in {"ul", "ol"}:
        node.children = [
            child if getattr(child, "tag", None) == "li" else _Element("li", children=[child])
            for child in node.children
            if not (isinstance(child, str) and not child.strip())
        ]
    elif node.tag in {"table", "thead", "tbody", "tr"}:
        node.children = [child for child in node.children if isinstance(child, _Element)]
    node.children = _flow(node.children, node.tag)
    return node if node.children or node.tag in {"li", "th", "td"} else None


def _inline(nodes: list) -> list:
    """Inline content of a block: no break opens or closes it, nor a space."""
    flat = _collapse(nodes)
    while flat and getattr(flat[0], "tag", None) == "br":
        flat.pop(0)
    while flat and getattr(flat[-1], "tag", None) == "br":
        flat.pop()
    if flat and isinstance(flat[0], str):
        flat[0] = flat[0].lstrip(" ")
    if flat and isinstance(flat[-1], str):
        flat[-1] = flat[-1].rstrip(" ")
    return [node for node in flat if node != ""]


def _collapse(nodes: list) -> list:
    """Runs of spaces and line ends as one space; blocks inside inline content (a stray list
    in a heading) flattened to their text."""
    flat: list = []
    for node in nodes:
        if isinstance(node, str):
            flat.append(re.sub(r"[ \t\r\n]+", " ", node))
        elif node.tag in _BLOCKS:
            flat.extend(_collapse(node.children))
        else:
            node.children = _collapse(node.children)
            flat.append(node)
    return flat


def _serialize(node) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    inner = "".join(_serialize(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
