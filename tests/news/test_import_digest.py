"""The plain-text digest parser: the real sample, every kind of bad input, fuzzing, streaming."""

import tracemalloc
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from news.importing.decoding import decode_text, open_text_stream
from news.importing.digest import (
    MAX_HEADING_CHARS,
    MAX_TITLE_CHARS,
    parse_digest,
    parse_digest_text,
)
from news.importing.records import ItemError, RawRelease, UnusableInput

from ..shared import SAMPLE_DIGEST, shared_path
from .test_import_dates import ENGLISH_MONTHS, KAZAKH_LOCATIVE, RUSSIAN_GENITIVE

DEC_20 = date(2025, 12, 20)
DEC_19 = date(2025, 12, 19)
# header line in the file -> (release date, title), counted by hand from the file
SAMPLE_RELEASES = {
    2: (DEC_20, "A non-woven fabrics factory and a metal door plant opened in Shymkent."),
    4: (DEC_20, "«Слышащее государство» в Костанае"),
    6: (DEC_20, "The Head of State participated in the Central Asia - Japan Business Forum"),
    8: (DEC_20, "The Navy has begun to complete the K-1 course task"),
    10: (DEC_20, "December 13 – Day of Penal System Officers"),
    12: (DEC_20, "Strengthening the material and technical base of health care in Kostanay region"),
    14: (DEC_20, "Рreventive operation titled “Legal Order”"),
    16: (DEC_20, "An open Day for parents of soldiers was held at the Almaty Military University"),
    18: (
        DEC_20,
        "Ambassador of Kazakhstan Presents Credentials to the President of the United States",
    ),
    20: (DEC_20, "International Monetary Fund Marks “Kazakhstan Day”"),
    22: (DEC_20, "Kazakhstan and UNDP discuss strengthening cooperation and plans for 2026"),
    24: (DEC_20, "President of Kazakhstan Delivers Lecture at United Nations University"),
    26: (
        DEC_19,
        "Memorandum of Understanding between the Ministry of Foreign Affairs of the Republic "
        "of Kazakhstan and the United Nations University",
    ),
    28: (
        DEC_19,
        'Certificates were awarded to the winners of the republican action "Demand a check '
        'and win a prize!"',
    ),
    30: (DEC_19, "The Mayor of Shymkent met with entrepreneurs"),
    32: (
        DEC_19,
        "The Akim of Almaty met with the Ambassador Extraordinary and Plenipotentiary of the "
        "Republic of Uzbekistan",
    ),
    34: (DEC_19, "For sustainable development of the agricultural sector"),
    36: (
        DEC_19,
        "oday, on December 19, 2025, the head of the district Akim's office, ethics "
        "commissioner O. Bocharnikova held a meeting with the staff of the district Akim's "
        "office in the format of a dialogue platform.",
    ),
}  # fmt: skip


def sample_lines() -> list[str]:
    return decode_text(shared_path("samples", SAMPLE_DIGEST.name).read_bytes()).split("\n")


def parse(text: str) -> list:
    return list(parse_digest_text(text))


def read_all(parsed) -> list:
    """Every item of a parsed digest, also of one without releases, which raises once they
    are out."""
    items = []
    try:
        for item in parsed:
            items.append(item)
    except UnusableInput as refused:
        assert refused.code == "no_releases"
        assert not any(isinstance(item, RawRelease) for item in items)
    return items


def long_line(words: str, length: int = 260) -> str:
    """A body paragraph of at least `length` characters, in the digest's one-line shape."""
    sentences = []
    while len(" ".join(sentences)) < length:
        sentences.append(f"{words} number {len(sentences) + 1}.")
    return " ".join(sentences)


# --- the real sample ------------------------------------------------------------------


def test_sample_gives_its_18_releases_with_their_titles_and_dates():
    items = parse("\n".join(sample_lines()))
    assert all(isinstance(item, RawRelease) for item in items)
    found = {
        int(item.item.removeprefix("line ")): (item.release_date, item.title) for item in items
    }
    assert found == SAMPLE_RELEASES
    assert [item.problems for item in items] == [[]] * 18


