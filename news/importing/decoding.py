"""Bytes of a text file to text: the encodings press offices actually send, and refusals.

Files come as UTF-8 (with or without a byte order mark), UTF-16 from Windows tools, or
in an old single-byte code page: Windows-1251, KOI8-R from older mail systems, KZ-1048
(the Windows code page with the Kazakh letters), or Windows-1252 for English with accents.
Which one it is can only be judged from the text it produces, so each is tried and the one
that reads most like Kazakh or Russian wins. Line ends become LF; nothing else changes.

A code page judged that way may be wrong, and bytes no encoding reads become “�”: the
`Decoding` of a file says so, and the releases whose text it touched carry a problem.
"""

import codecs
import io
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .records import ParsedItem, ParseProblem, RawRelease, UnusableInput

# Enough text to judge the encoding and to tell text from binary.
SAMPLE_BYTES = 64 * 1024

BYTE_ORDER_MARKS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Files that are not text but often reach a newsroom by mistake, by their first bytes.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or a Word/Excel document (.docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel document (.doc, .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)

# A text may carry a stray control character; binary data carries many (about one in ten
# random bytes is one).
_MAX_SUSPICIOUS_SHARE = 0.05
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Bytes that cannot be UTF-8 may still be a few damaged characters in a UTF-8 file; when
# nine of ten non-ASCII characters are valid UTF-8 the file is UTF-8, since Cyrillic code
# pages almost never form valid UTF-8 sequences by chance.
_MIN_VALID_UTF8_SHARE = 0.9
_NEWLINES = re.compile(r"\r\n?")

# Windows-1251 first: when the code pages read the same (Russian text, where KZ-1048 and
# Windows-1251 agree), it is the one offices use.
_CODE_PAGES = ("cp1251", "kz1048", "koi8_r")
# A code page other than Windows-1251 is chosen only when it reads clearly better: by more
# than this (natural log of likelihood) per Cyrillic letter, and in total.
_CLEAR_MARGIN_PER_LETTER = 0.3
_CLEAR_MARGIN_TOTAL = 3.0

# How often each letter occurs in Russian and Kazakh news text (per cent, lower case);
# the Kazakh letters at their usual share in Kazakh text.
_LETTER_PERCENT = {
    "о": 10.0, "е": 8.0, "а": 8.5, "и": 6.5, "н": 6.7, "т": 6.0, "с": 5.3, "р": 4.7,
    "в": 4.3, "л": 4.4, "к": 3.6, "м": 3.2, "д": 3.0, "п": 2.6, "у": 2.6, "я": 1.9,
    "ы": 2.2, "ь": 1.6, "г": 1.6, "з": 1.7, "б": 1.6, "ч": 1.3, "й": 1.2, "х": 0.9,
    "ж": 1.0, "ш": 0.8, "ю": 0.6, "ц": 0.5, "щ": 0.3, "э": 0.3, "ф": 0.3, "ъ": 0.04,
    "ё": 0.1, "і": 2.5, "ә": 1.5, "қ": 2.0, "ғ": 0.8, "ң": 1.0, "ө": 0.8, "ұ": 0.8,
    "ү": 0.8, "һ": 0.02,
}  # fmt: skip
_LOG_P = {letter: math.log(percent / 100) for letter, percent in _LETTER_PERCENT.items()}
# Cyrillic letters of other languages, and the symbols a wrong code page produces
# (box drawing, mathematics, rare marks) count as very unlikely.
_LOG_P_UNLIKELY = math.log(0.00005)
# An upper-case letter right after a lower-case one inside a word ("пРИВЕТ") is how
# KOI8-R read as Windows-1251 looks, and the other way round.
_LOG_P_CASE_BREAK = math.log(0.005)
# Accented Latin letters read as Windows-1251 turn into Cyrillic letters inside Latin words;
# Russian and Kazakh words are all Cyrillic.
_MAX_INSIDE_LATIN_SHARE = 0.5
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
# Kazakh and Russian text averages about -3.1 per letter under the table above; text in
# another alphabet read as Cyrillic (Hebrew, Thai, Chinese) -3.8 and below.
_MIN_LOG_P_PER_LETTER = -3.6
_MIN_LETTERS_TO_JUDGE = 20
_UNLIKELY_SYMBOLS = frozenset("‚„†‡‰‹›™¤¦¶µ±¬®⌠⌡■∙√≈≤≥²÷") | frozenset(
    chr(code) for code in range(0x2500, 0x25A0)
)


_CODE_PAGE_NAMES = {
    "cp1251": "Windows-1251",
    "kz1048": "KZ-1048 (Kazakh Windows)",
    "koi8_r": "KOI8-R",
    "cp1252": "Windows-1252 (Western)",
}


@dataclass(slots=True)
class Decoding:
    """What was judged in reading a file's bytes as text, for an editor to check."""

    # The code page chosen by how its letters read, for a file that neither names its
    # encoding (a byte order mark) nor is UTF-8; "" when nothing was guessed.
    code_page: str = ""

    def problems(self, text: str) -> list[ParseProblem]:
        """What decoding may have got wrong in `text`, a part of the file."""
        problems = []
        # ASCII reads alike in every code page: only other characters can be wrong.
        if self.code_page and not text.isascii():
            name = _CODE_PAGE_NAMES.get(self.code_page, self.code_page)
            problems.append(
                ParseProblem(
                    "encoding_guessed",
                    "The file is not UTF-8 and does not say its character encoding; it was "
                    f"read as {name}, judged from its letters, so check that the letters are "
                    "right.",
                )
            )
        if "\ufffd" in text:
            problems.append(
                ParseProblem(
                    "characters_replaced",
                    "Some characters could not be read and show as “\ufffd”; compare the text "
                    "with the source.",
                )
            )
        return problems


class DecodedLines:
    """The lines of a file as they are decoded, and how they were read so far."""

    def __init__(self, lines: Iterator[str], decoding: Decoding):
        self._lines = lines
        self.decoding = decoding

    def __iter__(self) -> Iterator[str]:
        return self._lines


def decode_text(data: bytes) -> str:
    """The text of a file, with LF line ends; raises UnusableInput when it is empty or binary."""
    return read_text(data)[0]


def read_text(data: bytes) -> tuple[str, Decoding]:
    """The text of a file as `decode_text` gives it, and what was judged in reading it."""
    _refuse_known_binary(data)
    encoding = _bom_encoding(data) or _unmarked_encoding(data)
    text, lossy = _decode(data, encoding)
    _refuse_unusable(text, lossy=lossy)
    return _NEWLINES.sub("\n", text), Decoding(code_page=_guessed(encoding))


@contextmanager
def open_text_stream(path: Path) -> Iterator[DecodedLines]:
    """The lines of a text file (without line ends), decoded lazily as `decode_text` would.

    The encoding is judged, and UnusableInput raised, from the start of the file, so a
    large file is never read whole. A code page first needed further on is judged there,
    and the lines' `decoding` says so from then on.
    """
    with open(path, "rb") as handle:
        encoding, code_page = _judge_stream(handle)
        handle.seek(0)
        decoding = Decoding(code_page=_guessed(code_page))
        if encoding:
            text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline=None)
            yield DecodedLines((line.removesuffix("\n") for line in text), decoding)
        else:
            yield DecodedLines(_unmarked_lines(handle, decoding), decoding)


