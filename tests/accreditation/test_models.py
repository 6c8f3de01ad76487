"""Who is accredited today, and who follows a release (accreditation.models)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from accreditation.models import Accreditation
from tests.factories import AgencyFactory, ArticleFactory, DistrictFactory, seeded_region

from .factories import AccreditationFactory

pytestmark = pytest.mark.django_db


def test_current_accreditations():
    today = timezone.localdate()
    open_ended = AccreditationFactory()
    last_day = AccreditationFactory(active_until=today)
    AccreditationFactory(active_until=today - timedelta(days=1))
    AccreditationFactory(is_active=False)

    assert set(Accreditation.objects.current()) == {open_ended, last_day}
    assert last_day.is_current() and not last_day.is_current(today + timedelta(days=1))


def test_followers_of_a_regions_district_release_and_of_its_region():
    region = seeded_region("KZ-79")
    district = DistrictFactory(parent=region)
    article = ArticleFactory(region=district, agency=AgencyFactory(region=None))
    of_region = AccreditationFactory(regions=[region])
    of_district = AccreditationFactory(regions=[district])
    AccreditationFactory(regions=[seeded_region("KZ-75")])
    AccreditationFactory(regions=[DistrictFactory(parent=region)])  # a neighbouring district

    assert set(Accreditation.objects.following(article)) == {of_region, of_district}


def test_a_district_follower_does_not_get_the_whole_region():
    region = seeded_region("KZ-79")
    article = ArticleFactory(region=region, agency=AgencyFactory(region=None))
    AccreditationFactory(regions=[DistrictFactory(parent=region)])

    assert not Accreditation.objects.following(article).exists()


def test_followers_by_agency_and_tag_each_once():
    agency = AgencyFactory()
    article = ArticleFactory(agency=agency, region=None, tags=["вода", "дороги"])
    both = AccreditationFactory(agencies=[agency], tags=list(Tag.objects.all()))
    by_tag = AccreditationFactory(tags=[Tag.objects.get(name="дороги")])
    AccreditationFactory(agencies=[AgencyFactory()])

    followers = list(Accreditation.objects.following(article))

    assert sorted(followers, key=lambda a: a.pk) == [both, by_tag]


def test_a_release_without_region_agency_or_tags_has_no_followers():
    article = ArticleFactory(agency=None, region=None)
    AccreditationFactory(regions=[seeded_region("KZ-79")])

    assert not Accreditation.objects.following(article).exists()


def test_the_email_language_is_the_first_the_journalist_reads(settings):
    assert AccreditationFactory(languages=["kk", "ru"]).email_language == "kk"
    assert AccreditationFactory(languages=[]).email_language == settings.LANGUAGE_CODE