def test_sample_release_raw_is_its_header_and_body_lines_and_nothing_is_lost():
    lines = sample_lines()
    items = parse("\n".join(lines))
    for item in items:
        header = int(item.item.removeprefix("line "))
        assert item.raw == f"{lines[header - 1]}\n{lines[header]}"
        assert item.body == lines[header]
    assert sum(len(item.raw.split("\n")) for item in items) == len(lines) - 1  # all but "World"


def test_sample_body_in_russian_under_an_english_title():
    navy = next(item for item in parse("\n".join(sample_lines())) if item.item == "line 8")
    assert navy.body.startswith("К-1 – это базовая учебно-практическая задача")
    assert navy.body.endswith("details/1129386?lang=kk")


def test_sample_release_whose_body_is_only_its_source():
    open_day = next(item for item in parse("\n".join(sample_lines())) if item.item == "line 16")
    assert open_day.body == (
        "Source : https://www.gov.kz/memleket/entities/mod/press/news/details/1129374?lang=kk"
    )


def test_sample_streamed_from_the_file_is_the_same_as_parsed_whole():
    path = shared_path("samples", SAMPLE_DIGEST.name)
    with open_text_stream(path) as lines:
        streamed = list(parse_digest(lines))
    assert streamed == parse(decode_text(path.read_bytes()))


# --- the shape, in our own words ------------------------------------------------------


def test_releases_under_a_heading_with_one_and_with_several_body_lines():
    items = parse(
        "Regions\n"
        "Akimat of Taraz repaired the central bridge 14.03.2026\n"
        "The bridge over the Talas river reopened after four months of work.\n"
        "Three lanes now carry traffic in each direction.\n"
        "A new school opened in Turkistan 13.03.2026\n"
        "The school takes 900 pupils and teaches in Kazakh and Russian."
    )
    assert [(item.item, item.title, item.release_date) for item in items] == [
        ("line 2", "Akimat of Taraz repaired the central bridge", date(2026, 3, 14)),
        ("line 5", "A new school opened in Turkistan", date(2026, 3, 13)),
    ]
    assert items[0].body == (
        "The bridge over the Talas river reopened after four months of work.\n"
        "Three lanes now carry traffic in each direction."
    )
    assert items[1].body == "The school takes 900 pupils and teaches in Kazakh and Russian."
    assert all(item.language_hint == "" and not item.body_is_html for item in items)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_any_line_end_and_a_missing_final_newline(ending):
    text = ending.join(["Тараз көпірі ашылды 14.03.2026", "Көпір төрт айдан кейін ашылды."])
    for variant in (text, text + ending):
        [item] = parse(variant)
        assert (item.title, item.body) == ("Тараз көпірі ашылды", "Көпір төрт айдан кейін ашылды.")
        assert item.raw == "Тараз көпірі ашылды 14.03.2026\nКөпір төрт айдан кейін ашылды."


def test_lines_may_arrive_with_their_line_ends_as_read_from_a_file():
    lines = ["Heading\n", "Roads were repaired 01.04.2026\r\n", "Forty kilometres of roads."]
    [item] = parse_digest(lines)
    assert (item.item, item.title, item.body) == (
        "line 2",
        "Roads were repaired",
        "Forty kilometres of roads.",
    )
    assert item.raw == "Roads were repaired 01.04.2026\nForty kilometres of roads."


def test_blank_lines_between_releases_belong_to_no_raw_or_body():
    items = parse("\n\nFirst release 01.04.2026\nIts body.\n\n\nSecond release 02.04.2026\n\n")
    assert [(item.raw, item.body) for item in items] == [
        ("First release 01.04.2026\nIts body.", "Its body."),
        ("Second release 02.04.2026", ""),
    ]


def test_a_signature_on_its_own_line_stays_with_its_release():
    [first, second] = parse(
        "Heating season started in Pavlodar 01.10.2025\n"
        "All boiler houses of the city were switched on.\n"
        "Press service of the Pavlodar akimat\n"
        "Grain harvest finished in Kostanay 02.10.2025\n"
        "Farmers gathered the grain from every field."
    )
    assert first.body.endswith("\nPress service of the Pavlodar akimat")
    assert second.title == "Grain harvest finished in Kostanay"