def with_decoding_problems(items: Iterable[ParsedItem], decoding: Decoding) -> Iterator[ParsedItem]:
    """The items, each release carrying what decoding may have got wrong in its text.

    `decoding` is read as each item arrives, so a stream's late judgement reaches the
    releases read after it.
    """
    for item in items:
        if isinstance(item, RawRelease):
            item.problems.extend(decoding.problems(item.raw))
        yield item


def _guessed(encoding: str) -> str:
    return encoding if encoding in _CODE_PAGE_NAMES else ""


def _refuse_known_binary(data: bytes) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise _binary(kind)


def _bom_encoding(data: bytes) -> str:
    for bom, encoding in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            return encoding
    return ""


def _unmarked_encoding(data: bytes, *, final: bool = True) -> str:
    return "utf-8" if _is_utf8(data, final=final) else best_code_page(data)


def _decode(data: bytes, encoding: str, *, final: bool = True) -> tuple[str, bool]:
    """(the text, whether bytes that the encoding cannot read were replaced)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        return decoder.decode(data, final=final), False
    except UnicodeDecodeError:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        return decoder.decode(data, final=final), True


def _binary(kind: str = "") -> UnusableInput:
    what = f"it looks like {kind}" if kind else "it has control characters or bytes no text has"
    return UnusableInput(
        f"The file is binary, not text ({what}). Save the releases as plain text, "
        "an RSS or Atom feed, or gov.kz JSON, and import that.",
        code="binary",
    )


def _refuse_unusable(text: str, *, lossy: bool) -> None:
    if not text.strip():
        raise UnusableInput("The file is empty: it has no text to import.", code="empty")
    # No text has NUL (and PostgreSQL refuses to store it); binary data has many. A
    # replacement character counts only where decoding put it: a text may quote one.
    suspicious = len(_CONTROLS.findall(text)) + (text.count("\ufffd") if lossy else 0)
    if "\x00" in text or suspicious > _MAX_SUSPICIOUS_SHARE * len(text):
        raise _binary()


def _is_utf8(data: bytes, *, final: bool = True) -> bool:
    """Whether the bytes are UTF-8, allowing a few damaged characters among many good ones."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        escaped = data.decode("utf-8", errors="surrogateescape")
        invalid = sum(1 for char in escaped if "\udc80" <= char <= "\udcff")
        valid = sum(1 for char in escaped if char > "\x7f") - invalid
        return valid >= _MIN_VALID_UTF8_SHARE * (valid + invalid)
    return True


