"""Turning a `RawRelease` into a `CleanRelease`: pure functions, no ORM, no I/O.

Each step is its own function so it can be tested and fuzzed alone; `clean_release` runs
them in order: whitespace, sources, look-alike letters, signature, paragraphs, languages,
flags.

Why one module of this size: the steps are small and only `clean_release` orders them;
each is found here next to the ones it depends on.
"""

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from news.flags import Flag
from news.html import sanitize_html

from .language import detect_language
from .records import CleanRelease, ParseProblem, RawRelease

# Releases are dated where they are written (UTC+5, the zone database knows the past +6).
ALMATY = ZoneInfo("Asia/Almaty")
LANGUAGES = ("kk", "ru", "en")

# --- whitespace -----------------------------------------------------------------------

# Invisible characters that only break searching and matching: soft hyphen, zero-width
# spaces and joiners, word joiner, byte order mark, direction marks and embeddings.
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Control characters other than the ones `str.splitlines` reads as line breaks: a NUL
# alone makes PostgreSQL refuse the text.
_CONTROLS = "".join(
    chr(code)
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
    if chr(code) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85"
)
_DROP = re.compile(f"[{re.escape(_INVISIBLE + _CONTROLS)}]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_whitespace(text: str) -> str:
    """NFC, every kind of space as one plain space, invisible characters gone, lines stripped.

    Runs of blank lines become one blank line; quotes and dashes are left as written.
    """
    text = unicodedata.normalize("NFC", _DROP.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def _normalize_inline(text: str) -> str:
    # For text between HTML tags: the spaces at its ends separate it from its neighbours.
    text = unicodedata.normalize("NFC", _DROP.sub("", text))
    return re.sub(r"\s+", " ", _SPACES.sub(" ", text))


# --- look-alike letters ---------------------------------------------------------------

_CYRILLIC_TO_LATIN = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "һ": "h",
}  # fmt: skip
# Only towards letters Kazakh and Russian use: Latin S or J in a Cyrillic word is left, as
# Ѕ and Ј would not be right either; Y could be У or Ү, so it is left too.
_LATIN_TO_CYRILLIC = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "I": "І",
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "h": "һ",
}  # fmt: skip
_CYRILLIC_LOOKALIKES = frozenset(_CYRILLIC_TO_LATIN)
_LATIN_LOOKALIKES = frozenset(_LATIN_TO_CYRILLIC) | frozenset(_CYRILLIC_TO_LATIN.values())
_LETTERS = re.compile(r"[^\W\d_]+")
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HAS_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _is_latin(char: str) -> bool:
    return ("A" <= char <= "Z") or ("a" <= char <= "z") or ("\u00c0" <= char <= "\u024f")


def _repair_word(word: str) -> str:
    cyrillic = [index for index, char in enumerate(word) if _is_cyrillic(char)]
    latin = [index for index, char in enumerate(word) if _is_latin(char)]
    if not cyrillic or not latin:
        return word
    # A letter without a look-alike tells the word's script for sure; when both scripts
    # (or neither) have such a letter, the word really is mixed, or a code: leave it.
    latin_sure = any(word[index] not in _LATIN_LOOKALIKES for index in latin)
    cyrillic_sure = any(word[index] not in _CYRILLIC_LOOKALIKES for index in cyrillic)
    if latin_sure == cyrillic_sure:
        return word
    if latin_sure:
        majority, minority, table = latin, cyrillic, _CYRILLIC_TO_LATIN
    else:
        majority, minority, table = cyrillic, latin, _LATIN_TO_CYRILLIC
    if len(majority) <= len(minority) or any(word[index] not in table for index in minority):
        return word
    # A block of two or more at the end is an ending on a foreign name (`iKomekке`), not a
    # slip of the keyboard.
    if len(minority) > 1 and minority == list(range(len(word) - len(minority), len(word))):
        return word
    letters = list(word)
    for index in minority:
        letters[index] = table[letters[index]]
    return "".join(letters)


