"""The language each person is written to in: chosen, else last used in the admin."""

import pytest
from django.contrib.auth import get_user_model

from people import languages
from people.models import Preferences

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.select_related("preferences").get(pk=user.pk)


def test_without_preferences_a_person_is_written_to_in_the_sites_language(settings):
    settings.LANGUAGE_CODE = "ru"
    assert languages.email_language(fresh(UserFactory())) == "ru"


def test_the_last_language_used_in_the_admin_is_the_default():
    user = UserFactory()
    languages.record_admin_language(user, "kk")
    assert languages.email_language(fresh(user)) == "kk"


def test_a_chosen_language_wins_over_the_last_used():
    user = UserFactory()
    languages.record_admin_language(user, "kk")
    Preferences.objects.filter(user=user).update(language="en")
    languages.record_admin_language(user, "ru")
    assert languages.email_language(fresh(user)) == "en"
    assert Preferences.objects.get(user=user).last_admin_language == "ru"


def test_people_are_grouped_by_language_in_their_order():
    anna, bolat, dana = (UserFactory(username=name) for name in ("anna", "bolat", "dana"))
    languages.record_admin_language(anna, "kk")
    languages.record_admin_language(dana, "kk")
    languages.record_admin_language(bolat, "ru")
    groups = languages.by_language([fresh(anna), fresh(bolat), fresh(dana)])
    assert {language: [u.username for u in users] for language, users in groups.items()} == {
        "kk": ["anna", "dana"],
        "ru": ["bolat"],
    }


def test_recording_twice_keeps_one_row():
    user = UserFactory()
    languages.record_admin_language(user, "kk")
    languages.record_admin_language(user, "ru")
    assert Preferences.objects.filter(user=user).count() == 1
