from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from agencies.models import Region
from news.models import Article
from webhooks.models import Delivery, Endpoint

from ..factories import AgencyFactory, ArticleFactory, seeded_region
from .factories import DeliveryFactory, EndpointFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")
LIST = reverse("admin:webhooks_endpoint_changelist")


@pytest.fixture
def admin_client(administrator, settings) -> Client:
    settings.AXES_ENABLED = False
    client = Client()
    client.force_login(administrator)
    return client


def form_data(**overrides) -> dict:
    return {
        "name": "Kazinform",
        "url": "https://93.184.216.34/pressroom",
        "is_active": "on",
        "events": ["release.published", "release.unpublished"],
        **overrides,
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hooks",
        "http://localhost/hooks",
        "http://10.0.0.5/hooks",
        "http://192.168.1.10/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hooks",
    ],
)
def test_private_and_loopback_addresses_are_refused(admin_client, url):
    response = admin_client.post(ADD, form_data(url=url))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == [
        "This address is on a private or internal network; webhooks may only be sent to "
        "public web addresses."
    ]
    assert not Endpoint.objects.exists()


def test_the_refusal_is_in_the_administrators_language(admin_client):
    response = admin_client.post(
        ADD, form_data(url="http://127.0.0.1/hooks"), HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert "Этот адрес находится в частной или внутренней сети" in response.content.decode()


def test_an_address_of_an_allowed_network_is_accepted(admin_client, settings):
    settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    refused = admin_client.post(ADD, form_data(url="http://10.30.0.5/hooks"))
    accepted = admin_client.post(ADD, form_data(url="http://10.20.0.5/hooks"))

    assert "url" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    assert Endpoint.objects.get().url == "http://10.20.0.5/hooks"


def test_an_address_that_is_not_http_is_refused(admin_client):
    response = admin_client.post(ADD, form_data(url="ftp://93.184.216.34/hooks"))

    assert "url" in response.context["adminform"].form.errors


def test_an_endpoint_needs_an_event(admin_client):
    response = admin_client.post(ADD, form_data(events=[]))

    assert "events" in response.context["adminform"].form.errors


def test_adding_an_endpoint_generates_a_secret_shown_on_its_page(admin_client):
    region = seeded_region("KZ-19")
    agency = AgencyFactory()

    response = admin_client.post(
        ADD,
        form_data(regions=[region.pk], agencies=[agency.pk], languages=["kk", "ru"]),
    )

    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["release.published", "release.unpublished"]
    assert endpoint.languages == ["kk", "ru"]
    assert list(endpoint.regions.all()) == [region]
    assert list(endpoint.agencies.all()) == [agency]
    assert endpoint.secret.startswith("whsec_")
    Webhook(endpoint.secret)  # a Standard Webhooks library takes it as it is
    page = admin_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


def test_the_change_page_lists_recent_deliveries(admin_client):
    endpoint = EndpointFactory(failing_since=timezone.now())
    article = ArticleFactory(
        title="Park opened", status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    waiting = DeliveryFactory(
        endpoint=endpoint, article=article, failed_with=503, attempts=2,
        next_attempt_at=timezone.now() + timedelta(minutes=2),
    )  # fmt: skip
    old = DeliveryFactory(endpoint=endpoint, created_at=timezone.now() - timedelta(days=2))

    response = admin_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))

    html = response.content.decode()
    assert "Failing since" in html
    rows = html.split('<td><a href="/admin/webhooks/delivery/')
    assert rows[1].startswith(f"{waiting.pk}/")  # the newest first
    assert rows[2].startswith(f"{old.pk}/")
    assert "<td>503</td>" in rows[1] and "<td>120</td>" in rows[1] and "<td>2</td>" in rows[1]
    assert "The endpoint answered with an error (HTTP 503)." in rows[1]
    local = timezone.localtime(waiting.next_attempt_at).strftime("%d.%m.%Y %H:%M:%S")
    assert f"<td>{local}</td>" in rows[1]


def test_the_list_takes_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for _ in range(5):
        endpoint = EndpointFactory(regions=[seeded_region("KZ-19")])
        DeliveryFactory(endpoint=endpoint)
        DeliveryFactory(endpoint=endpoint, status=Delivery.Status.SUCCEEDED)

    with django_assert_max_num_queries(8):
        response = admin_client.get(LIST)

    assert response.content.decode().count('<td class="field-last_delivery">delivered') == 5


def test_the_delivery_log_shows_each_attempt(admin_client):
    delivery = DeliveryFactory(failed_with=500, attempts=3)

    response = admin_client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))

    html = response.content.decode()
    assert delivery.message_id in html
    assert html.count("The endpoint answered with an error (HTTP 500).") >= 3


def test_nobody_adds_or_edits_a_delivery(admin_client):
    delivery = DeliveryFactory()

    assert admin_client.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:webhooks_delivery_change", args=[delivery.pk]), {"status": "succeeded"}
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING


def test_editors_do_not_manage_endpoints(editor, settings):
    settings.AXES_ENABLED = False
    client = Client()
    client.force_login(editor)

    assert client.get(LIST).status_code == 403


def act(admin_client, action, endpoints):
    return admin_client.post(
        LIST,
        {"action": action, "_selected_action": [endpoint.pk for endpoint in endpoints]},
        follow=True,
    )


def test_send_a_test_event(admin_client, receiver, django_capture_on_commit_callbacks):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret

    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "send_test_event", [endpoint])

    assert "A test event is on its way" in response.content.decode()
    [got] = receiver.received
    assert got.verified["type"] == "webhook.test"
    assert endpoint.deliveries.get().status == Delivery.Status.SUCCEEDED


def test_resume_a_paused_endpoint(admin_client):
    paused = EndpointFactory(paused_at=timezone.now(), failing_since=timezone.now())
    working = EndpointFactory()

    response = act(admin_client, "resume", [paused, working])

    html = response.content.decode()
    assert f"“{paused.name}” receives events again." in html
    assert f"“{working.name}” was not paused." in html
    paused.refresh_from_db()
    assert (paused.paused_at, paused.failing_since) == (None, None)


def test_rotate_the_secret(admin_client):
    endpoint = EndpointFactory()
    old = endpoint.secret

    response = act(admin_client, "rotate_secret", [endpoint])

    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    assert "has a new signing secret" in response.content.decode()


def test_deleting_an_endpoint_does_not_list_its_filters_as_objects(admin_client):
    endpoint = EndpointFactory(regions=[Region.objects.get(kind=Region.Kind.COUNTRY)])

    page = admin_client.get(reverse("admin:webhooks_endpoint_delete", args=[endpoint.pk]))
    assert "Endpoint_regions" not in page.content.decode()
    admin_client.post(
        reverse("admin:webhooks_endpoint_delete", args=[endpoint.pk]), {"post": "yes"}
    )

    assert not Endpoint.objects.exists()