# --- other layouts: the date on its own line, dates in words --------------------------


def summary(items) -> list[tuple]:
    return [
        (item.item, item.title, item.release_date, item.body)
        if isinstance(item, RawRelease)
        else (item.item, item.code, item.raw)
        for item in items
    ]


def test_date_on_its_own_line_before_the_title_under_navigation_lines():
    items = parse(
        "Новости\n"
        "Главная / Пресс-центр\n"
        "17 марта 2026 г., 10:30\n"
        "Аким Костанайской области встретился с фермерами\n"
        "Встреча прошла в акимате. Обсудили посевную.\n"
        "Хозяйства получат семена в апреле.\n"
        "18 марта 2026 г.\n"
        "В Костанае открылась новая школа\n"
        "Школа рассчитана на 900 учеников."
    )
    assert summary(items) == [
        (
            "line 3",
            "Аким Костанайской области встретился с фермерами",
            date(2026, 3, 17),
            "Встреча прошла в акимате. Обсудили посевную.\nХозяйства получат семена в апреле.",
        ),
        (
            "line 7",
            "В Костанае открылась новая школа",
            date(2026, 3, 18),
            "Школа рассчитана на 900 учеников.",
        ),
    ]
    assert items[0].raw.split("\n")[:2] == [
        "17 марта 2026 г., 10:30",
        "Аким Костанайской области встретился с фермерами",
    ]
    assert items[0].published_at == datetime(2026, 3, 17, 10, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    assert items[1].published_at is None
    assert all(item.problems == [] for item in items)


def test_date_on_its_own_line_after_the_title_under_a_breadcrumb():
    items = parse(
        "Басты бет › Жаңалықтар\n"
        "Әкім фермерлермен кездесті\n"
        "17 наурыз 2026\n"
        "Кездесу әкімдікте өтті. Көктемгі егіс талқыланды.\n"
        "Қостанайда жаңа мектеп ашылды\n"
        "18 наурызда 2026 ж.\n"
        "Мектеп 900 оқушыға арналған."
    )
    assert summary(items) == [
        (
            "line 2",
            "Әкім фермерлермен кездесті",
            date(2026, 3, 17),
            "Кездесу әкімдікте өтті. Көктемгі егіс талқыланды.",
        ),
        (
            "line 5",
            "Қостанайда жаңа мектеп ашылды",
            date(2026, 3, 18),
            "Мектеп 900 оқушыға арналған.",
        ),
    ]
    assert (
        items[1].raw
        == "Қостанайда жаңа мектеп ашылды\n18 наурызда 2026 ж.\nМектеп 900 оқушыға арналған."
    )


def test_a_long_first_body_line_says_the_date_follows_its_title():
    body = long_line("The akimat of Kostanay region held a meeting with farmers")
    items = parse(f"Akim of Kostanay region met farmers\nMarch 17, 2026\n{body}")
    assert summary(items) == [
        ("line 1", "Akim of Kostanay region met farmers", date(2026, 3, 17), body)
    ]


def test_blank_lines_may_separate_a_date_its_title_and_its_body():
    items = parse(
        "News\n\n"
        "March 17, 2026 09:00\n\n"
        "Akim of Kostanay region met farmers\n\n"
        "The meeting took place in the akimat.\n\n"
        "They discussed the sowing season.\n\n\n"
        "18 March 2026\n\n"
        "A new school opened in Kostanay\n\n"
        "The school takes 900 pupils.\n"
    )
    assert summary(items) == [
        (
            "line 3",
            "Akim of Kostanay region met farmers",
            date(2026, 3, 17),
            "The meeting took place in the akimat.\n\nThey discussed the sowing season.",
        ),
        (
            "line 12",
            "A new school opened in Kostanay",
            date(2026, 3, 18),
            "The school takes 900 pupils.",
        ),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "17.03.2026",
        "17/03/2026",
        "2026-03-17",
        "17 наурыз 2026",
        "17 марта 2026 г.",
        "March 17, 2026",
        "17 March 2026",
        "17.03.2026 10:30",
        "17.03.2026 10:30:00",
        "2026-03-17, 10:30",
    ],
)
def test_every_way_of_writing_the_date_in_every_layout(written):
    title, body = "Akimat of Kostanay met farmers", "The meeting took place in the akimat."
    for text in (
        f"{title} {written}\n{body}",
        f"{written}\n{title}\n{body}",
        f"{title}\n{written}\n{long_line(body)}",
    ):
        [item] = parse(text)
        assert (item.title, item.release_date) == (title, date(2026, 3, 17)), text
        assert item.body in (body, long_line(body))


