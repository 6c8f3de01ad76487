"""Regions and agencies as the data migration seeds them, and the rules the database keeps."""

import importlib

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from agencies.models import Agency, AgencyMembership, Region

from ..factories import AgencyFactory, UserFactory, seeded_region

SEED = importlib.import_module("agencies.migrations.0002_seed_regions_and_agencies")

pytestmark = pytest.mark.django_db


# --- seed data --------------------------------------------------------------------------


def test_kazakhstan_and_its_twenty_regions_and_cities_are_seeded():
    country = Region.objects.get(kind=Region.Kind.COUNTRY)
    assert (country.iso_code, country.name_en, country.parent) == ("KZ", "Kazakhstan", None)

    below = Region.objects.exclude(pk=country.pk)
    assert below.count() == 20
    assert below.filter(kind=Region.Kind.REGION).count() == 17
    assert set(below.filter(kind=Region.Kind.CITY).values_list("iso_code", flat=True)) == {
        "KZ-71",
        "KZ-75",
        "KZ-79",
    }
    assert set(below.values_list("parent", flat=True)) == {country.pk}
    # The 2022 regions carry their new ISO codes; the renamed ones keep the former code too.
    assert {"KZ-10", "KZ-33", "KZ-62"} <= set(below.values_list("iso_code", flat=True))
    assert seeded_region("KZ-11").former_iso_code == "KZ-AKM"


def test_every_seeded_region_has_names_in_three_languages_and_an_akimat_slug():
    for region in Region.objects.exclude(kind=Region.Kind.COUNTRY):
        assert region.name_kk and region.name_ru and region.name_en, region.iso_code
        assert region.govkz_akimat_slug, region.iso_code


def test_seeded_slugs_and_codes_are_unique():
    regions = list(Region.objects.values_list("slug", "iso_code"))
    assert len({slug for slug, _ in regions}) == len(regions) == 21
    assert len({code for _, code in regions}) == 21
    agency_slugs = list(Agency.objects.values_list("slug", flat=True))
    assert len(set(agency_slugs)) == len(agency_slugs)


def test_every_agency_of_the_seed_is_there_with_its_region_and_parent():
    seeded = {row[0]: row for row in SEED.AGENCIES}
    assert len(seeded) == len(SEED.AGENCIES)
    assert set(Agency.objects.values_list("slug", flat=True)) == set(seeded)
    for agency in Agency.objects.select_related("region", "parent"):
        slug, kind, region_iso, parent_slug, name_en, name_ru, name_kk = seeded[agency.slug]
        assert agency.kind == kind, slug
        assert (agency.region.iso_code if agency.region else None) == region_iso, slug
        assert (agency.parent.slug if agency.parent else None) == parent_slug, slug
        assert (agency.name_en, agency.name_ru, agency.name_kk) == (name_en, name_ru, name_kk)
        assert agency.website == agency.govkz_url
        assert not agency.needs_review


def test_seeded_hierarchy_examples():
    assert Agency.objects.get(slug="krem").parent.slug == "economy"
    assert Agency.objects.get(slug="shekaraknb").parent.slug == "knb"
    assert Agency.objects.get(slug="kostanay").region == seeded_region("KZ-39")
    assert Agency.objects.get(slug="mfa-geneva").region is None


# --- names ------------------------------------------------------------------------------


def test_names_follow_the_active_language_with_a_fallback():
    almaty = seeded_region("KZ-19")
    for language, expected in (
        ("en", "Almaty Region"),
        ("ru", "Алматинская область"),
        ("kk", "Алматы облысы"),
    ):
        with translation.override(language):
            assert str(almaty) == expected
    half_named = AgencyFactory(slug="half-named", name_en="Only English", name_ru="", name_kk="")
    with translation.override("kk"):
        assert str(half_named) == "Only English"
    nameless = AgencyFactory(slug="nameless", name_en="", name_ru="", name_kk="")
    assert str(nameless) == "nameless"
    assert nameless.govkz_url == "https://www.gov.kz/memleket/entities/nameless/"


# --- constraints ------------------------------------------------------------------------


def make_region(**fields) -> Region:
    values = {
        "kind": Region.Kind.DISTRICT,
        "parent": seeded_region("KZ-39"),
        "name_kk": "Аудан",
        "name_ru": "Район",
        "name_en": "District",
        "slug": "test-district",
    } | fields
    return Region.objects.create(**values)


def test_a_district_needs_no_iso_code():
    district = make_region(iso_code=None)
    assert district.parent.iso_code == "KZ-39"
    assert make_region(slug="another-district", iso_code=None).iso_code is None


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": Region.Kind.REGION, "iso_code": None}, "region_iso_code_required_above_district"),
        ({"kind": Region.Kind.CITY, "iso_code": None}, "region_iso_code_required_above_district"),
        ({"parent": None}, "region_parent_required_below_country"),
        ({"kind": Region.Kind.REGION, "iso_code": "KZ-99", "parent": None},
         "region_parent_required_below_country"),
        ({"slug": "almaty"}, "slug"),
        ({"kind": Region.Kind.REGION, "iso_code": "KZ-75"}, "iso_code"),
    ],
    ids=["region-without-iso", "city-without-iso", "district-without-parent",
         "region-without-parent", "duplicate-slug", "duplicate-iso"],
)  # fmt: skip
def test_region_constraints_are_kept_by_the_database(fields, constraint):
    before = Region.objects.count()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make_region(**fields)
    assert constraint in str(caught.value)
    assert Region.objects.count() == before


def test_a_country_needs_no_parent():
    region = make_region(kind=Region.Kind.COUNTRY, iso_code="XX", parent=None, slug="elsewhere")
    assert region.parent is None


def test_agency_slug_is_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(slug="economy", name_en="A second economy ministry")


def test_a_press_officer_belongs_to_an_agency_once(agency):
    user = UserFactory()
    AgencyMembership.objects.create(user=user, agency=agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyMembership.objects.create(user=user, agency=agency)
    assert list(user.agencies.all()) == [agency]


def test_a_region_in_use_cannot_be_deleted(agency):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        agency.region.delete()
