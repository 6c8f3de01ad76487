"""Normalizing imported releases: each pure step on its own, then the real sample whole."""

import re
import unicodedata
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.flags import Flag
from news.importing.normalize import (
    MAX_BODY_CHARS,
    TITLE_ALL_CAPS,
    TITLE_EMPTY,
    TITLE_STARTS_MID_WORD,
    TITLE_WHOLE_SENTENCE,
    GovkzRef,
    canonical_source,
    clean_release,
    cut_body,
    is_suspect_title,
    normalize_whitespace,
    parse_govkz_url,
    repair_mixed_script,
    restore_paragraphs,
    split_signature,
    split_sources,
    title_problems,
)
from news.importing.records import ParseProblem, RawRelease

from ..shared import SAMPLE_DIGEST, shared_path

GOVKZ = "https://www.gov.kz/memleket/entities/{slug}/press/news/details/{id}?lang=kk"


def govkz(slug: str, news_id: int) -> str:
    return GOVKZ.format(slug=slug, id=news_id)


def letters(text: str) -> str:
    return "".join(char for char in text if char.isalpha())


def release(**fields) -> RawRelease:
    fields.setdefault("item", "line 2")
    fields.setdefault("raw", "")
    fields.setdefault("title", "The Akim of Taraz met with farmers")
    fields.setdefault("body", "The meeting took place in the city hall.")
    fields.setdefault("release_date", date(2025, 12, 20))
    return RawRelease(**fields)


# --- normalize_whitespace -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Akmola\u00a0region", "Akmola region"),
        ("5\u202f000 tenge", "5 000 tenge"),
        ("a\u2009b\u2007c\u3000d", "a b c d"),
        ("Ақ\u00adмола", "Ақмола"),
        ("zero\u200bwidth\u200c\u200djoin\u2060ers\ufeff", "zerowidthjoiners"),
        ("left\u200eto\u200fright", "lefttoright"),
        ("nul\x00 and bell\x07", "nul and bell"),
        ("too    many \t spaces", "too many spaces"),
        ("  padded line  \n\t second line\t", "padded line\nsecond line"),
        ("one\r\ntwo\rthree\u2028four", "one\ntwo\nthree\nfour"),
        ("one\n\n\n\n two\n \n", "one\n\ntwo"),
        # Decomposed letters are composed: е + diaeresis is ё, и + breve is й.
        ("е\u0308ж и\u0306", "ёж й"),
    ],
)
def test_normalize_whitespace(text, expected):
    assert normalize_whitespace(text) == expected


def test_normalize_whitespace_keeps_typographic_quotes_and_dashes():
    text = "«Слышащее государство» – “Hearing State” — ‘quoted’ - hyphen"
    assert normalize_whitespace(text) == text


@given(st.text())
def test_normalize_whitespace_is_idempotent_and_nfc(text):
    once = normalize_whitespace(text)
    assert normalize_whitespace(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "  " not in once


# --- repair_mixed_script --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cyrillic Р at the start of an English word.
        ("Рreventive raid titled “Safe Winter”", "Preventive raid titled “Safe Winter”"),
        # Cyrillic Е and о inside English words, case kept.
        ("PRЕSS sеrvicе of the akimаt", "PRESS service of the akimat"),
        # Latin M and a inside Russian words.
        ("Mинистерство нaлогов", "Министерство налогов"),
        # Latin i typed for the Kazakh і.
        ("бiлiм беру", "білім беру"),
    ],
)
def test_repair_mixed_script_converts_look_alikes_to_the_word_script(text, expected):
    assert repair_mixed_script(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "K-1 and К-1",  # each token is wholly in one script
        "The Navy of Kazakhstan",
        "Пресс-служба акимата",
        "Kazakhstanның",  # a Kazakh ending on an English name: letters without look-alikes
        "Facebookта",
        "iKomekке",  # an ending of look-alikes on a name is still an ending
        "АВC-12",  # a code of look-alikes only: no script can be told
        "Sергей",  # Latin S has no Kazakh or Russian look-alike to become
        "Pressслужба",  # both scripts have letters of their own
    ],
)
def test_repair_mixed_script_leaves_words_it_cannot_tell(text):
    assert repair_mixed_script(text) == text


