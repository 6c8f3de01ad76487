import base64

import pytest
from django.core.exceptions import ValidationError
from standardwebhooks import Webhook

from webhooks.models import Delivery, DeliveryAttempt, Endpoint, error_text, new_secret

from .factories import DeliveryFactory


def test_a_secret_is_standard_webhooks_whsec_of_32_random_bytes():
    secret = new_secret()

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret
    Webhook(secret)


@pytest.mark.django_db
def test_each_delivery_has_its_own_message_id():
    first, second = DeliveryFactory(), DeliveryFactory()

    assert first.message_id.startswith("msg_")
    assert first.message_id != second.message_id


@pytest.mark.parametrize(
    ("url", "code"),
    [("http://127.0.0.1/x", "forbidden_address"), ("ftp://93.184.216.34/x", "bad_url")],
)
def test_clean_refuses_what_cannot_be_posted_to(url, code):
    with pytest.raises(ValidationError) as refused:
        Endpoint(name="Partner", url=url, events=["release.published"]).clean()

    assert refused.value.error_dict["url"][0].code == code


def test_errors_read_as_sentences_and_none_as_nothing():
    assert error_text("status", 503) == "The endpoint answered with an error (HTTP 503)."
    assert error_text("") == ""
    assert DeliveryAttempt(error_code="timeout").error == "The endpoint did not answer in time."
    assert Delivery(last_error_code="paused").last_error == (
        "Not sent: the endpoint was paused after a day of failures."
    )