def repair_mixed_script(text: str) -> str:
    """Fix words that mix Latin and Cyrillic look-alikes (`Рreventive` -> `Preventive`)."""
    if not (_HAS_CYRILLIC.search(text) and _HAS_LATIN.search(text)):
        return text
    return _LETTERS.sub(lambda match: _repair_word(match[0]), text)


# --- paragraphs -----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…]+([”»’)\]\"]*)")
_OPENERS = '«“„"(['
_DIALOGUE_DASHES = "–—-"
# Words that end in a full stop before a name or a place, not before a new sentence; the
# first row are initials of Kazakh and Russian names spelled in Latin (`Zh. Tazhibaeva`).
_ABBREVIATIONS = frozenset(
    [
        *["zh", "sh", "ch", "kh", "ts", "yu", "ya", "ye", "yo"],
        *["mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "no", "nos", "vol", "art"],
        *["gen", "col", "lt", "capt", "sgt", "gov", "sen", "rep", "hon", "rev", "ph"],
        *["ул", "пр", "просп", "пер", "пл", "им", "обл", "акад", "проф", "ген", "полк", "св"],
        *["ст", "тов", "гр", "каз", "рус", "англ", "см", "напр", "көш", "даң", "ауд"],
    ]
)
# Top-level domains that, written in capitals after a capitalised name, make an address
# (`RANDOM.ORG`), not a sentence end.
_TLDS = frozenset(
    ["com", "org", "net", "gov", "edu", "int", "info", "biz", "io", "kz", "ru", "uk", "us"]
)
# From the start of a token only (see `language._URL`): linear on long runs without spaces.
_ADDRESS = re.compile(r"(?<!\S)\S*?(?:://|www\.|@)\S*", re.IGNORECASE)
_ADDRESS_MARK = re.compile(r"://|www\.|@", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def _letters_before(line: str, end: int) -> str:
    start = end
    while start > 0 and line[start - 1].isalpha():
        start -= 1
    return line[start:end]


def _starts_sentence(line: str, position: int) -> bool:
    if line[position] in _DIALOGUE_DASHES:
        return position + 1 < len(line) and line[position + 1].isspace()
    while position < len(line) and line[position] in _OPENERS:
        position += 1
    return position < len(line) and line[position].isupper()


def _in_address(line: str, stop: int, after: int, addresses: list[tuple[int, int]]) -> bool:
    index = bisect_right(addresses, (stop, len(line))) - 1
    if index >= 0 and addresses[index][0] <= stop < addresses[index][1]:
        return True
    before = _letters_before(line, stop)
    label = _WORD.match(line, after)
    return bool(
        before.isupper()
        and label
        and label[0].isupper()
        and label[0].casefold() in _TLDS
        and not line[after + len(label[0]) : after + len(label[0]) + 1].isalnum()
    )


def _is_abbreviation(line: str, stop: int) -> bool:
    word = _letters_before(line, stop)
    if len(word) == 1 or word.casefold() in _ABBREVIATIONS:
        return True
    if word:
        return False
    # A short number alone before the stop numbers a list item (`1.Introduction`).
    start = stop
    while start > 0 and line[start - 1].isdigit():
        start -= 1
    return 1 <= stop - start <= 2 and (start == 0 or line[start - 1].isspace())


def _cut(
    line: str, match: re.Match, quote_open: bool, addresses: list[tuple[int, int]]
) -> int | None:
    """Where a new paragraph starts after this sentence end, or None to keep going."""
    after = match.end()
    quote = match[1].find('"')
    if quote != -1 and not quote_open:
        # No straight quote is open in this paragraph, so this one opens the next sentence.
        after = match.start(1) + quote
    if after >= len(line) or not _starts_sentence(line, after):
        return None
    stop = match.start()
    if _in_address(line, stop, after, addresses):
        return None
    if line[stop:after].rstrip(_OPENERS + "”»’)]") == "." and _is_abbreviation(line, stop):
        return None
    return after


def _split_glued(line: str) -> list[str]:
    pieces: list[str] = []
    start = counted = quotes = 0
    addresses = (
        [found.span() for found in _ADDRESS.finditer(line)] if _ADDRESS_MARK.search(line) else []
    )
    for match in _SENTENCE_END.finditer(line):
        quotes += line.count('"', counted, match.start(1))
        counted = match.start(1)
        cut = _cut(line, match, quotes % 2 == 1, addresses)
        if cut is not None and cut > start:
            pieces.append(line[start:cut])
            start = counted = cut
            quotes = 0
    pieces.append(line[start:])
    return pieces


def restore_paragraphs(text: str) -> list[str]:
    """Paragraphs from text whose breaks were lost: existing lines, and glued sentence ends.

    A sentence end (`.`, `!`, `?`, `…`, with closing quotes) followed with no space by a
    capital or a dialogue dash starts a new paragraph, except after initials and
    abbreviations (`D.C.`, `J.Trump`, `г.Астана`) and inside addresses (`www.gov.kz`).
    """
    paragraphs: list[str] = []
    for line in text.splitlines():
        paragraphs.extend(piece.strip() for piece in _split_glued(line))
    return [paragraph for paragraph in paragraphs if paragraph]


# --- sources --------------------------------------------------------------------------

_SOURCE_LABEL = r"(?:source|источник|дереккөз)"
_SOURCE = re.compile(
    rf"(?P<label>{_SOURCE_LABEL})[ \t]*:[ \t]*"
    # An address ends at a space, or where the next source is glued to it.
    rf"(?P<url>(?:https?://|www\.)(?:(?!{_SOURCE_LABEL}[ \t]*:[ \t]*(?:https?://|www\.))\S)+)",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?»”’\"'"
_OPENING = {")": "(", "]": "["}


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        # A closing bracket is the URL's own when it closes one opened in it (`Astana_(city)`).
        unbalanced = last in _OPENING and url.count(_OPENING[last]) < url.count(last)
        if last not in _TRAILING_PUNCTUATION and not unbalanced:
            break
        url = url[:-1]
    return url


def split_sources(text: str) -> tuple[str, list[str]]:
    """Take out `Source: <url>` (also Источник, Дереккөз) lines; the text and the URLs in order.

    Sources may sit anywhere and be glued to the text or to each other
    (`…/kostanae/Source : https://…`); the URLs are deduplicated.
    """
    urls: list[str] = []
    pieces: list[str] = []
    position = 0
    for match in _SOURCE.finditer(text):
        start = match.start()
        label = match["label"]
        glued_to_source = start == position and bool(urls)
        if label[0].islower() and start > 0 and text[start - 1].isalpha() and not glued_to_source:
            continue  # `resource: http://…` is a word, not a label.
        url = _trim_url(match["url"])
        if not re.search(r"[^\W_]\.[^\W_]", url):
            continue  # `Source: https://` with nothing after it names no address.
        # What is glued to the address up to the next space goes with it (`url).`, `url»,`).
        end = match.end()
        if start > 0 and text[start - 1] == "(" and ")" in match["url"][len(url) :]:
            start -= 1
        if start > 0 and text[start - 1] in " \t":
            # The space before stays to separate what was on either side; drop the one after.
            while end < len(text) and text[end] in " \t":
                end += 1
        urls.append(url)
        pieces.append(text[position:start])
        glued = start > 0 and not text[start - 1].isspace()
        pieces.append(" " if glued and end < len(text) and not text[end].isspace() else "")
        position = end
    if not urls:
        return text, []
    pieces.append(text[position:])
    cleaned = re.sub(r"[ \t]+(?=\n|$)", "", "".join(pieces))
    return cleaned.strip(), list(dict.fromkeys(urls))


# --- gov.kz addresses -----------------------------------------------------------------

GOVKZ_HOSTS = frozenset({"gov.kz", "www.gov.kz"})
_GOVKZ_PATH = re.compile(
    r"/memleket/entities/(?P<slug>[A-Za-z0-9][A-Za-z0-9_.-]{0,99})"
    r"/press/news/details/(?P<id>[A-Za-z0-9_-]{1,64})/?"
)


@dataclass(frozen=True, slots=True)
class GovkzRef:
    """What a gov.kz news address tells: the agency's slug, the release id and the language."""

    slug: str
    news_id: str
    lang: str

    @property
    def url(self) -> str:
        """The canonical address: https, www.gov.kz, only the `lang` parameter."""
        base = f"https://www.gov.kz/memleket/entities/{self.slug}/press/news/details/{self.news_id}"
        return f"{base}?lang={self.lang}" if self.lang else base


def parse_govkz_url(url: str) -> GovkzRef | None:
    """The gov.kz news release an address points to, or None for any other address."""
    url = url.strip()
    if "://" not in url:
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in GOVKZ_HOSTS:
        return None
    found = _GOVKZ_PATH.fullmatch(parts.path)
    if not found:
        return None
    lang = parse_qs(parts.query).get("lang", [""])[0].strip().lower()
    return GovkzRef(
        slug=found["slug"].lower(),
        news_id=found["id"],
        lang=lang if re.fullmatch(r"[a-z]{2}", lang) else "",
    )


def _canonical_or_self(url: str) -> str:
    ref = parse_govkz_url(url)
    return ref.url if ref else url


def _with_scheme(url: str) -> str:
    # `www.…` from a text would be a relative link on the site.
    return f"https://{url}" if url[:4].lower() == "www." else url


def canonical_source(urls: list[str]) -> tuple[str, list[str]]:
    """(canonical URL, all URLs with it first): the first gov.kz release address, normalized,
    else the first URL, else ""."""
    unique = list(dict.fromkeys(_with_scheme(url) for url in urls if url))
    for url in unique:
        ref = parse_govkz_url(url)
        if ref is not None:
            canonical = ref.url
            rest = [other for other in unique if _canonical_or_self(other) != canonical]
            return canonical, [canonical, *rest]
    return (unique[0] if unique else ""), unique


# --- signature ------------------------------------------------------------------------

# The text of a signature: no sentence ends, but single-letter abbreviations (`г.`, `U.S.`).
_SIGNATURE_TEXT = r"(?:[^.!?…\n]|(?<![^\W\d_])[^\W\d_]\.)"
_SIGNATURE = re.compile(
    rf"(?:^|(?<=[.!?…”»\")]))[ \t]*(?P<signature>"
    rf"(?i:press[ \t-]+service)[ \t]+of[ \t]{_SIGNATURE_TEXT}{{3,150}}?"
    rf"|(?i:пресс-служба){_SIGNATURE_TEXT}{{0,150}}?"
    rf"|[^\W\d_]{_SIGNATURE_TEXT}{{0,150}}?(?i:баспасөз[ \t]+қызметі)"
    rf")[ \t]*\.?[ \t]*\Z",
    re.MULTILINE,
)
_SIGNATURE_WINDOW = 400


def split_signature(text: str) -> tuple[str, str]:
    """(body, attribution): a press service's signature that ends the text, moved out of it.

    Only a whole last line or last sentence counts: `… potential. Press service of the
    Akim of Shymkent`, `Пресс-служба акимата …`, `… баспасөз қызметі`.
    """
    stripped = text.rstrip()
    # A signature is short: searching only the end keeps a huge last line cheap. `^` and the
    # look-behind still see the real text before the window.
    found = _SIGNATURE.search(stripped, max(0, len(stripped) - _SIGNATURE_WINDOW))
    if not found:
        return text, ""
    return stripped[: found.start()].rstrip(), found["signature"].strip()


# --- titles ---------------------------------------------------------------------------

TITLE_EMPTY = "empty"
TITLE_STARTS_MID_WORD = "starts_mid_word"
TITLE_WHOLE_SENTENCE = "whole_sentence"
TITLE_ALL_CAPS = "all_caps"
TITLE_PROBLEM_MESSAGES = {
    TITLE_EMPTY: "The release has no title.",
    TITLE_STARTS_MID_WORD: "The title starts with a small letter, as if its start was cut off.",
    TITLE_WHOLE_SENTENCE: "The title is a whole sentence, probably the first one of the text.",
    TITLE_ALL_CAPS: "The title is written in capitals only.",
}
WHOLE_SENTENCE_WORDS = 15
ALL_CAPS_LETTERS = 8


def title_problems(title: str) -> list[str]:
    """Why a title looks wrong, as codes from TITLE_PROBLEM_MESSAGES; empty when it looks fine."""
    title = " ".join(title.split())
    letters = [char for char in title if char.isalpha()]
    if not letters:
        return [TITLE_EMPTY]
    problems = []
    first_word = title.split(" ", 1)[0]
    # `eGov` and `iKomek` are names written so; `oday, on …` lost its first letter.
    if title[0].islower() and not any(char.isupper() for char in first_word):
        problems.append(TITLE_STARTS_MID_WORD)
    ends_with_stop = title.endswith(".") and not title.endswith("..")
    if (
        ends_with_stop
        and len(title.split()) >= WHOLE_SENTENCE_WORDS
        and any(mark in title for mark in ",;:")
    ):
        problems.append(TITLE_WHOLE_SENTENCE)
    cased = [char for char in letters if char.isupper() or char.islower()]
    if len(cased) >= ALL_CAPS_LETTERS and all(char.isupper() for char in cased):
        problems.append(TITLE_ALL_CAPS)
    return problems


def is_suspect_title(title: str) -> bool:
    """Whether an editor should look at this title: empty, cut, a sentence or all capitals."""
    return bool(title_problems(title))


# --- the whole step -------------------------------------------------------------------

_HTML_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
# An article's body is at most this long, markup included: a longer one is cut and flagged,
# and the service keeps the whole release with its import run.
MAX_BODY_CHARS = 200_000
_PARTIAL_TAG = re.compile(r"<[^>]*\Z")
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)


def _clean_text_body(body: str) -> tuple[str, str, str, list[str]]:
    """(body HTML, its plain text, attribution, source URLs) of a plain-text body."""
    body, urls = split_sources(normalize_whitespace(body))
    body, attribution = split_signature(repair_mixed_script(body))
    paragraphs = restore_paragraphs(body)
    body_html = "\n".join(
        f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs
    )
    return body_html, "\n".join(paragraphs), attribution, urls


def _clean_html_body(body: str) -> tuple[str, str, str, list[str]]:
    """The same for an HTML body: its structure kept, only the text between tags cleaned."""
    parts = _HTML_TAG.split(sanitize_html(body))
    urls: list[str] = []
    in_pre = 0
    last_text = None
    for index in range(0, len(parts), 2):
        text = html.unescape(parts[index])
        if not in_pre:
            text = _normalize_inline(text)
        if "://" in text or "www." in text:
            # split_sources strips; the spaces at the ends separate this text from its tags.
            inner, found = split_sources(text)
            if found:
                lead = text[: len(text) - len(text.lstrip())]
                trail = text[len(text.rstrip()) :]
                text = f"{lead}{inner}{trail}" if inner else lead or trail
                urls.extend(found)
        parts[index] = repair_mixed_script(text)
        if parts[index].strip():
            last_text = index
        if index + 1 < len(parts):
            tag = parts[index + 1].lower()
            in_pre += tag.startswith("<pre") - tag.startswith("</pre")
    attribution = ""
    if last_text is not None:
        rest, attribution = split_signature(parts[last_text])
        if attribution:
            parts[last_text] = rest
    plain = " ".join(parts[index] for index in range(0, len(parts), 2))
    for index in range(0, len(parts), 2):
        parts[index] = html.escape(parts[index], quote=False)
    body_html = _EMPTY_PARAGRAPH.sub("", "".join(parts))
    return body_html, " ".join(plain.split()), attribution, list(dict.fromkeys(urls))


def cut_body(body_html: str) -> str:
    """The body within MAX_BODY_CHARS: up to the last paragraph that ends within it, or,
    without one, the characters that fit, with the tags left open closed."""
    cut = body_html[:MAX_BODY_CHARS]
    paragraph_end = cut.rfind("</p>")
    cut = cut[: paragraph_end + len("</p>")] if paragraph_end > 0 else _PARTIAL_TAG.sub("", cut)
    return sanitize_html(cut).strip()


def _language_code(hint: str) -> str:
    code = hint.strip().lower()[:2]
    code = "kk" if code == "kz" else code
    return code if code in LANGUAGES else ""


def _release_date(raw: RawRelease) -> date | None:
    if raw.release_date is not None:
        return raw.release_date
    if isinstance(raw.published_at, datetime):
        moment = raw.published_at
        return (moment.astimezone(ALMATY) if moment.tzinfo else moment).date()
    return None


def clean_release(raw: RawRelease) -> CleanRelease:
    """The whole normalizing step for one release; never touches the database."""
    title = repair_mixed_script(" ".join(normalize_whitespace(raw.title).split()))
    if raw.body_is_html:
        body_html, body_text, attribution, body_urls = _clean_html_body(raw.body)
    else:
        body_html, body_text, attribution, body_urls = _clean_text_body(raw.body)
    problems = list(raw.problems)
    if len(body_html) > MAX_BODY_CHARS:
        problems.append(
            ParseProblem(
                Flag.BODY_TRUNCATED,
                f"The body was {len(body_html):,} characters long and was cut to "
                f"{MAX_BODY_CHARS:,}; the whole release is kept with the import run.",
            )
        )
        body_html = cut_body(body_html)
    else:
        # The one sanitizing of what is saved (cut_body does it for a cut body): saving
        # hashes this body as it is, and the model field's own pass leaves it unchanged.
        body_html = sanitize_html(body_html).strip()
    item_url = raw.url.strip()
    if item_url and not _WEB_ADDRESS.fullmatch(item_url):
        # It becomes a link on the site: only a web address may, never `javascript:`.
        problems.append(
            ParseProblem("url_unusable", f"The address “{item_url[:80]}” is not a web address.")
        )
        item_url = ""
    source_url, sources = canonical_source([item_url, *body_urls])
    ref = parse_govkz_url(source_url) if source_url else None

    title_language = detect_language(title)
    body_language = detect_language(body_text)
    language = body_language or title_language or _language_code(raw.language_hint)
    release_date = _release_date(raw)

    flags: set[str] = set()
    if not any(char.isalnum() for char in body_text):
        flags.add(Flag.EMPTY_BODY)
    if title_language and body_language and title_language != body_language:
        flags.add(Flag.LANGUAGE_MISMATCH)
    for code in title_problems(title):
        flags.add(Flag.SUSPECT_TITLE)
        problems.append(ParseProblem(f"title_{code}", TITLE_PROBLEM_MESSAGES[code]))
    if release_date is None:
        flags.add(Flag.DATE_MISSING)
    if any(problem.code == Flag.BODY_TRUNCATED for problem in problems):
        flags.add(Flag.BODY_TRUNCATED)

    return CleanRelease(
        item=raw.item,
        raw=raw.raw,
        title=title,
        body_html=body_html,
        release_date=release_date,
        published_at=raw.published_at,
        source_url=source_url,
        sources=sources,
        attribution=attribution,
        external_id=ref.news_id if ref else raw.external_id,
        agency_slug=ref.slug if ref else raw.agency_hint,
        title_language=title_language,
        body_language=body_language,
        language=language,
        tags=tuple(raw.tags),
        image_urls=tuple(raw.image_urls),
        flags=flags,
        problems=problems,
    )