LOOK_ALIKE_PAIRS = {
    frozenset(pair)
    for pair in [
        *zip("АВЕКМНОРСТХІЈЅҮаеорсухіјѕһ", "ABEKMHOPCTXIJSYaeopcyxijsh", strict=True),
        *zip("ABCEHKMOPTXIacoepxyih", "АВСЕНКМОРТХІасоерхуіһ", strict=True),
    ]
}
MIXED_TEXT = st.text(
    alphabet="abcehikmoptxy ABCEHIKMOPTXY АВЕКМНОРСТХІаеорсухі һқңәжзлдьыSsJj-.,1\n"
)


@given(MIXED_TEXT)
def test_repair_mixed_script_only_swaps_look_alikes_and_is_stable(text):
    repaired = repair_mixed_script(text)
    assert len(repaired) == len(text)
    for before, after in zip(text, repaired, strict=True):
        assert before == after or frozenset((before, after)) in LOOK_ALIKE_PAIRS
    assert repair_mixed_script(repaired) == repaired


# --- restore_paragraphs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "What did the residents ask for and what came true?The akimat answered.",
            ["What did the residents ask for and what came true?", "The akimat answered."],
        ),
        (
            "We followed what changes came next.The idea of a listening state is simple.",
            ["We followed what changes came next.", "The idea of a listening state is simple."],
        ),
        (
            "The envoy met the Minister of Kazakhstan.The parties discussed trade.",
            ["The envoy met the Minister of Kazakhstan.", "The parties discussed trade."],
        ),
        (
            "He spoke of a “Fairer World”.– I am glad to be here, – he said.",
            ["He spoke of a “Fairer World”.", "– I am glad to be here, – he said."],
        ),
        (
            "Курсанты прошли подготовку.По словам наставников, всё прошло хорошо.",
            ["Курсанты прошли подготовку.", "По словам наставников, всё прошло хорошо."],
        ),
        (
            "Особое внимание уделили командирам.– В центре мы всему научились, – сказал он.",
            ["Особое внимание уделили командирам.", "– В центре мы всему научились, – сказал он."],
        ),
        ("Well done!The winners", ["Well done!", "The winners"]),
        ("No problems…I promise", ["No problems…", "I promise"]),
        ("It is done.”Then we left", ["It is done.”", "Then we left"]),
        ("Жұмыс басталды.»Келесі", ["Жұмыс басталды.»", "Келесі"]),
        ("Подвели итоги.«Новый год» близко", ["Подвели итоги.", "«Новый год» близко"]),
        # A straight quote after a stop opens the next sentence unless one is open.
        (
            'The water stood in the yards."Now it drains away," he said.',
            ["The water stood in the yards.", '"Now it drains away," he said.'],
        ),
        (
            'He said "it is finished."Then he left.',
            ['He said "it is finished."', "Then he left."],
        ),
        # Lines that exist stay paragraphs; blank ones go.
        ("First line.\n\n  Second line.  \nThird.", ["First line.", "Second line.", "Third."]),
    ],
)
def test_restore_paragraphs_splits_glued_sentences(text, expected):
    assert restore_paragraphs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the formation of an ethics policy? compliance with the rules",
        "Washington, D.C., December 16, 2025 - the envoy arrived",
        "He met the U.S.Ambassador and the U.S. President",
        "commissioner O. Bocharnikova and O.Bocharnikova spoke",
        "The winners Zh.Tazhibaeva and Sh.Mirzoeva were named",
        "The letter to President Donald J.Trump was delivered",
        "Participants are marked, т.е. зарегистрированы",
        "Встреча прошла в г.Астана и в г. Алматы",
        "Офис на ул.Абая, встреча с акад.Сатпаевым",
        "Mr.Smith and Dr.Jones of St.Petersburg",
        "Investment totaled 3.5 billion tenge",
        "Signed on 20.12.2025 in the capital",
        "Read more at www.gov.kz/memleket/entities/mod and https://Example.kz/A.Page",
        "See gov.kz/memleket for details",
        "Write to press@Akimat.kz.Or call",
        "The draw used the live RANDOM.ORG website",
        "The chapters are: 1.Introduction 2.Methods",
        "house No. 65 on Kairbekov St. Here, a developer builds",
        "The event is over.the rest is lowercase",
    ],
)
def test_restore_paragraphs_never_splits_abbreviations_numbers_or_addresses(text):
    assert restore_paragraphs(text) == [text]


