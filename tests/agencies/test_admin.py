"""The agency and region admin over HTTP: a press officer sees only their own agencies."""

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, AgencyMembership

from ..factories import AgencyFactory, MembershipFactory, UserFactory, seeded_region

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(response) -> set[str]:
    return {agency.slug for agency in response.context["cl"].result_list}


def test_press_officer_lists_only_their_agencies(press_officer, agency, other_agency):
    second = AgencyFactory(slug="agency-c", name_en="Agency C")
    MembershipFactory(user=press_officer, agency=second)
    response = client_for(press_officer).get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 200
    assert listed(response) == {"agency-a", "agency-c"}
    assert "Agency B" not in response.content.decode()


def test_editor_lists_every_agency(editor, agency, other_agency):
    response = client_for(editor).get(reverse("admin:agencies_agency_changelist"), {"all": ""})
    assert listed(response) == set(Agency.objects.values_list("slug", flat=True))
    assert {"agency-a", "agency-b", "economy", "kostanay"} <= listed(response)


def test_press_officer_views_their_agency_read_only(press_officer, agency):
    client = client_for(press_officer)
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Agency A" in page.content.decode()
    assert 'name="name_en"' not in page.content.decode()

    response = client.post(url, {"slug": "agency-a", "name_en": "Renamed", "kind": "other"})
    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.name_en == "Agency A"


def test_another_agency_is_out_of_a_press_officers_reach(press_officer, other_agency):
    client = client_for(press_officer)
    for url in (
        reverse("admin:agencies_agency_change", args=[other_agency.pk]),
        reverse("admin:agencies_agency_history", args=[other_agency.pk]),
    ):
        response = client.get(url, follow=True)
        assert "Agency B" not in response.content.decode(), url


def test_press_officer_cannot_create_agencies_or_manage_memberships(press_officer):
    client = client_for(press_officer)
    assert client.get(reverse("admin:agencies_agency_add")).status_code == 403
    assert client.get(reverse("admin:agencies_agencymembership_changelist")).status_code == 403
    response = client.post(
        reverse("admin:agencies_agencymembership_add"),
        {"user": press_officer.pk, "agency": Agency.objects.get(slug="economy").pk},
    )
    assert response.status_code == 403
    assert not AgencyMembership.objects.filter(agency__slug="economy").exists()


def test_administrator_grants_a_press_officer_an_agency(administrator, agency):
    officer = UserFactory(username="new-officer")
    response = client_for(administrator).post(
        reverse("admin:agencies_agencymembership_add"), {"user": officer.pk, "agency": agency.pk}
    )
    assert response.status_code == 302
    assert list(officer.agencies.all()) == [agency]


def test_agency_search_finds_by_slug_and_name(editor):
    client = client_for(editor)
    url = reverse("admin:agencies_agency_changelist")
    assert listed(client.get(url, {"q": "karzhy"})) >= {"aqmola-karzhy", "astana-karzhy"}
    assert listed(client.get(url, {"q": "Министерство финансов"})) == {"minfin"}


def test_region_autocomplete_for_an_article(press_officer):
    response = client_for(press_officer).get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "article", "field_name": "region", "term": "Almaty"},
    )
    results = {r["text"]: r["id"] for r in response.json()["results"]}
    assert results == {
        "Almaty": str(seeded_region("KZ-75").pk),
        "Almaty Region": str(seeded_region("KZ-19").pk),
    }


def test_agency_autocomplete_without_a_term_offers_a_press_officer_only_their_agency(
    press_officer, agency, other_agency
):
    response = client_for(press_officer).get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "article", "field_name": "agency", "term": ""},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(agency.pk)]


def test_region_changelist_lists_all_regions_for_an_editor(editor):
    response = client_for(editor).get(reverse("admin:agencies_region_changelist"))
    assert response.context["cl"].result_count == 21
    assert client_for(editor).get(reverse("admin:agencies_region_add")).status_code == 403
