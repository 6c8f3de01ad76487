"""The accreditation register in the admin: editors manage it, press officers never see it,
and the records of what was sent and opened are read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, Distribution, LinkOpening
from tests.factories import seeded_region

from .factories import AccreditationFactory

pytestmark = pytest.mark.django_db

ADD = "admin:accreditation_accreditation_add"
LIST = "admin:accreditation_accreditation_changelist"
OPENINGS = "admin:accreditation_linkopening_changelist"


def logged_in(client, user):
    client.force_login(user)
    return client


def test_an_editor_accredits_a_journalist(client, editor, agency):
    region = seeded_region("KZ-79")

    response = logged_in(client, editor).post(
        reverse(ADD),
        {
            "journalist": "Айгуль Серикова",
            "outlet": "Казинформ",
            "email": " Aigul@Press.Example.kz ",
            "languages": ["ru", "kk"],
            "is_active": "on",
            "active_until": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "regions": [region.pk],
            "agencies": [agency.pk],
        },
    )

    assert response.status_code == 302
    accreditation = Accreditation.objects.get()
    assert accreditation.email == "aigul@press.example.kz"
    # In the site's order of languages, whatever order the form sent them in.
    assert accreditation.languages == ["kk", "ru"]
    assert list(accreditation.regions.all()) == [region]
    assert list(accreditation.agencies.all()) == [agency]


def test_a_journalist_without_a_language_or_twice_is_refused(client, editor):
    AccreditationFactory(email="aigul@press.example.kz")

    response = logged_in(client, editor).post(
        reverse(ADD),
        {"journalist": "Айгуль", "outlet": "Казинформ", "email": "AIGUL@press.example.kz"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "languages" in errors
    assert errors["__all__"] == ["A journalist with this email is already accredited."]
    assert Accreditation.objects.count() == 1


def test_press_officers_have_no_access(client, press_officer, journalist, embargoed):
    LinkOpening.objects.create(accreditation=journalist, article=embargoed, kind="page")
    client = logged_in(client, press_officer)

    for url in (
        reverse(LIST),
        reverse(ADD),
        reverse("admin:accreditation_accreditation_change", args=[journalist.pk]),
        reverse(OPENINGS),
        reverse("admin:accreditation_distribution_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    assert "accreditation" not in client.get(reverse("admin:index")).content.decode().lower()


def test_openings_are_read_only_for_editors(client, editor, journalist, embargoed):
    opening = LinkOpening.objects.create(
        accreditation=journalist,
        article=embargoed,
        kind="page",
        client_address="203.0.113.7",
        user_agent="Reporter/1.0",
    )
    client = logged_in(client, editor)

    listed = client.get(reverse(OPENINGS), HTTP_ACCEPT_LANGUAGE="en")
    change = reverse("admin:accreditation_linkopening_change", args=[opening.pk])
    page = client.get(change, HTTP_ACCEPT_LANGUAGE="en")
    posted = client.post(change, {"user_agent": "forged"})

    assert listed.status_code == 200
    assert "203.0.113.7" in listed.content.decode()
    assert "Reporter/1.0" in listed.content.decode()
    assert page.status_code == 200 and 'name="user_agent"' not in page.content.decode()
    assert posted.status_code == 403
    assert client.get(reverse("admin:accreditation_linkopening_add")).status_code == 403
    opening.refresh_from_db()
    assert opening.user_agent == "Reporter/1.0"


def test_the_openings_of_one_release_and_one_journalist(client, editor, journalist, embargoed):
    other = AccreditationFactory(journalist="Другой журналист")
    LinkOpening.objects.create(accreditation=journalist, article=embargoed, kind="page")
    LinkOpening.objects.create(accreditation=other, article=embargoed, kind="image")

    response = logged_in(client, editor).get(
        reverse(OPENINGS),
        {"article__id__exact": embargoed.pk, "accreditation__id__exact": journalist.pk},
    )

    assert response.status_code == 200
    assert [o.accreditation for o in response.context["cl"].result_list] == [journalist]


def test_the_release_form_shows_who_received_it_and_their_openings(
    client, editor, journalist, embargoed
):
    Distribution.objects.create(
        accreditation=journalist,
        article=embargoed,
        version=embargoed,
        embargo_until=embargoed.publish_at,
    )
    for _n in range(3):
        LinkOpening.objects.create(accreditation=journalist, article=embargoed, kind="page")
    client = logged_in(client, editor)
    url = reverse("admin:news_article_change", args=[embargoed.pk])

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Sent to accredited journalists under embargo" in html
    assert "Айгуль Серикова (Kazinform)" in html
    openings = reverse(OPENINGS)
    assert (
        f"{openings}?article__id__exact={embargoed.pk}&amp;accreditation__id__exact={journalist.pk}"
        in html
    )
    assert ">3</a>" in html


def test_a_press_officer_does_not_see_who_received_their_release(
    client, press_officer, journalist, embargoed
):
    Distribution.objects.create(
        accreditation=journalist,
        article=embargoed,
        version=embargoed,
        embargo_until=embargoed.publish_at,
    )
    embargoed.author = press_officer
    embargoed.save()

    response = logged_in(client, press_officer).get(
        reverse("admin:news_article_change", args=[embargoed.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sent to accredited journalists under embargo" not in html
    assert "Айгуль Серикова" not in html