def test_restore_paragraphs_of_nothing_is_no_paragraph():
    assert restore_paragraphs("") == []
    assert restore_paragraphs(" \n \n") == []


GLUED_TEXT = st.text(
    alphabet='aBcТжЖ .!?…”»’)"«“(–-—1\n.@/:w',
    max_size=200,
)


@given(GLUED_TEXT)
def test_restore_paragraphs_never_loses_a_letter(text):
    paragraphs = restore_paragraphs(text)
    assert all(paragraph == paragraph.strip() and paragraph for paragraph in paragraphs)
    assert re.sub(r"\s", "", "".join(paragraphs)) == re.sub(r"\s", "", text)


# --- split_sources --------------------------------------------------------------------


def test_split_sources_takes_a_source_glued_to_the_last_sentence():
    url = govkz("mod", 1000001)
    assert split_sources(f"The drill ended.Source : {url}") == ("The drill ended.", [url])


def test_split_sources_takes_two_sources_glued_to_each_other():
    first = "https://news.example.kz/listening-state-in-kostanay/"
    second = govkz("kostanai-kalasy-akimat", 1000002)
    text = f"The dialogue bears fruit. Source: {first}Source : {second}"
    assert split_sources(text) == ("The dialogue bears fruit.", [first, second])


@pytest.mark.parametrize("label", ["Source", "Source ", "Источник", "Дереккөз", "SOURCE"])
def test_split_sources_knows_each_label(label):
    url = govkz("almaty", 1000003)
    assert split_sources(f"Мәтін.\n{label}: {url}") == ("Мәтін.", [url])


def test_split_sources_takes_sources_from_the_middle_and_keeps_order_without_repeats():
    one, two = "https://one.example.kz/a", "https://two.example.kz/b"
    text = f"First part. Source: {one} Second part. Source: {two}\nThird. Source: {one}"
    assert split_sources(text) == ("First part. Second part.\nThird.", [one, two])


@pytest.mark.parametrize(
    ("text", "url", "rest"),
    [
        ("See it (Source: https://a.example.kz/x).", "https://a.example.kz/x", "See it"),
        ("Source: https://a.example.kz/x.", "https://a.example.kz/x", ""),
        ("Source: https://a.example.kz/x», he said", "https://a.example.kz/x", "he said"),
        (
            "Source: https://en.example.org/wiki/Astana_(city)",
            "https://en.example.org/wiki/Astana_(city)",
            "",
        ),
        ("Source: www.example.kz/news/1", "www.example.kz/news/1", ""),
    ],
)
def test_split_sources_strips_punctuation_that_is_not_part_of_the_url(text, url, rest):
    # The punctuation glued to an address goes with the source it ended.
    assert split_sources(text) == (rest, [url])


@pytest.mark.parametrize(
    "text",
    [
        "Open resource: https://data.example.kz/set is listed",
        "Source: the akimat of the city",
        "Source: https://",
        "No source here at all.",
    ],
)
def test_split_sources_leaves_text_without_a_source(text):
    assert split_sources(text) == (text, [])


def test_split_sources_of_a_body_that_is_only_a_source_is_empty():
    url = govkz("mod", 1129374)
    assert split_sources(f"Source : {url}") == ("", [url])


CHUNK = st.text(alphabet="abc АБВ әқ.,!-–«»\n", max_size=30)
URL_PATH = st.text(alphabet="abcxyz0123456789-_/?=&.", min_size=1, max_size=20)
LABEL = st.sampled_from(["Source : ", "Source: ", "Источник: ", "Дереккөз:", "source :"])


@given(st.lists(st.tuples(CHUNK, LABEL, URL_PATH, st.sampled_from(["", " ", "\n"]))), CHUNK)
def test_split_sources_takes_every_source_and_keeps_every_other_letter(parts, tail):
    text, chunks, urls = "", [], []
    for chunk, label, path, after in parts:
        url = f"https://site.example.kz/{path}".rstrip(".?&=")
        if text and not text[-1].isspace() and chunk:
            chunk = f" {chunk}"  # an address ends at a space: keep the text apart from it
        # A lowercase label glued to a word is a word ("resource:"); keep it apart.
        separator = " " if label[0].islower() and chunk[-1:].isalpha() else ""
        text += f"{chunk}{separator}{label}{url}{after}"
        chunks.append(chunk)
        urls.append(url)
    text += f" {tail}"
    rest, found = split_sources(text)
    assert found == list(dict.fromkeys(urls))
    assert letters(rest) == letters("".join(chunks) + tail)