@pytest.mark.parametrize(
    "heading",
    ["Новости", "Главная / Пресс-центр", "Басты бет › Жаңалықтар", "Home > News > Press releases"],
)
def test_headings_and_navigation_lines_above_the_first_release_are_skipped(heading):
    for text in (
        f"{heading}\nAkimat opened a school 17.03.2026\nThe school takes 900 pupils.",
        f"{heading}\n17.03.2026\nAkimat opened a school\nThe school takes 900 pupils.",
        f"{heading}\n\n17 марта 2026 г.\n\nAkimat opened a school\n\nThe school takes 900 pupils.",
    ):
        [item] = parse(text)
        assert (item.title, item.body) == ("Akimat opened a school", "The school takes 900 pupils.")


def test_a_date_with_no_title_after_it_is_an_error_keeping_its_text_and_the_rest_imports():
    items = parse(
        "17.03.2026\n"
        "Akimat opened a school\n"
        "The school takes 900 pupils.\n"
        "18.03.2026\n"
        "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/5\n"
        "The rest of a release whose title was lost.\n"
        "19.03.2026\n"
        "Roads repaired in Arkalyk\n"
        "Forty kilometres of roads."
    )
    assert summary(items)[1] == (
        "line 4",
        "release_unreadable",
        "18.03.2026\n"
        "Source : https://www.gov.kz/memleket/entities/kostanay/press/news/details/5\n"
        "The rest of a release whose title was lost.",
    )
    assert "no title after it" in items[1].message
    assert [item.title for item in items if isinstance(item, RawRelease)] == [
        "Akimat opened a school",
        "Roads repaired in Arkalyk",
    ]


def test_a_date_with_no_title_before_it_is_an_error_keeping_its_text_and_the_rest_imports():
    body = "The meeting took place in the akimat. They discussed sowing."
    items = parse(
        f"Akim of Kostanay region met farmers\n17.03.2026\n{body}\n"
        "A new school opened in Kostanay\n18.03.2026\n"
        f"19.03.2026\nA body whose title was lost.\n"
        f"Roads repaired in Arkalyk region\n20.03.2026\n{body}"
    )
    assert summary(items) == [
        ("line 1", "Akim of Kostanay region met farmers", date(2026, 3, 17), body),
        ("line 4", "A new school opened in Kostanay", date(2026, 3, 18), ""),
        ("line 6", "release_unreadable", "19.03.2026\nA body whose title was lost."),
        ("line 8", "Roads repaired in Arkalyk region", date(2026, 3, 20), body),
    ]
    assert "no title before it" in items[2].message


def test_a_digest_where_nothing_can_be_read_gives_its_errors_then_says_so():
    items = parse_digest_text("Новости\n17.03.2026\n18.03.2026\n")
    assert [(error.item, error.code, error.raw) for error in (next(items), next(items))] == [
        ("line 2", "release_unreadable", "17.03.2026"),
        ("line 3", "release_unreadable", "18.03.2026"),
    ]
    with pytest.raises(UnusableInput) as refused:
        next(items)
    assert refused.value.code == "no_releases"


@pytest.mark.parametrize("text", ["", "\n\n", "Новости\nГлавная / Пресс-центр\n"])
def test_a_digest_of_headings_only_is_no_digest(text):
    with pytest.raises(UnusableInput) as refused:
        parse(text)
    assert refused.value.code == "no_releases"


