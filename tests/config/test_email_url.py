import pytest
from django.core.exceptions import ImproperlyConfigured

from config.email_url import parse_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls_and_a_login():
    assert parse_email_url("smtp://press%40gov.kz:p%2Fss@mail.gov.kz:587?tls=1") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.gov.kz",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "press@gov.kz",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 30.0,
    }


def test_smtps_defaults_to_port_465_and_a_plain_relay_to_25():
    secure = parse_email_url("smtps://u:p@mail.gov.kz?timeout=5")
    assert (secure["EMAIL_PORT"], secure["EMAIL_USE_SSL"], secure["EMAIL_TIMEOUT"]) == (
        465,
        True,
        5,
    )
    relay = parse_email_url("smtp://127.0.0.1")
    assert (relay["EMAIL_PORT"], relay["EMAIL_HOST_USER"], relay["EMAIL_USE_TLS"]) == (
        25,
        "",
        False,
    )


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_console_and_dummy_need_no_server(url, backend):
    assert parse_email_url(url) == {"EMAIL_BACKEND": backend}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "must start with one of"),
        ("http://mail.gov.kz", "must start with one of"),
        ("smtp://", "names no mail server"),
        ("smtp://mail.gov.kz:notaport", "not a valid address"),
        ("smtp://mail.gov.kz?tls=maybe", "tls option"),
        ("smtp://mail.gov.kz?timeout=soon", "timeout"),
        ("smtp://mail.gov.kz?ssl=1", "unknown options"),
        ("smtps://mail.gov.kz?tls=1", "already TLS"),
    ],
)
def test_a_wrong_address_stops_the_start_with_what_is_wrong(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_email_url(url)
