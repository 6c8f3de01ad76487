"""Path converters that match only what the views can use.

Django's `int` takes any number of ASCII digits: a year of twenty digits overflowed `date`
and an id of twenty overflowed the database's bigint, both 500s. These match a bounded
number of ASCII digits, so anything longer is a 404 before a view runs. Registered when
the app is ready (news.apps), before the admin's URLs and the site's are read.
"""

import re

from django.urls import register_converter

# Ids are bigints: at most 2**63 - 1, which has 19 digits; 18 always fit.
MAX_ID_DIGITS = 18


class BoundedIntConverter:
    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class IdConverter(BoundedIntConverter):
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"


class YearConverter(BoundedIntConverter):
    regex = "[0-9]{4}"


class MonthOrDayConverter(BoundedIntConverter):
    regex = "[0-9]{1,2}"


def parse_id(text: str | None) -> int | None:
    """The id `text` writes in ASCII digits, as the `id` converter reads it; else None.

    `str.isdigit` and `int` also take other scripts' digits: `٣` (Arabic-Indic three) was
    read as id 3, and `²` passed isdigit() but broke int().
    """
    if text is None or not re.fullmatch(IdConverter.regex, text):
        return None
    return int(text)


def register_converters() -> None:
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
    register_converter(MonthOrDayConverter, "month")
    register_converter(MonthOrDayConverter, "day")
