"""Reading raw input: bytes to text in the encodings offices send, and which format a file is."""

import codecs
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from news.importing.decoding import (
    SAMPLE_BYTES,
    Decoding,
    decode_text,
    open_text_stream,
    read_text,
    with_decoding_problems,
)
from news.importing.formats import FORMATS, detect_format
from news.importing.records import ItemError, RawRelease, UnusableInput

from ..shared import SAMPLE_DIGEST, shared_path

RUSSIAN = (
    "Аким области провёл встречу с жителями села.\n"
    # KOI8-R has no guillemets or long dashes.
    'Обсуждались ремонт дорог, отопление школ и "зелёный" тариф - всё по плану.'
)
KAZAKH = "Әкімдік өңірдегі мектептер құрылысын жалғастырады. Ұлттық қор үшін жұмыс жүргізілді."
ENGLISH_ACCENTED = "The delegation met José Pérez in Genève; the café opened in Zürich."


@pytest.mark.parametrize(
    "data",
    [
        RUSSIAN.encode("utf-8"),
        codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"),
        RUSSIAN.encode("utf-16"),
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"),
        RUSSIAN.encode("utf-32"),
        RUSSIAN.encode("cp1251"),
        RUSSIAN.encode("koi8_r"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be", "utf16-le", "utf32", "cp1251", "koi8-r"],
)
def test_russian_text_reads_the_same_in_every_encoding(data):
    assert decode_text(data) == RUSSIAN


def test_kazakh_letters_in_the_kazakh_windows_code_page():
    assert decode_text(KAZAKH.encode("kz1048")) == KAZAKH


def test_english_with_accents_in_the_western_windows_code_page():
    assert decode_text(ENGLISH_ACCENTED.encode("cp1252")) == ENGLISH_ACCENTED


def test_koi8_r_is_chosen_only_when_it_clearly_fits():
    # Two letters say almost nothing; Windows-1251 is the office default.
    assert decode_text("да".encode("cp1251")) == "да"
    assert decode_text("Привет".encode("koi8_r")) == "Привет"


def test_a_damaged_character_does_not_turn_utf8_into_a_code_page():
    data = (RUSSIAN + " Ясно").encode("utf-8")[:-1]  # cut inside the last letter
    assert decode_text(data) == RUSSIAN + " Ясн\ufffd"


# --- what decoding had to judge, for the editor ----------------------------------------


@pytest.mark.parametrize(
    ("data", "code_page"),
    [
        (RUSSIAN.encode("utf-8"), ""),
        (codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"), ""),
        (RUSSIAN.encode("utf-16"), ""),
        (RUSSIAN.encode("cp1251"), "cp1251"),
        (RUSSIAN.encode("koi8_r"), "koi8_r"),
        (KAZAKH.encode("kz1048"), "kz1048"),
        (ENGLISH_ACCENTED.encode("cp1252"), "cp1252"),
    ],
)
def test_a_code_page_judged_from_the_letters_is_said(data, code_page):
    text, decoding = read_text(data)
    assert text == decode_text(data)
    assert decoding.code_page == code_page


def test_utf8_broken_beyond_repair_is_read_in_a_code_page_and_said_so():
    # Half the file is UTF-8, half Windows-1251, as when two exports are pasted together.
    data = RUSSIAN.encode("utf-8") + b"\n" + RUSSIAN.encode("cp1251")
    text, decoding = read_text(data)
    assert decoding.code_page  # which one matters less than that it was a guess
    assert "Аким области" not in text.split("\n")[0]  # the UTF-8 half is mojibake
    assert decoding.problems(text)[0].code == "encoding_guessed"


@pytest.mark.parametrize(
    ("code_page", "name"),
    [("cp1251", "Windows-1251"), ("kz1048", "KZ-1048"), ("koi8_r", "KOI8-R")],
)
def test_text_read_in_a_guessed_code_page_is_a_problem_naming_it(code_page, name):
    [problem] = Decoding(code_page=code_page).problems("Аким встретился с фермерами")
    assert problem.code == "encoding_guessed"
    assert name in problem.message


def test_text_a_code_page_cannot_have_changed_is_no_problem():
    assert Decoding(code_page="cp1251").problems("Akim met farmers 05.03.2026") == []
    assert Decoding().problems("Аким встретился с фермерами") == []


def test_characters_that_could_not_be_read_are_a_problem_whatever_the_encoding():
    text, decoding = read_text((RUSSIAN + " Ясно").encode("utf-8")[:-1])
    assert decoding.code_page == ""
    [problem] = decoding.problems(text)
    assert problem.code == "characters_replaced"
    assert "�" in problem.message


def test_decoding_problems_go_to_the_releases_whose_text_has_them():
    damaged = RawRelease(item="line 1", raw="Ясн\ufffd\nТекст", title="Ясн\ufffd", body="Текст")
    english = RawRelease(item="line 3", raw="Roads\nRepaired.", title="Roads", body="Repaired.")
    orphan = ItemError(item="line 5", raw="Жол", code="orphan_text", message="Set aside.")
    items = list(with_decoding_problems([damaged, english, orphan], Decoding()))
    assert items == [damaged, english, orphan]
    assert [problem.code for problem in damaged.problems] == ["characters_replaced"]
    assert english.problems == []


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends_become_lf(newline):
    data = newline.join(["Первая строка", "Second line", "", "Last"]).encode("utf-8")
    assert decode_text(data) == "Первая строка\nSecond line\n\nLast"


def test_crlf_in_utf16_becomes_lf():
    assert decode_text("a\r\nб\rc".encode("utf-16")) == "a\nб\nc"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, "  \n ".encode("utf-16"), "\u00a0\u2003".encode()],
    ids=["nothing", "blanks", "bom-only", "utf16-blanks", "unicode-spaces"],
)
def test_empty_input_is_refused_as_empty(data):
    with pytest.raises(UnusableInput) as refused:
        decode_text(data)
    assert refused.value.code == "empty"
    assert "empty" in refused.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\xff\x00\xfe" * 100,
        b"Title 01.02.2026\nBody\x00 text\n",
        "Заголовок\x00".encode("utf-16"),
        random.Random(4).randbytes(5000),
        b"\x01\x02\x03\x04 some text \x05\x06\x07\x08\x0e\x0f",
    ],
    ids=["nul-pattern", "one-nul", "utf16-nul", "random", "controls"],
)
def test_binary_input_is_refused_as_binary(data):
    with pytest.raises(UnusableInput) as refused:
        decode_text(data)
    assert refused.value.code == "binary"
    assert "binary" in refused.value.message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Word/Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Word"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    ],
)
def test_common_binary_files_are_named_in_the_refusal(data, kind):
    with pytest.raises(UnusableInput) as refused:
        decode_text(data)
    assert refused.value.code == "binary"
    assert kind in refused.value.message


