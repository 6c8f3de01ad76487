"""Release dates as listings write them, in Kazakh, Russian and English.

Numbers, day first as Kazakhstan writes them (17.03.2026, 17/03/2026) or year first as
ISO 8601 (2026-03-17); or a month's name in any form it takes in a date: Kazakh
(17 наурыз 2026, 17 наурызда 2026 ж., 2026 жылғы 17 наурыз), Russian (17 марта 2026 г.)
and English (March 17, 2026; 17 March 2026). A time may follow (10:30, 10:30:00), or on
a line of its own precede the date.
"""

import re
from dataclasses import dataclass
from datetime import date, time

# Every form a month's name takes in a date, lower case. Kazakh: nominative, genitive,
# locative, possessive ("17 наурызы") and possessive locative; Russian: nominative and
# genitive; English: the name and its abbreviations.
_KAZAKH_FORMS = (
    "қаңтар қаңтардың қаңтарда қаңтары қаңтарында",
    "ақпан ақпанның ақпанда ақпаны ақпанында",
    "наурыз наурыздың наурызда наурызы наурызында",
    "сәуір сәуірдің сәуірде сәуірі сәуірінде",
    "мамыр мамырдың мамырда мамыры мамырында",
    "маусым маусымның маусымда маусымы маусымында",
    "шілде шілденің шілдеде шілдесі шілдесінде",
    "тамыз тамыздың тамызда тамызы тамызында",
    "қыркүйек қыркүйектің қыркүйекте қыркүйегі қыркүйегінде",
    "қазан қазанның қазанда қазаны қазанында",
    "қараша қарашаның қарашада қарашасы қарашасында",
    "желтоқсан желтоқсанның желтоқсанда желтоқсаны желтоқсанында",
)
_RUSSIAN_FORMS = (
    "январь января", "февраль февраля", "март марта", "апрель апреля", "май мая",
    "июнь июня", "июль июля", "август августа", "сентябрь сентября", "октябрь октября",
    "ноябрь ноября", "декабрь декабря",
)  # fmt: skip
_ENGLISH_FORMS = (
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sept sep", "october oct", "november nov", "december dec",
)  # fmt: skip


def _by_name(*languages: tuple[str, ...]) -> dict[str, int]:
    return {
        form: month
        for forms_of_language in languages
        for month, forms in enumerate(forms_of_language, start=1)
        for form in forms.split()
    }


MONTHS = _by_name(_KAZAKH_FORMS, _RUSSIAN_FORMS, _ENGLISH_FORMS)
_KAZAKH_MONTHS = _by_name(_KAZAKH_FORMS)


def _names(forms) -> str:
    # Longest first, so that "марта" is not read as "мар" followed by letters.
    return "|".join(sorted(forms, key=len, reverse=True))


_DAY = r"\d{1,2}"
_YEAR = r"\d{4}"
_MONTH = rf"(?:{_names(MONTHS)})(?![^\W\d_])\.?"
_KAZAKH_MONTH = rf"(?:{_names(_KAZAKH_MONTHS)})(?![^\W\d_])"
# "г." and "года" after a Russian year, "ж." and "жыл" after a Kazakh one.
_YEAR_WORD = r"(?:\s*(?:г\.|года|год|г|ж\.|жылы|жыл|ж)(?![^\W\d_]))?"
# Each way of writing a date: its name, and a pattern naming its day, month and year.
_FORMS = {
    "numeric": rf"(?P<numeric_d>{_DAY})(?P<sep>[./])(?P<numeric_m>\d{{1,2}})(?P=sep)"
    rf"(?P<numeric_y>{_YEAR})",
    "iso": rf"(?P<iso_y>{_YEAR})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>{_DAY})(?!\d)",
    "day_first": rf"(?P<day_first_d>{_DAY})(?:st|nd|rd|th)?(?:\s+|-)(?P<day_first_m>{_MONTH})"
    rf",?\s+(?P<day_first_y>{_YEAR}){_YEAR_WORD}",
    "month_first": rf"(?P<month_first_m>{_MONTH})\s+(?P<month_first_d>{_DAY})(?:st|nd|rd|th)?"
    rf",?\s+(?P<month_first_y>{_YEAR})",
    "kazakh_year_first": rf"(?P<kazakh_year_first_y>{_YEAR})\s*(?:жылғы|жылдың|жылы|ж\.)\s*"
    rf"(?P<kazakh_year_first_d>{_DAY})(?:\s+|-)(?P<kazakh_year_first_m>{_KAZAKH_MONTH})",
}
_DATE = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _FORMS.items())
_TIME = r"(?P<{0}_h>[01]?\d|2[0-3]):(?P<{0}_m>[0-5]\d)(?::(?P<{0}_s>[0-5]\d))?(?!\d)"
# Between a date and its time: a space, a comma or a bar, and "в", "at" or "сағат".
_GAP = r"(?:\s*[,|·•–—-]\s*|\s+)(?:(?:в|at|сағат|сағ\.)\s+)?"
_AT_END = re.compile(rf"(?<!\S)(?:{_DATE})(?:{_GAP}{_TIME.format('after')})?\s*\Z", re.IGNORECASE)
_WHOLE_LINE = re.compile(
    rf"\s*(?:{_TIME.format('before')}{_GAP})?(?:{_DATE})(?:{_GAP}{_TIME.format('after')})?\s*",
    re.IGNORECASE,
)
# A date and time are at most this long; the end of a line is searched no further back.
_LONGEST = 80
# What may stand between a title and its date: a dash, a bar, a comma.
_TITLE_SEPARATOR = re.compile(r"(?:\s*[,|·•]|\s+[–—-])\s*\Z")


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A date as written, and the day and time of day it names; `day` is None when there is no
    such day (31.02.2026)."""

    written: str
    day: date | None
    time_of_day: time | None = None


def date_at_end(line: str) -> tuple[str, WrittenDate] | None:
    """(the text before it, the date) when `line` ends with a date, and a time maybe, after
    other text; the text is stripped of spaces and of a dash, bar or comma before the date
    (unless that is all it is)."""
    match = _AT_END.search(line, max(0, len(line) - _LONGEST))
    if match is None:
        return None
    before = line[: match.start()].strip()
    if not before:
        return None
    return _TITLE_SEPARATOR.sub("", before).strip() or before, _written(match)


def date_line(line: str) -> WrittenDate | None:
    """The date when it is all `line` holds, with a time before or after it maybe."""
    if len(line) > 2 * _LONGEST:
        return None
    match = _WHOLE_LINE.fullmatch(line)
    return _written(match) if match else None


def _written(match: re.Match) -> WrittenDate:
    form = next(name for name in _FORMS if match[name])
    month = match[f"{form}_m"]
    month = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        day = date(int(match[f"{form}_y"]), month, int(match[f"{form}_d"]))
    except ValueError:
        day = None
    return WrittenDate(written=match[0].strip(), day=day, time_of_day=_time(match))


def _time(match: re.Match) -> time | None:
    for place in ("before", "after"):
        hour = match.groupdict().get(f"{place}_h")
        if hour is not None:
            return time(int(hour), int(match[f"{place}_m"]), int(match[f"{place}_s"] or 0))
    return None