@given(st.text(alphabet="Source :Источникhtps/w.kz ()»”,\nab", max_size=120))
def test_split_sources_never_invents_letters(text):
    rest, urls = split_sources(text)
    remaining = iter(letters(text))
    assert all(char in remaining for char in letters(rest))
    assert all(url in text for url in urls)


# --- gov.kz addresses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (govkz("mod", 1129374), GovkzRef("mod", "1129374", "kk")),
        (
            "http://gov.kz/memleket/entities/kgd-akmola/press/news/details/1129305/?lang=ru",
            GovkzRef("kgd-akmola", "1129305", "ru"),
        ),
        (
            "https://WWW.GOV.KZ/memleket/entities/mfa-washington/press/news/details/1129452",
            GovkzRef("mfa-washington", "1129452", ""),
        ),
        (
            "www.gov.kz/memleket/entities/almaty/press/news/details/1129250?utm_source=x&lang=en",
            GovkzRef("almaty", "1129250", "en"),
        ),
    ],
)
def test_parse_govkz_url_reads_slug_id_and_language(url, expected):
    assert parse_govkz_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url at all",
        "https://top-news.kz/slyshashhee-gosudarstvo-v-kostanae/",
        "https://gov.kz.example.com/memleket/entities/mod/press/news/details/1",
        "https://notgov.kz/memleket/entities/mod/press/news/details/1",
        "ftp://www.gov.kz/memleket/entities/mod/press/news/details/1",
        "https://www.gov.kz/memleket/entities/mod/press/article/details/1",
        "https://www.gov.kz/memleket/entities/mod/press/news/details/",
        "https://www.gov.kz/memleket/entities/mod/press/news/details/1/extra",
        "http://[::1/memleket",
    ],
)
def test_parse_govkz_url_refuses_other_addresses(url):
    assert parse_govkz_url(url) is None


def test_canonical_source_is_the_normalized_govkz_address_first():
    other = "https://top-news.kz/story/"
    portal = "http://gov.kz/memleket/entities/Kostanay/press/news/details/1129385/?lang=kk&x=1"
    canonical = govkz("kostanay", 1129385)
    assert canonical_source([other, portal]) == (canonical, [canonical, other])


def test_canonical_source_folds_spellings_of_the_same_release():
    first = govkz("mod", 5)
    again = "http://gov.kz/memleket/entities/mod/press/news/details/5?lang=kk"
    later = govkz("mfa", 6)
    assert canonical_source([again, first, later]) == (first, [first, later])


def test_canonical_source_without_govkz_is_the_first_address():
    urls = ["https://a.example.kz/1", "https://b.example.kz/2", "https://a.example.kz/1"]
    assert canonical_source(urls) == ("https://a.example.kz/1", urls[:2])


def test_canonical_source_gives_an_address_from_a_text_its_scheme():
    assert canonical_source(["www.example.kz/news/1"]) == (
        "https://www.example.kz/news/1",
        ["https://www.example.kz/news/1"],
    )


def test_canonical_source_of_nothing_is_empty():
    assert canonical_source([]) == ("", [])
    assert canonical_source([""]) == ("", [])


# --- split_signature ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "body", "attribution"),
    [
        (
            "The plant will employ 90 people. Press service of the Akim of Taraz",
            "The plant will employ 90 people.",
            "Press service of the Akim of Taraz",
        ),
        (
            "Talks went well.Press Service of the Ministry of Foreign Affairs of Kazakhstan.",
            "Talks went well.",
            "Press Service of the Ministry of Foreign Affairs of Kazakhstan",
        ),
        (
            "Встреча прошла в акимате.\nПресс-служба акимата г. Тараз",
            "Встреча прошла в акимате.",
            "Пресс-служба акимата г. Тараз",
        ),
        ("Итоги подведены. Пресс-служба", "Итоги подведены.", "Пресс-служба"),
        (
            "Кездесу өтті. Тараз қаласы әкімдігінің баспасөз қызметі",
            "Кездесу өтті.",
            "Тараз қаласы әкімдігінің баспасөз қызметі",
        ),
        ("Press service of the Akim of Taraz", "", "Press service of the Akim of Taraz"),
    ],
)
def test_split_signature_moves_a_final_signature_out(text, body, attribution):
    assert split_signature(text) == (body, attribution)