def test_replacement_characters_written_in_a_utf8_text_are_text():
    text = "Буквы потерялись ещё до нас: \ufffd\ufffd\ufffd \ufffd\ufffd."
    assert decode_text(text.encode("utf-8")) == text


def test_a_stray_control_character_in_a_long_text_is_kept():
    text = RUSSIAN + "\x07" + RUSSIAN
    assert decode_text(text.encode("utf-8")) == text


@given(st.binary(max_size=2000))
def test_any_bytes_are_decoded_or_refused_readably(data):
    try:
        text = decode_text(data)
    except UnusableInput as refused:
        assert refused.code in ("empty", "binary")
        assert refused.message
    else:
        assert "\r" not in text
        assert "\x00" not in text
        assert text.strip()


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t")))
def test_any_utf8_text_comes_back_unchanged_but_for_line_ends(text):
    if not text.strip():
        return
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode_text(text.encode("utf-8")) == expected
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == expected
    assert decode_text(text.encode("utf-16")) == expected


# --- streaming a file -----------------------------------------------------------------


def stream(path) -> list[str]:
    with open_text_stream(path) as lines:
        return list(lines)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_r"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_stream_gives_the_lines_decode_text_gives(tmp_path, encoding, newline):
    path = tmp_path / "digest.txt"
    path.write_bytes(newline.join([*RUSSIAN.split("\n"), "", "конец"]).encode(encoding))
    assert stream(path) == decode_text(path.read_bytes()).split("\n")