def best_code_page(data: bytes) -> str:
    """The single-byte code page whose Cyrillic reads most like Kazakh or Russian, or
    Windows-1252 when the "Cyrillic" letters sit inside Latin words (accented letters)."""
    default, *others = _CODE_PAGES
    default_text = data.decode(default, errors="replace")
    default_score, letters = _cyrillic_likelihood(default_text)
    if letters and _inside_latin_words(default_text) > _MAX_INSIDE_LATIN_SHARE * letters:
        return "cp1252"
    best, best_score = default, default_score
    for code_page in others:
        score, _ = _cyrillic_likelihood(data.decode(code_page, errors="replace"))
        gain = score - default_score
        clearly = gain > _CLEAR_MARGIN_TOTAL and gain > _CLEAR_MARGIN_PER_LETTER * letters
        if clearly and score > best_score:
            best, best_score = code_page, score
    return best


def cyrillic_code_page(data: bytes) -> str:
    """The code page in which bytes that are not UTF-8 read as Kazakh or Russian text, or ""
    when they read as nothing of the kind (Western, Asian or no text)."""
    code_page = best_code_page(data)
    if code_page not in _CODE_PAGES:
        return ""
    score, letters = _cyrillic_likelihood(data.decode(code_page, errors="replace"))
    if letters >= _MIN_LETTERS_TO_JUDGE and score >= _MIN_LOG_P_PER_LETTER * letters:
        return code_page
    return ""


def _inside_latin_words(text: str) -> int:
    """How many Cyrillic letters are in words that also have Latin letters ("Genиve")."""
    count = 0
    for word in _WORD.findall(text):
        if not word.isascii() and _LATIN_LETTER.search(word):
            count += len(_CYRILLIC_LETTER.findall(word))
    return count


def _cyrillic_likelihood(text: str) -> tuple[float, int]:
    """(log likelihood of the non-ASCII text as Kazakh/Russian, number of Cyrillic letters)."""
    total = 0.0
    letters = 0
    previous_lower = False
    for char in text:
        if char < "\x80":
            previous_lower = False
            continue
        if "\u0400" <= char <= "\u04ff":
            letters += 1
            lower = char.lower()
            total += _LOG_P.get(lower, _LOG_P_UNLIKELY)
            if previous_lower and char != lower:
                total += _LOG_P_CASE_BREAK
            previous_lower = char == lower
            continue
        previous_lower = False
        if char in _UNLIKELY_SYMBOLS or char == "\ufffd":
            total += _LOG_P_UNLIKELY
    return total, letters


def _judge_stream(handle) -> tuple[str, str]:
    """(encoding of a file with a byte order mark, or "" and the code page for the lines that
    are not UTF-8: "" too when the start of the file does not show it)."""
    sample = handle.read(SAMPLE_BYTES)
    _refuse_known_binary(sample)
    # The sample may end inside a character: only a whole file's end must be complete.
    final = len(sample) < SAMPLE_BYTES
    encoding = _bom_encoding(sample)
    code_page = ""
    if not encoding:
        code_page = _unmarked_encoding(sample, final=final)
    text, lossy = _decode(sample, encoding or code_page, final=final)
    # A blank start of a long file makes it empty only if nothing but blanks follows.
    if text.strip() or final or not _more_than_blanks(handle):
        _refuse_unusable(text, lossy=lossy)
    return encoding, "" if code_page == "utf-8" else code_page


def _more_than_blanks(handle) -> bool:
    # NUL counts as blank because in UTF-16 and UTF-32 every blank has them.
    while chunk := handle.read(SAMPLE_BYTES):
        if chunk.strip(b" \t\r\n\x0b\x0c\x00"):
            return True
    return False


def _unmarked_lines(handle, decoding: Decoding) -> Iterator[str]:
    for raw_line in handle:
        if _is_utf8(raw_line):
            line = raw_line.decode("utf-8", errors="replace")
        else:
            # Judged once, at the first line that needs it, so all lines read alike.
            decoding.code_page = decoding.code_page or best_code_page(raw_line)
            line = raw_line.decode(decoding.code_page, errors="replace")
        if line.endswith("\n"):
            line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
        # Lone CRs end lines too (old Mac files), as in `decode_text`.
        yield from line.split("\r")