@pytest.mark.parametrize(
    "text",
    [
        "Press service of the Akim of Taraz. The event went on until evening.",
        "This was reported by the press service of the Akim of Taraz",
        "Press service of the Akim of Taraz reported it.\nThe fair opens on Monday.",
        "Об этом сообщила пресс-служба акимата.",
        "Бұл туралы қала әкімдігінің баспасөз қызметі хабарлады.",
        "The meeting ended.",
        "",
    ],
)
def test_split_signature_leaves_mentions_that_are_not_a_final_signature(text):
    assert split_signature(text) == (text, "")


# --- titles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "problems"),
    [
        (
            "oday, on December 12, 2025, the head of the district office, ethics commissioner "
            "A. Nurlanova held a meeting with the staff in the format of a dialogue platform.",
            [TITLE_STARTS_MID_WORD, TITLE_WHOLE_SENTENCE],
        ),
        ("ents were held in the region", [TITLE_STARTS_MID_WORD]),
        (
            "On December 12, 2025, the akim of the district held a meeting with the staff of "
            "the office on ethics.",
            [TITLE_WHOLE_SENTENCE],
        ),
        ("", [TITLE_EMPTY]),
        ("   ", [TITLE_EMPTY]),
        ("20.12.2025 – …", [TITLE_EMPTY]),
        ("BREAKING NEWS FROM THE AKIMAT", [TITLE_ALL_CAPS]),
        ("ВНИМАНИЕ ЖИТЕЛЯМ", [TITLE_ALL_CAPS]),
    ],
)
def test_title_problems_name_each_reason(title, problems):
    assert title_problems(title) == problems
    assert is_suspect_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "The Mayor of Taraz met with entrepreneurs",
        "A textile factory and a brick plant opened in Taraz.",
        "eGov services now answer in Kazakh",
        "UNDP and IMF",
        "«Слышащее государство» в Таразе",
        "Ақмола облысында жаңа аурухана ашылды",
    ],
)
def test_ordinary_titles_are_not_suspect(title):
    assert title_problems(title) == []
    assert not is_suspect_title(title)


# --- clean_release --------------------------------------------------------------------


def test_clean_release_of_a_plain_text_release():
    url = govkz("taraz", 2000001)
    raw = release(
        title="The Akim of Taraz met\u00a0farmers",
        body=(
            "The meeting was held in the city hall.Farmers asked about water.– We will help, "
            f"– the akim said. Press service of the Akim of Taraz Source : {url}"
        ),
        external_id="ignored-because-the-url-has-one",
        agency_hint="ignored",
        tags=("agriculture",),
        problems=[ParseProblem("date_without_zone", "No zone.")],
    )
    clean = clean_release(raw)
    assert clean.title == "The Akim of Taraz met farmers"
    assert clean.body_html == (
        "<p>The meeting was held in the city hall.</p>\n"
        "<p>Farmers asked about water.</p>\n"
        "<p>– We will help, – the akim said.</p>"
    )
    assert clean.attribution == "Press service of the Akim of Taraz"
    assert (clean.source_url, clean.sources) == (url, [url])
    assert (clean.agency_slug, clean.external_id) == ("taraz", "2000001")
    assert (clean.title_language, clean.body_language, clean.language) == ("en", "en", "en")
    assert clean.flags == set()
    assert clean.tags == ("agriculture",)
    assert clean.problems == raw.problems
    assert (clean.item, clean.raw, clean.release_date) == (raw.item, raw.raw, raw.release_date)