def test_stream_judges_a_code_page_that_first_appears_after_the_sample(tmp_path):
    path = tmp_path / "digest.txt"
    ascii_start = ("Plain ASCII line of the digest.\n" * (SAMPLE_BYTES // 32 + 10)).encode()
    path.write_bytes(ascii_start + RUSSIAN.encode("koi8_r") + b"\n")
    assert stream(path)[-2:] == RUSSIAN.split("\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1251", "koi8_r"])
def test_stream_says_what_it_judged_as_decode_text_does(tmp_path, encoding):
    path = tmp_path / "digest.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    with open_text_stream(path) as lines:
        assert "\n".join(lines) == RUSSIAN
    assert lines.decoding == read_text(path.read_bytes())[1]


def test_stream_says_a_code_page_judged_after_the_sample(tmp_path):
    path = tmp_path / "digest.txt"
    ascii_start = ("Plain ASCII line of the digest.\n" * (SAMPLE_BYTES // 32 + 10)).encode()
    path.write_bytes(ascii_start + RUSSIAN.encode("koi8_r") + b"\n")
    with open_text_stream(path) as lines:
        for _ in lines:
            pass
    assert lines.decoding.code_page == "koi8_r"


def test_stream_of_blank_lines_then_text_is_not_empty(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_bytes(b"\n" * (SAMPLE_BYTES * 2) + "Новости 01.02.2026\nТекст.".encode())
    assert stream(path)[-2:] == ["Новости 01.02.2026", "Текст."]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty"), (b"\n" * (SAMPLE_BYTES + 5), "empty"), (b"\x00\x01\x02\xff" * 300, "binary")],
)
def test_stream_refuses_unusable_files_before_any_line(tmp_path, content, code):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(UnusableInput) as refused, open_text_stream(path):
        pass
    assert refused.value.code == code


def test_stream_of_the_real_sample_matches_its_decoded_text():
    path = shared_path("samples", SAMPLE_DIGEST.name)
    assert stream(path) == decode_text(path.read_bytes()).split("\n")


# --- detecting the format -------------------------------------------------------------

DIGEST = "World\nA library opened in Kostanay 03.02.2026\nThe akimat opened a library.\n"
RSS = '<?xml version="1.0"?>\n<!-- export -->\n<rss version="2.0"><channel></channel></rss>'
RDF = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE feed [<!ENTITY nbsp "&#160;">]>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom"></feed>'
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (DIGEST.encode(), "digest"),
        (DIGEST.encode("utf-16"), "digest"),
        (DIGEST.replace("\n", "\r\n").encode("cp1251"), "digest"),
        ("Новости\n17 марта 2026 г.\nАким встретился с фермерами\nТекст.".encode(), "digest"),
        ("Әкім фермерлермен кездесті\n\n17 наурыз 2026\nМәтін.".encode(), "digest"),
        (RSS.encode(), "rss"),
        (RDF.encode(), "rss"),
        (ATOM.encode(), "atom"),
        (codecs.BOM_UTF8 + ATOM.encode(), "atom"),
        (ATOM.encode("utf-16"), "atom"),
        (ATOM.encode("utf-16-be"), "atom"),
        (b'[{"id": 1, "title": "T"}]', "govkz"),
        (b'  {"data": {"news": []}}', "govkz"),
        (b"[]", "govkz"),
    ],
    ids=[
        "digest", "digest-utf16", "digest-cp1251", "digest-date-before", "digest-date-after",
        "rss", "rdf", "atom", "atom-bom", "atom-utf16", "atom-utf16-no-bom", "govkz-list",
        "govkz-object", "govkz-empty",
    ],
)  # fmt: skip
def test_format_is_read_from_the_content(data, expected):
    assert expected in FORMATS
    assert detect_format(data) == expected


def test_content_wins_over_a_misleading_file_name():
    assert detect_format(RSS.encode(), filename="releases.txt") == "rss"
    assert detect_format(DIGEST.encode(), filename="feed.xml") == "digest"
    assert detect_format(ATOM.encode(), filename="news.json") == "atom"


def test_a_digest_line_opening_with_a_bracket_is_not_json():
    data = b"[Photo] The akimat opened a park 03.02.2026\nThe park is large.\n"
    assert detect_format(data) == "digest"


def test_the_file_name_decides_only_when_the_content_cannot():
    unfinished_prolog = b'<?xml version="1.0"?>\n<!-- a comment that the sample cuts off'
    assert detect_format(unfinished_prolog, filename="export.atom") == "atom"
    assert detect_format(b"[Photo", filename="news.json") == "govkz"
    with pytest.raises(UnusableInput):
        detect_format(unfinished_prolog, filename="export.txt")


def test_the_start_of_a_large_digest_is_enough():
    data = (DIGEST * 5000).encode()
    assert detect_format(data[:SAMPLE_BYTES]) == "digest"


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "empty", "empty"),
        (b" \r\n\t", "empty", "empty"),
        (b"\x00\x01\x02\xff" * 300, "binary", "binary"),
        (b"%PDF-1.4\n", "binary", "PDF"),
        (b"<!DOCTYPE html><html><body>News</body></html>", "unknown_format", "web page"),
        (b'<?xml version="1.0"?><sitemap></sitemap>', "unknown_format", "<sitemap>"),
        (b"{\\rtf1\\ansi Release text}", "unknown_format", "RTF"),
        ("Дорогие коллеги, пришлите отчёт.\n".encode(), "unknown_format", "20.12.2025"),
        ("Отчёт прилагаю.\n\n20.12.2025\n".encode(), "unknown_format", "20.12.2025"),
    ],
    ids=["empty", "blanks", "binary", "pdf", "html", "other-xml", "rtf", "letter", "lone-date"],
)
def test_unusable_input_is_refused_with_a_reason(data, code, words):
    with pytest.raises(UnusableInput) as refused:
        detect_format(data, filename="input.txt")
    assert refused.value.code == code
    assert words in refused.value.message


def test_the_real_sample_is_a_digest():
    assert detect_format(shared_path("samples", SAMPLE_DIGEST.name).read_bytes()) == "digest"


@given(st.binary(max_size=500), st.sampled_from(["", "a.txt", "a.json", "a.xml", "a.atom"]))
def test_any_bytes_are_a_format_or_refused(data, filename):
    try:
        assert detect_format(data, filename=filename) in FORMATS
    except UnusableInput as refused:
        assert refused.code in ("empty", "binary", "unknown_format")
