"""DJANGO_EMAIL_URL: the outgoing mail server as one address, read by config/settings.py.

    smtp://user:password@mail.example.kz:587?tls=1   SMTP with STARTTLS
    smtps://user:password@mail.example.kz            SMTP over TLS (port 465 unless given)
    smtp://127.0.0.1:25                              a relay on this host, no login
    console://                                       print each email (the default)
    dummy://                                         drop every email

Options: `tls=1` (STARTTLS), `timeout=<seconds>` (default 30: a mail server that stops
answering fails the sending task, which is retried, instead of holding a worker).
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def parse_email_url(url: str) -> dict:
    """Django's EMAIL_* settings for `url`; ImproperlyConfigured says what is wrong."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_URL must start with one of {', '.join(s + '://' for s in BACKENDS)}"
        )
    settings = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme not in ("smtp", "smtps"):
        return settings
    try:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_EMAIL_URL is not a valid address: {error}") from None
    unknown = set(options) - {"tls", "timeout"}
    if unknown:
        raise ImproperlyConfigured(f"DJANGO_EMAIL_URL has unknown options: {sorted(unknown)}")
    if not parts.hostname:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL names no mail server, e.g. smtp://host:587")
    tls = options.get("tls", "0").lower()
    if tls not in TRUE | FALSE:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL's tls option must be 1 or 0")
    try:
        timeout = float(options.get("timeout", "30"))
    except ValueError:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL's timeout must be seconds") from None
    use_ssl = scheme == "smtps"
    use_tls = tls in TRUE
    if use_ssl and use_tls:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL: smtps:// is already TLS; drop tls=1")
    settings.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_SSL=use_ssl,
        EMAIL_USE_TLS=use_tls,
        EMAIL_TIMEOUT=timeout,
    )
    return settings
