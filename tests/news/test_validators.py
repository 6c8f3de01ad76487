import pytest
from django.core.exceptions import ValidationError

from news.validators import (
    MAX_TAG_LENGTH,
    fit_tag,
    validate_new_tag,
    validate_slug_is_not_a_number,
    validate_sources,
    validate_web_address,
)


def code_of(error: pytest.ExceptionInfo) -> str:
    return error.value.error_list[0].code


@pytest.mark.parametrize(
    "url",
    ["https://www.gov.kz/memleket/entities/mfa", "http://kt.kz/a?b=1#c", "https://пример.қаз"],
)
def test_a_web_address_is_http_or_https(url):
    validate_web_address(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>",
        "ftp://files.kz/a",
        "//gov.kz/a",
        "www.gov.kz",  # a form adds the scheme; stored data must have it
        "https://bad_host.kz/",
        "https://gov.kz/" + "a" * 1000,
        "",
        1,
        None,
        ["https://gov.kz"],
    ],
)
def test_anything_else_is_not_a_web_address(url):
    with pytest.raises(ValidationError) as refused:
        validate_web_address(url)
    assert code_of(refused) == "invalid_source"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({"x": 1}, "sources_not_a_list"),
        ("https://gov.kz", "sources_not_a_list"),
        (None, "sources_not_a_list"),
        ([1, 2], "invalid_source"),
        (["https://gov.kz", "javascript:alert(1)"], "invalid_source"),
    ],
)
def test_sources_are_a_list_of_web_addresses(value, code):
    with pytest.raises(ValidationError) as refused:
        validate_sources(value)
    assert code_of(refused) == code
    validate_sources([])
    validate_sources(["https://gov.kz", "http://kt.kz/a"])


@pytest.mark.parametrize("slug", ["2025", "0", "123456"])
def test_a_slug_of_digits_is_refused(slug):
    with pytest.raises(ValidationError) as refused:
        validate_slug_is_not_a_number(slug)
    assert code_of(refused) == "slug_is_number"
    validate_slug_is_not_a_number(f"release-{slug}")


def test_a_new_tag_fits_taggits_columns_with_room_for_its_suffix():
    validate_new_tag("roads")
    validate_new_tag("ж" * 90)
    for name in ["x" * (MAX_TAG_LENGTH + 1), "x" * MAX_TAG_LENGTH, "ﷺ" * 10]:
        with pytest.raises(ValidationError) as refused:
            validate_new_tag(name)
        assert code_of(refused) == "tag_too_long"


def test_an_imported_tag_is_shortened_until_it_fits():
    assert fit_tag("roads") == "roads"
    fitted = fit_tag("x" * 150)
    assert fitted == "x" * len(fitted) and len(fitted) <= MAX_TAG_LENGTH
    validate_new_tag(fitted)
    validate_new_tag(fit_tag("ﷺ" * 10))
