"""Release dates as listings write them: every form, with times, and what is not a date."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from news.importing.dates import WrittenDate, date_at_end, date_line

MARCH_17 = date(2026, 3, 17)

KAZAKH_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
# The forms a Kazakh month takes in a date: "17 наурыздың", "17 наурызда", "17 наурызы".
KAZAKH_GENITIVE = (
    "қаңтардың", "ақпанның", "наурыздың", "сәуірдің", "мамырдың", "маусымның",
    "шілденің", "тамыздың", "қыркүйектің", "қазанның", "қарашаның", "желтоқсанның",
)  # fmt: skip
KAZAKH_LOCATIVE = (
    "қаңтарда", "ақпанда", "наурызда", "сәуірде", "мамырда", "маусымда",
    "шілдеде", "тамызда", "қыркүйекте", "қазанда", "қарашада", "желтоқсанда",
)  # fmt: skip
KAZAKH_POSSESSIVE = (
    "қаңтары", "ақпаны", "наурызы", "сәуірі", "мамыры", "маусымы",
    "шілдесі", "тамызы", "қыркүйегі", "қазаны", "қарашасы", "желтоқсаны",
)  # fmt: skip
RUSSIAN_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@pytest.mark.parametrize(
    "written",
    [
        "17.03.2026",
        "17/03/2026",
        "2026-03-17",
        "17 наурыз 2026",
        "17 наурыз 2026 ж.",
        "17 наурызда 2026 жылы",
        "2026 жылғы 17 наурыз",
        "2026 ж. 17 наурызда",
        "17 марта 2026",
        "17 марта 2026 г.",
        "17 марта 2026 года",
        "March 17, 2026",
        "Mar. 17, 2026",
        "17 March 2026",
        "17th March 2026",
        "17 МАРТА 2026 г.",
    ],
)
def test_every_way_of_writing_a_date_is_read(written):
    assert date_line(written) == WrittenDate(written, MARCH_17)
    assert date_at_end(f"Аким встретился с жителями {written}") == (
        "Аким встретился с жителями",
        WrittenDate(written, MARCH_17),
    )


@pytest.mark.parametrize(
    ("written", "at"),
    [
        ("17.03.2026 10:30", time(10, 30)),
        ("17.03.2026, 10:30:15", time(10, 30, 15)),
        ("17 марта 2026 г., 9:05", time(9, 5)),
        ("17 марта 2026 в 09:05", time(9, 5)),
        ("March 17, 2026 at 23:59", time(23, 59)),
        ("2026 жылғы 17 наурыз, сағат 10:30", time(10, 30)),
        ("2026-03-17 | 00:00", time(0, 0)),
    ],
)
def test_a_time_after_the_date_is_read_with_it(written, at):
    assert date_line(written) == WrittenDate(written, MARCH_17, at)
    assert date_at_end(f"Title {written}") == ("Title", WrittenDate(written, MARCH_17, at))


@pytest.mark.parametrize("written", ["10:30 17.03.2026", "10:30, 17 марта 2026 г."])
def test_a_time_may_come_first_on_a_line_of_its_own(written):
    assert date_line(written) == WrittenDate(written, MARCH_17, time(10, 30))


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_every_language_and_form(month):
    names = (
        KAZAKH_MONTHS, KAZAKH_GENITIVE, KAZAKH_LOCATIVE, KAZAKH_POSSESSIVE, RUSSIAN_GENITIVE,
        ENGLISH_MONTHS,
    )  # fmt: skip
    for forms in names:
        written = f"5 {forms[month - 1]} 2026"
        assert date_line(written) == WrittenDate(written, date(2026, month, 5)), written
    written = f"{ENGLISH_MONTHS[month - 1]} 5, 2026"
    assert date_line(written) == WrittenDate(written, date(2026, month, 5))


@pytest.mark.parametrize(
    "written", ["31.02.2026", "29 февраля 2025 г.", "00.01.2026", "2026-13-01"]
)
def test_a_day_that_does_not_exist_is_read_as_written_without_a_day(written):
    assert date_line(written) == WrittenDate(written, None)


@pytest.mark.parametrize(
    "line",
    [
        "Новости",
        "2026",
        "17.03.26",  # a two-digit year could be any century
        "17.03/2026",
        "17 маяк 2026",  # a word that starts like a month
        "Mars 17, 2026",
        "17.03.2026 25:00",
        "17.03.202610:30",
        "Главная / Пресс-центр",
    ],
)
def test_what_is_not_a_date_line(line):
    assert date_line(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "17.03.2026",  # a date alone has no text before it
        "The programme runs until 31 December 2026.",  # a sentence ends after its date
        "Plan for 2025-2030",
        "Meeting number 117.03.2026",
    ],
)
def test_what_does_not_end_with_a_date_after_text(line):
    assert date_at_end(line) is None


@pytest.mark.parametrize("separator", [" – ", " — ", " - ", " | ", ", ", " · "])
def test_a_dash_bar_or_comma_between_title_and_date_is_not_part_of_the_title(separator):
    assert date_at_end(f"Аким встретился с жителями{separator}17.03.2026")[0] == (
        "Аким встретился с жителями"
    )


def test_only_the_end_of_a_long_line_is_searched():
    line = "слово " * 50_000 + "17.03.2026"
    assert date_at_end(line)[1].day == MARCH_17


# --- any date, written any way --------------------------------------------------------

_FORMATS = (
    lambda day: f"{day.day:02d}.{day.month:02d}.{day.year}",
    lambda day: f"{day.day}/{day.month}/{day.year}",
    lambda day: f"{day.year}-{day.month:02d}-{day.day:02d}",
    lambda day: f"{day.day} {KAZAKH_MONTHS[day.month - 1]} {day.year}",
    lambda day: f"{day.day} {KAZAKH_LOCATIVE[day.month - 1]} {day.year} ж.",
    lambda day: f"{day.year} жылғы {day.day} {KAZAKH_MONTHS[day.month - 1]}",
    lambda day: f"{day.day} {RUSSIAN_GENITIVE[day.month - 1]} {day.year} г.",
    lambda day: f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}",
    lambda day: f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}",
)
_TIMES = st.one_of(st.none(), st.times().map(lambda moment: moment.replace(microsecond=0)))


def _with_time(written: str, at: time | None, seconds: bool) -> str:
    if at is None:
        return written
    return f"{written} {at:%H:%M:%S}" if seconds else f"{written}, {at:%H:%M}"


@given(
    st.dates(min_value=date(1000, 1, 1)),
    st.sampled_from(_FORMATS),
    _TIMES,
    st.booleans(),
)
def test_any_date_and_time_written_any_way_is_read_back(day, write, at, seconds):
    written = _with_time(write(day), at, seconds)
    expected_time = at if at is None or seconds else at.replace(second=0)
    assert date_line(written) == WrittenDate(written, day, expected_time)
    title, found = date_at_end(f"Әкім тұрғындармен кездесті {written}")
    assert (title, found) == (
        "Әкім тұрғындармен кездесті",
        WrittenDate(written, day, expected_time),
    )


@given(st.text())
def test_any_text_is_a_date_or_not_without_raising(text):
    found = date_line(text)
    assert found is None or found.written == text.strip()
    at_end = date_at_end(text)
    assert at_end is None or (at_end[0] and text.rstrip().endswith(at_end[1].written))
