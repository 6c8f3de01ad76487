import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from news.fields import JSONTypeOf, SourceListFormField, single_line
from news.models import Article

from ..factories import ArticleFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Roads\r\nrepaired", "Roads repaired"),
        ("Roads \n\n repaired\n", "Roads repaired"),
        ("Roads\u2028repaired\x85today\x0b", "Roads repaired today"),
        ("10\u00a0000 trees", "10\u00a0000 trees"),  # a no-break space is no line break
    ],
)
def test_single_line_turns_each_run_of_line_breaks_into_one_space(text, expected):
    assert single_line(text) == expected


def test_sources_are_typed_one_per_line():
    field = SourceListFormField(required=False)

    assert field.clean(" https://gov.kz/a \r\n\r\nwww.kt.kz/b\nhttps://gov.kz/a\n") == [
        "https://gov.kz/a",
        "https://www.kt.kz/b",
    ]
    assert field.clean("") == []
    assert field.prepare_value(["https://gov.kz/a", "https://kt.kz/b"]) == (
        "https://gov.kz/a\nhttps://kt.kz/b"
    )
    assert not field.has_changed(["https://gov.kz/a"], "https://gov.kz/a\n")
    assert field.has_changed(["https://gov.kz/a"], "https://gov.kz/b")


@pytest.mark.parametrize("line", ["javascript:alert(1)", "ftp://files.kz/a", "not an address"])
def test_a_line_that_is_not_a_web_address_is_named_in_the_error(line):
    with pytest.raises(ValidationError) as refused:
        SourceListFormField().clean(f"https://gov.kz/a\n\n{line}")

    [error] = refused.value.error_list
    assert error.code == "invalid_source"
    assert (error.message % error.params).startswith("Line 3: ")


@pytest.mark.django_db
def test_json_type_of_names_the_type_of_a_stored_value():
    article = ArticleFactory(sources=["https://gov.kz/a"])

    found = Article.objects.annotate(kind=JSONTypeOf(F("sources"))).get(pk=article.pk)

    assert found.kind == "array"