# --- bad input: problems and item errors, never exceptions ----------------------------


def test_impossible_date_gives_an_undated_release_with_a_problem():
    [item] = parse("A title with a date that cannot be 31.02.2026\nThe body of it.")
    assert item.title == "A title with a date that cannot be"
    assert item.release_date is None
    assert [problem.code for problem in item.problems] == ["date_invalid"]
    assert "31.02.2026" in item.problems[0].message


@pytest.mark.parametrize("written", ["00.01.2026", "15.13.2026", "29.02.2025", "01.01.0000"])
def test_every_kind_of_impossible_date_is_caught(written):
    [item] = parse(f"Akimat report {written}\nThe report text.")
    assert item.release_date is None
    assert item.problems[0].code == "date_invalid"


def test_leap_day_and_single_digit_dates_are_read():
    items = parse("Leap day release 29.02.2028\nBody one.\nShort date release 1.3.2026\nBody two.")
    assert [item.release_date for item in items] == [date(2028, 2, 29), date(2026, 3, 1)]


def test_title_without_date_before_a_long_body_starts_an_undated_release():
    body = long_line("The regional hospital received new equipment")
    items = parse(
        f"Hospital equipment delivered in Semey 05.05.2026\n{body}\n"
        f"Ambulances handed over to rural districts\n{body}\n"
        f"Clinic opened in Ayagoz 06.05.2026\n{body}"
    )
    assert [(item.item, item.title, item.release_date) for item in items] == [
        ("line 1", "Hospital equipment delivered in Semey", date(2026, 5, 5)),
        ("line 3", "Ambulances handed over to rural districts", None),
        ("line 5", "Clinic opened in Ayagoz", date(2026, 5, 6)),
    ]
    assert [problem.code for problem in items[1].problems] == ["date_missing"]
    assert items[1].body == body


def test_title_without_date_at_the_very_start_is_an_undated_release():
    body = long_line("Residents of Aktobe asked about heating")
    [item] = parse(f"World\nAkim of Aktobe met residents\n{body}")
    assert (item.item, item.title, item.release_date) == (
        "line 2",
        "Akim of Aktobe met residents",
        None,
    )
    assert item.problems[0].code == "date_missing"


@pytest.mark.parametrize(
    "line",
    [
        "The tender was announced on Monday.",  # a sentence, not a title
        "– the akim said, closing the meeting",  # dialogue
        "Source : https://www.gov.kz/memleket/entities/mod/press/news/details/5",  # a source
        "Participants:",  # introduces what follows
    ],
)
def test_body_lines_shaped_like_no_title_stay_in_the_body(line):
    body = long_line("Details of the tender for road repairs")
    [item] = parse(f"Tender announced in Oral 07.05.2026\n{body}\n{line}\n{body}")
    assert item.body == f"{body}\n{line}\n{body}"


def test_short_line_followed_by_a_short_line_is_body_not_a_new_release():
    [item] = parse("Road works in Atyrau 08.05.2026\nWork starts in June\nIt ends in August")
    assert item.body == "Work starts in June\nIt ends in August"


def test_header_without_body_gives_an_empty_body():
    items = parse("First headline alone 09.05.2026\nSecond headline 10.05.2026\nIts body.")
    assert [(item.title, item.body, item.raw) for item in items] == [
        ("First headline alone", "", "First headline alone 09.05.2026"),
        ("Second headline", "Its body.", "Second headline 10.05.2026\nIts body."),
    ]
    assert items[0].problems == []


def test_last_header_without_body():
    [item] = parse("Only a headline 11.05.2026")
    assert (item.title, item.body, item.release_date) == ("Only a headline", "", date(2026, 5, 11))


def test_text_before_the_first_release_is_kept_as_an_orphan_error():
    orphan = "These notes were pasted by mistake and belong to no release at all."
    items = parse(f"{orphan}\nSecond orphan line.\nA real release 12.05.2026\nIts body.")
    assert isinstance(items[0], ItemError)
    assert (items[0].item, items[0].code) == ("line 1", "orphan_text")
    assert items[0].raw == f"{orphan}\nSecond orphan line."
    assert "These notes were pasted" in items[0].message
    assert isinstance(items[1], RawRelease) and items[1].item == "line 3"