def test_clean_release_escapes_text_into_paragraphs():
    clean = clean_release(release(body="Prices fell by <5%> & more.Next <script>x</script>"))
    assert clean.body_html == (
        "<p>Prices fell by &lt;5%&gt; &amp; more.</p>\n<p>Next &lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_clean_release_keeps_the_structure_of_an_html_body():
    url = govkz("taraz", 2000002)
    body = (
        "<h2>Heading</h2><p>The akim met\u00a0farmers.<script>alert(1)</script></p>"
        "<ul><li>Water</li><li>Sееds</li></ul>"
        f"<p>Source: {url}</p>"
        "<p>Press service of the Akim of Taraz</p>"
    )
    clean = clean_release(release(body=body, body_is_html=True, url="https://x.example.kz/1"))
    assert clean.body_html == (
        "<h2>Heading</h2> <p>The akim met farmers.</p> <ul><li>Water</li><li>Seeds</li></ul>"
    )
    assert clean.attribution == "Press service of the Akim of Taraz"
    assert clean.sources == [url, "https://x.example.kz/1"]
    assert clean.body_language == "en"


def test_clean_release_flags_an_html_body_without_text_as_empty():
    clean = clean_release(
        # An image on the web would be kept as a link to it (news.html_tidy); this one cannot.
        release(body='<p>&nbsp;</p><img src="data:image/png;base64,AAAA">', body_is_html=True)
    )
    assert Flag.EMPTY_BODY in clean.flags


def test_clean_release_without_govkz_uses_the_hints():
    clean = clean_release(
        release(url="https://akimat.example.kz/news/7", external_id="7", agency_hint="taraz")
    )
    assert (clean.source_url, clean.sources) == (
        "https://akimat.example.kz/news/7",
        ["https://akimat.example.kz/news/7"],
    )
    assert (clean.agency_slug, clean.external_id) == ("taraz", "7")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "/news/7", "mailto:press@example.kz"])
def test_clean_release_refuses_an_item_address_that_is_not_a_web_address(url):
    clean = clean_release(release(url=url))
    assert (clean.source_url, clean.sources) == ("", [])
    assert [problem.code for problem in clean.problems] == ["url_unusable"]


def test_clean_release_takes_the_date_from_the_publication_time_in_kazakhstan():
    published = datetime(2025, 12, 19, 20, 30, tzinfo=UTC)
    clean = clean_release(release(release_date=None, published_at=published))
    assert clean.release_date == date(2025, 12, 20)
    assert clean.published_at == published
    assert Flag.DATE_MISSING not in clean.flags


def test_clean_release_flags_a_missing_date():
    assert Flag.DATE_MISSING in clean_release(release(release_date=None)).flags


@pytest.mark.parametrize("body_is_html", [False, True])
def test_clean_release_cuts_an_enormous_body_after_its_last_whole_paragraph(body_is_html):
    paragraphs = [f"Абзац {n} о ремонте дорог в Костанае." for n in range(8000)]
    body = (
        "".join(f"<p>{text}</p>" for text in paragraphs) if body_is_html else "\n".join(paragraphs)
    )
    clean = clean_release(release(body=body, body_is_html=body_is_html))
    assert len(clean.body_html) <= MAX_BODY_CHARS
    assert clean.body_html.endswith("о ремонте дорог в Костанае.</p>")
    assert "Абзац 7999 " not in clean.body_html
    assert Flag.BODY_TRUNCATED in clean.flags
    [problem] = clean.problems
    assert problem.code == Flag.BODY_TRUNCATED
    assert "was cut to 200,000" in problem.message


@pytest.mark.parametrize(
    "body_html",
    [
        "<p>" + "Ж" * (MAX_BODY_CHARS + 10) + "</p>",
        "<p>" + "Ж" * (MAX_BODY_CHARS - 6) + '<a href="x">y</a></p>',
    ],
)
def test_a_body_cut_without_a_paragraph_end_is_still_well_formed_html(body_html):
    cut = cut_body(body_html)
    assert cut.startswith("<p>ЖЖЖ") and cut.endswith("</p>")
    assert len(cut) <= MAX_BODY_CHARS + len("</p>")
    assert "<a" not in cut


def test_clean_release_flags_a_body_the_parser_cut():
    problem = ParseProblem(Flag.BODY_TRUNCATED, "The body was cut at 1 MB.")
    clean = clean_release(release(problems=[problem]))
    assert Flag.BODY_TRUNCATED in clean.flags
    assert clean.problems == [problem]


