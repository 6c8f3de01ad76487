import pytest

from news.converters import IdConverter, parse_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("0", 0),
        ("999999999999999999", 999999999999999999),
        ("9999999999999999999", None),  # 19 digits may pass a bigint
        ("٣", None),  # Arabic-Indic three: int() reads it as 3
        ("²", None),  # superscript two: isdigit(), yet int() refuses it
        ("-1", None),
        ("1 ", None),
        ("", None),
        (None, None),
    ],
)
def test_an_id_is_ascii_digits_that_fit_a_bigint(text, expected):
    assert parse_id(text) == expected


def test_the_id_converter_reads_what_parse_id_reads():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    assert converter.to_url(42) == "42"