def test_heading_followed_by_body_text_is_orphan_text_with_it():
    body = long_line("A paragraph whose title line was lost")
    [error, release] = parse(f"World\n{body}\nNext release 13.05.2026\nIts body.")
    assert (error.code, error.raw) == ("orphan_text", f"World\n{body}")
    assert release.title == "Next release"


def test_a_file_of_orphan_text_only_gives_its_error_then_says_no_release_could_be_read():
    items = parse_digest_text("Dear colleagues, please find the releases attached.\nRegards.")
    error = next(items)
    assert (error.code, error.raw) == (
        "orphan_text",
        "Dear colleagues, please find the releases attached.\nRegards.",
    )
    with pytest.raises(UnusableInput) as refused:
        next(items)
    assert refused.value.code == "no_releases"
    assert "No release could be read" in refused.value.message


def test_a_line_ending_in_a_date_too_long_for_a_title_is_body():
    sentence = long_line("The programme runs", MAX_TITLE_CHARS) + " until 31.12.2026"
    [item] = parse(f"Programme extended 14.05.2026\n{sentence}")
    assert item.body == sentence


def test_enormous_body_is_read_whole_for_the_normalizer_to_cut():
    huge = "Ж" * 250_000
    [item] = parse(f"An enormous release 15.05.2026\n{huge}\nand a second line.")
    assert item.body == f"{huge}\nand a second line."
    assert item.problems == []
    assert item.raw == f"An enormous release 15.05.2026\n{huge}\nand a second line."


# --- fuzzing --------------------------------------------------------------------------

_ANY_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"))
_WORDS = st.lists(st.sampled_from(["Akimat", "of", "Almaty", "өңір", "школа", "opened", "–"]))
_DIGEST_LINE = st.one_of(
    _ANY_LINE,
    st.builds(" ".join, _WORDS),  # headings and undated titles
    st.builds(lambda words, day, month: f"{' '.join(words)} {day}.{month}.2026", _WORDS,
              st.integers(0, 35), st.integers(0, 14)),  # headers, some with impossible dates
    st.builds(lambda words: long_line(" ".join(words) or "Body"), _WORDS),
    st.builds(lambda day, month: f"{day}.{month}.2026", st.integers(0, 35),
              st.integers(0, 14)),  # dates on their own lines, some impossible
    st.sampled_from(["17 марта 2026 г., 10:30", "17 наурыз 2026", "Главная / Пресс-центр"]),
    st.just(""),
)  # fmt: skip


@given(st.text())
def test_any_text_gives_items_or_says_that_no_release_could_be_read(text):
    for item in read_all(parse_digest_text(text)):
        assert isinstance(item, RawRelease | ItemError)


# Generated long body lines make some examples slow to build; that is not a failure.
@settings(deadline=None)
@given(st.lists(_DIGEST_LINE, max_size=40))
def test_every_line_ends_up_in_exactly_one_raw_or_is_a_blank_or_leading_heading(lines):
    items = read_all(parse_digest(lines))
    covered = [False] * len(lines)
    end_of_previous = 0
    first_release = None
    for item in items:
        start = int(item.item.removeprefix("line ")) - 1
        raw_lines = item.raw.split("\n")
        assert start >= end_of_previous, "items overlap or are out of order"
        assert lines[start : start + len(raw_lines)] == raw_lines
        covered[start : start + len(raw_lines)] = [True] * len(raw_lines)
        end_of_previous = start + len(raw_lines)
        if isinstance(item, RawRelease) and first_release is None:
            first_release = start
    for number, line in enumerate(lines):
        if covered[number] or not line.strip():
            continue
        before_releases = first_release is None or number < first_release
        assert before_releases and len(line.strip()) <= MAX_HEADING_CHARS, (number, line)