def test_clean_release_explains_a_suspect_title():
    clean = clean_release(release(title="ents were held in the region"))
    assert Flag.SUSPECT_TITLE in clean.flags
    assert [problem.code for problem in clean.problems] == ["title_starts_mid_word"]


@pytest.mark.parametrize(
    ("title", "body", "hint", "language", "mismatch"),
    [
        (
            "Отчетная встреча акима",
            "The akim reported on the year to the residents.",
            "",
            "en",
            True,
        ),
        ("К-1", "", "ru-RU", "ru", False),
        ("К-1", "", "kz", "kk", False),
        ("К-1", "", "de", "", False),
        ("Аким Шымкента", "Аким Шымкента Габит Сыздыкбеков провел прием граждан.", "", "ru", False),
        ("Әкім кездесу өткізді", "", "", "kk", False),
    ],
)
def test_clean_release_language_is_the_body_then_the_title_then_the_hint(
    title, body, hint, language, mismatch
):
    clean = clean_release(release(title=title, body=body, language_hint=hint))
    assert clean.language == language
    assert (Flag.LANGUAGE_MISMATCH in clean.flags) == mismatch


ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.text(alphabet="Source :https/www.gov.kz<p>&;\"'«»”–.!?ӘҚаbС Р\n\u00a0\u200b", max_size=300)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=ANY_TEXT,
    body=ANY_TEXT,
    body_is_html=st.booleans(),
    url=ANY_TEXT,
    hint=ANY_TEXT,
    dated=st.booleans(),
)
def test_clean_release_never_raises(title, body, body_is_html, url, hint, dated):
    clean = clean_release(
        release(
            title=title,
            body=body,
            body_is_html=body_is_html,
            url=url,
            language_hint=hint,
            agency_hint=hint,
            release_date=date(2025, 12, 20) if dated else None,
        )
    )
    assert clean.language in ("kk", "ru", "en", "")
    assert clean.flags <= {
        Flag.EMPTY_BODY,
        Flag.LANGUAGE_MISMATCH,
        Flag.SUSPECT_TITLE,
        Flag.DATE_MISSING,
    }


# --- the real sample ------------------------------------------------------------------


def sample_releases() -> dict[int, RawRelease]:
    """The sample by the line number of each header: line 1 is a section heading, then a
    header `<title> DD.MM.YYYY` and one body line per release."""
    lines = shared_path(*SAMPLE_DIGEST.parts[-2:]).read_text(encoding="utf-8").split("\n")
    releases = {}
    for index in range(1, len(lines), 2):
        found = re.fullmatch(r"(?P<title>.*) (?P<date>\d\d\.\d\d\.\d{4})", lines[index])
        releases[index + 1] = RawRelease(
            item=f"line {index + 1}",
            raw=f"{lines[index]}\n{lines[index + 1]}",
            title=found["title"],
            body=lines[index + 1],
            release_date=datetime.strptime(found["date"], "%d.%m.%Y").date(),
        )
    return releases


@pytest.fixture(scope="module")
def sample():
    return {line: clean_release(raw) for line, raw in sample_releases().items()}


# header line -> (title language, body language); "" where there is no body to read.
SAMPLE_LANGUAGES = {
    2: ("en", "en"),
    4: ("ru", "en"),
    6: ("en", "en"),
    8: ("en", "ru"),
    10: ("en", "en"),
    12: ("en", "en"),
    14: ("en", "en"),
    16: ("en", ""),
    18: ("en", "en"),
    20: ("en", "en"),
    22: ("en", "en"),
    24: ("en", "en"),
    26: ("en", "en"),
    28: ("en", "en"),
    30: ("en", "en"),
    32: ("en", "en"),
    34: ("en", "en"),
    36: ("en", "en"),
}
# header line -> (agency slug, release id) read from the gov.kz address.
SAMPLE_GOVKZ = {
    4: ("kostanai-kalasy-akimat", "1129425"),
    8: ("mod", "1129386"),
    10: ("duisastana", "1129384"),
    12: ("kostanay", "1129385"),
    14: ("duisastana", "1129377"),
    16: ("mod", "1129374"),
    18: ("mfa-washington", "1129452"),
    20: ("mfa-washington", "1129367"),
    22: ("mfa", "1129341"),
    24: ("mfa-geneva", "1129353"),
    26: ("mfa-geneva", "1129318"),
    28: ("kgd-akmola", "1129305"),
    32: ("almaty", "1129250"),
    34: ("kgd-akmola", "1129267"),
    36: ("aqmola-zhaksy", "1129274"),
}
SAMPLE_FLAGS = {4: {Flag.LANGUAGE_MISMATCH}, 8: {Flag.LANGUAGE_MISMATCH}}
SAMPLE_FLAGS |= {16: {Flag.EMPTY_BODY}, 36: {Flag.SUSPECT_TITLE}}


