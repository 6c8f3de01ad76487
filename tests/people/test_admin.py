"""Everyone sets their own language of emails; administrators see anyone's."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import NoReverseMatch, reverse

from people.models import Preferences

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

MINE = reverse("admin:people_preferences_changelist")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_press_officer_opens_and_saves_their_own_preferences(press_officer):
    client = client_for(press_officer)
    own = Preferences.objects.get(user=press_officer)  # made at login

    response = client.get(MINE)
    change = reverse("admin:people_preferences_change", args=[own.pk])
    assert response["Location"] == change
    page = client.get(change).content.decode()
    assert "My preferences" in page and 'name="language"' in page
    assert '<option value="" selected>As last used in the admin</option>' in page
    assert 'name="_continue"' not in page  # saving returns here anyway

    response = client.post(change, {"language": "kk"})
    assert response["Location"] == change
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Your preferences are saved."]
    own.refresh_from_db()
    assert own.language == "kk"


def test_the_index_offers_everyone_their_preferences(press_officer):
    page = client_for(press_officer).get(reverse("admin:index")).content.decode()
    assert MINE in page


def test_nobody_opens_another_persons_preferences(press_officer, editor):
    client_for(editor)  # a login makes the editor's preferences
    theirs = Preferences.objects.get(user=editor)
    client = client_for(press_officer)
    change = reverse("admin:people_preferences_change", args=[theirs.pk])
    response = client.get(change)
    assert response.status_code == 302  # "not found", as Django answers for another's object
    assert client.post(change, {"language": "kk"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.language == ""


def test_an_administrator_sets_a_users_language_on_the_user_page(editor):
    from ..factories import UserFactory

    superuser = UserFactory(username="root", is_superuser=True)
    client = client_for(superuser)
    page = client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    assert 'name="preferences-0-language"' in page


def test_an_administrator_deletes_a_user_and_their_preferences_go_with_them(press_officer):
    administrator = UserFactory(username="root", is_superuser=True)
    Preferences.objects.get_or_create(user=press_officer)
    client = client_for(administrator)
    delete = reverse("admin:auth_user_delete", args=[press_officer.pk])

    assert 'name="post" value="yes"' in client.get(delete).content.decode()
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Preferences.objects.filter(user_id=press_officer.pk).exists()


def test_preferences_have_no_delete_page_of_their_own(press_officer):
    own, _created = Preferences.objects.get_or_create(user=press_officer)
    with pytest.raises(NoReverseMatch):
        reverse("admin:people_preferences_delete", args=[own.pk])