_TITLE = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "Zs"), blacklist_characters="\n\r"),
    min_size=1,
    max_size=120,
    # A dash, bar or comma before the date separates it from the title; the title is the
    # text before it, tested on its own.
).filter(lambda title: title.strip() and title.rstrip()[-1] not in ",|·•–—-")
_BODY_LINE = st.builds(
    lambda text: text.strip() + ".",
    st.text(st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=300),
)


@settings(deadline=None)
@given(st.lists(st.tuples(_TITLE, st.dates(), st.lists(_BODY_LINE, min_size=1, max_size=4))))
def test_a_well_formed_digest_comes_back_release_for_release(releases):
    text = "\n".join(
        f"{title} {day:%d.%m}.{day.year:04d}\n" + "\n".join(body) for title, day, body in releases
    )
    items = read_all(parse_digest_text(text))
    assert [(item.title, item.release_date, item.body) for item in items] == [
        (title.strip(), day, "\n".join(body)) for title, day, body in releases
    ]


_WORD = st.sampled_from(
    ["akimat", "Almaty", "opened", "school", "әкім", "мектеп", "ашылды", "аким", "школа",
     "открылась", "region", "өңір", "new", "жаңа", "roads", "жолдар", "K-1", "2026"]
)  # fmt: skip
_LONG_TITLE = st.lists(_WORD, min_size=5, max_size=12).map(" ".join).map(str.capitalize)
_SENTENCE = st.lists(_WORD, min_size=2, max_size=12).map(lambda words: " ".join(words) + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join).map(str.capitalize)
_DATE_WRITTEN = st.sampled_from(
    [
        lambda day: f"{day:%d.%m.%Y}",
        lambda day: f"{day:%d/%m/%Y} 10:30",
        lambda day: f"{day:%Y-%m-%d}",
        lambda day: f"{day.day} {KAZAKH_LOCATIVE[day.month - 1]} {day.year}",
        lambda day: f"{day.day} {RUSSIAN_GENITIVE[day.month - 1]} {day.year} г.",
        lambda day: f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}",
    ]
)


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(_LONG_TITLE, st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
                  st.lists(_PARAGRAPH, min_size=1, max_size=3)),
        min_size=1,
        max_size=6,
    ),
    _DATE_WRITTEN,
    st.sampled_from(["before", "after"]),
    st.sampled_from(["\n", "\n\n"]),
    st.sampled_from(["", "Новости\n", "Главная / Пресс-центр\n"]),
)  # fmt: skip
def test_a_digest_with_dates_on_their_own_lines_comes_back_release_for_release(
    releases, write_date, date_goes, gap, heading
):
    def release(title, day, body):
        dated = [write_date(day), title] if date_goes == "before" else [title, write_date(day)]
        return gap.join([*dated, *body])

    text = heading + gap.join(release(*parts) for parts in releases)
    items = parse(text)
    assert [(item.title, item.body) for item in items] == [
        (title, gap.join(body)) for title, _, body in releases
    ]
    assert [item.release_date for item in items] == [day for _, day, _ in releases]


# --- streaming ------------------------------------------------------------------------


class CountingLines:
    """10,000 generated releases, counting how many lines the parser has taken."""

    def __init__(self, releases: int):
        self.releases = releases
        self.taken = 0

    def __iter__(self):
        yield "World"
        self.taken += 1
        for number in range(self.releases):
            for line in (
                f"Release {number} about the regional budget {1 + number % 28:02d}.03.2026",
                long_line(f"Budget paragraph of release {number}", 600),
            ):
                yield line
                self.taken += 1


def test_releases_are_yielded_as_the_lines_arrive():
    lines = CountingLines(10_000)
    items = parse_digest(lines)
    first = next(items)
    assert first.item == "line 2"
    # The first release is known to end only when the next header arrives, plus one
    # line of look-ahead.
    assert lines.taken <= 5
    for count, _ in enumerate(items, start=2):
        assert lines.taken <= 2 * count + 3
    assert count == 10_000


def test_memory_does_not_grow_with_the_digest():
    lines = CountingLines(10_000)
    tracemalloc.start()
    try:
        count = sum(1 for _ in parse_digest(lines))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    whole_digest = 10_000 * 700  # characters, at least
    assert peak < whole_digest / 50