def test_sample_has_the_eighteen_releases(sample):
    assert sorted(sample) == list(range(2, 37, 2))


def test_sample_languages_of_every_title_and_body(sample):
    found = {line: (clean.title_language, clean.body_language) for line, clean in sample.items()}
    assert found == SAMPLE_LANGUAGES
    assert sample[4].language == "en"
    assert sample[8].language == "ru"
    assert sample[16].language == "en"


def test_sample_flags(sample):
    assert {line: clean.flags for line, clean in sample.items() if clean.flags} == SAMPLE_FLAGS


def test_sample_agencies_and_ids_come_from_the_govkz_addresses(sample):
    found = {
        line: (clean.agency_slug, clean.external_id)
        for line, clean in sample.items()
        if clean.source_url
    }
    assert found == SAMPLE_GOVKZ
    for line, (slug, news_id) in SAMPLE_GOVKZ.items():
        assert sample[line].source_url == govkz(slug, news_id)


def test_sample_glued_double_source_gives_two_sources_govkz_first(sample):
    kostanay = sample[4]
    assert kostanay.sources == [
        govkz("kostanai-kalasy-akimat", 1129425),
        "https://top-news.kz/slyshashhee-gosudarstvo-v-kostanae/",
    ]
    assert kostanay.body_html.endswith("is well-established and bearing fruit.</p>")
    assert "Source" not in kostanay.body_html


def test_sample_paragraphs_are_restored(sample):
    kostanay = sample[4].body_html
    assert "came to life?</p>\n<p>The Akimat of Kostanay" in kostanay
    assert "what changes followed.</p>\n<p>The concept" in kostanay
    assert 'stagnating in courtyards.</p>\n<p>"The most important' in kostanay
    lecture = sample[24].body_html
    assert "More Just and Stable World”.</p>\n<p>– I am proud" in lecture
    envoy = sample[18].body_html
    assert envoy.count("<p>") == 1
    assert "Washington, D.C., December 16" in envoy
    assert "Donald J. Trump" in envoy
    zhaksy = sample[36].body_html
    assert "anti-corruption policy? compliance" in zhaksy


def test_sample_body_with_only_a_source_is_empty_and_keeps_the_source(sample):
    open_day = sample[16]
    assert open_day.body_html == ""
    assert open_day.sources == [govkz("mod", 1129374)]


def test_sample_look_alike_letter_in_a_title_is_repaired(sample):
    assert sample[14].title == "Preventive operation titled “Legal Order”"


def test_sample_title_cut_at_its_start_is_suspect(sample):
    assert sample[36].title.startswith("oday, on December 19, 2025")
    assert title_problems(sample[36].title) == [TITLE_STARTS_MID_WORD, TITLE_WHOLE_SENTENCE]


def test_sample_shymkent_releases_are_signed_and_have_no_source(sample):
    for line in (2, 30):
        shymkent = sample[line]
        assert shymkent.attribution == "Press service of the Akim of Shymkent"
        assert "Press service" not in shymkent.body_html
        assert (shymkent.source_url, shymkent.sources, shymkent.flags) == ("", [], set())
    assert sample[2].body_html.endswith("strengthening its economic potential.</p>")


def test_sample_release_with_neither_source_nor_signature_keeps_both_empty(sample):
    forum = sample[6]
    assert (forum.source_url, forum.sources, forum.attribution) == ("", [], "")
    assert forum.agency_slug == forum.external_id == ""


def test_sample_every_other_release_has_no_signature(sample):
    assert {line for line, clean in sample.items() if clean.attribution} == {2, 30}
