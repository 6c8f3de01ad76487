"""The admin's lists refuse filter values they would misread (config.admin)."""

import pytest
from django.test import Client
from django.urls import reverse

from config.admin import filter_value_is_usable
from news.models import Article

from ..factories import AgencyFactory, ArticleFactory

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("lookup", "value", "usable"),
    [
        ("agency__id__exact", "3", True),
        ("agency__id__exact", "٣", False),
        ("agency__id__exact", "²", False),
        ("agency__id__exact", "99999999999999999999", False),
        ("agency", "3", True),
        ("agency", "٣", False),
        ("pk__in", "1,2", True),
        ("id__in", "1,٢", False),
        ("agency__isnull", "True", True),
        ("status__exact", "draft", True),
        ("flags__code__exact", "empty_body", True),
        ("release_date__gte", "2025-03-01", True),
        ("release_date__gte", "٢٠٢٥-03-01", False),
        ("version__gte", "-1", True),
        ("title__icontains", "м²", True),  # text, not a number
        ("language__exact", "٣", True),  # a choice: it matches none, which the list shows
    ],
)
def test_a_filter_value_is_usable_when_it_writes_numbers_in_ascii_digits(lookup, value, usable):
    assert filter_value_is_usable(Article, lookup, value) is usable


@pytest.mark.django_db
def test_the_article_list_refuses_an_agency_id_in_other_digits(editor):
    wanted, other = AgencyFactory(), AgencyFactory()
    ArticleFactory(agency=wanted, title="Wanted")
    ArticleFactory(agency=other, title="Other")
    client = Client()
    client.force_login(editor)
    changelist = reverse("admin:news_article_changelist")

    ascii_filter = client.get(changelist, {"agency__id__exact": wanted.pk})
    assert [str(a) for a in ascii_filter.context["cl"].result_list] == ["Wanted"]

    for value in [str(wanted.pk).translate(ARABIC_INDIC), "²", "99999999999999999999"]:
        response = client.get(changelist, {"agency__id__exact": value})
        # The admin's own answer to a filter it cannot use: the whole list, flagged.
        assert response.status_code == 302, value
        assert response["Location"] == f"{changelist}?e=1"


@pytest.mark.django_db
def test_the_press_officers_agency_filter_refuses_other_digits(press_officer, agency):
    ArticleFactory(agency=agency, title="Ours")
    client = Client()
    client.force_login(press_officer)
    changelist = reverse("admin:news_article_changelist")

    assert client.get(changelist, {"agency__id__exact": agency.pk}).status_code == 200
    arabic = str(agency.pk).translate(ARABIC_INDIC)
    assert client.get(changelist, {"agency__id__exact": arabic}).status_code == 302
    assert client.get(changelist, {"agency": "²"}).status_code == 302


@pytest.mark.django_db
def test_other_lists_refuse_other_digits_too(administrator, agency):
    client = Client()
    client.force_login(administrator)
    agencies = reverse("admin:agencies_agency_changelist")
    region = str(agency.region_id).translate(ARABIC_INDIC)

    assert client.get(agencies, {"region__id__exact": agency.region_id}).status_code == 200
    assert client.get(agencies, {"region__id__exact": region}).status_code == 302
