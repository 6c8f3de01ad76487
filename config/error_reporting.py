"""Optional error reporting to Sentry (or a compatible server such as GlitchTip)."""

from django.core.exceptions import ImproperlyConfigured


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    """Report unhandled errors of the web processes and Celery tasks to `dsn`.

    Called from settings only when SENTRY_DSN is set, so sentry-sdk stays an optional extra.
    """
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: install the `sentry` extra "
            "(pip install 'pressroom[sentry]', or build the image with EXTRAS=sentry)."
        ) from error
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        # Press officers' names and addresses stay out of a third-party service.
        send_default_pii=False,
    )
