"""The admin language each staff member last used is recorded, once per change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import Preferences

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def last_used(user) -> str:
    return Preferences.objects.get(user=user).last_admin_language


def test_logging_in_to_the_admin_records_the_login_pages_language():
    UserFactory(username="aigerim")
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    response = client.post(
        reverse("admin:login"),
        {"username": "aigerim", "password": "correct-horse-battery", "next": INDEX},
    )
    assert response.status_code == 302
    assert Preferences.objects.get(user__username="aigerim").last_admin_language == "kk"


def test_a_change_of_language_is_recorded_and_the_same_language_writes_nothing():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert last_used(user) == "en"

    client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ru")
    assert last_used(user) == "ru"

    with CaptureQueriesContext(connection) as queries:
        client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ru")
    assert [q["sql"] for q in queries.captured_queries if "people_preferences" in q["sql"]] == []
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)


def test_the_public_site_and_people_outside_the_staff_record_nothing(client):
    user = UserFactory(is_staff=False)
    client.force_login(user)
    client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ru")
    client.get("/kk/")
    assert not Preferences.objects.filter(user=user).exists()


def test_a_staff_member_on_the_public_site_keeps_the_admins_language():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ru")
    client.get("/kk/")
    assert last_used(user) == "ru"
