"""Partners' webhook endpoints, the events sent to them, and each delivery's attempts."""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from news.importing.http import FetchError, check_url

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
# Standard Webhooks asks for 24 to 64 random bytes.
SECRET_BYTES = 32


def new_secret() -> str:
    """A signing secret in Standard Webhooks' form: whsec_ and base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def new_message_id() -> str:
    """The webhook-id of a delivery: unique, and the same on every retry of it."""
    return f"msg_{uuid.uuid4().hex}"


class EventType(models.TextChoices):
    PUBLISHED = "release.published", _("release published")
    UPDATED = "release.updated", _("public release edited")
    UNPUBLISHED = "release.unpublished", _("release withdrawn from the public")
    # Sent only from the admin, to check an endpoint; partners' code can ignore it.
    TEST = "webhook.test", _("test event")


RELEASE_EVENTS = [EventType.PUBLISHED, EventType.UPDATED, EventType.UNPUBLISHED]

# What went wrong, by the code a delivery keeps, as administrators read it.
ERRORS = {
    "forbidden_address": _("The address is on a private or internal network."),
    "connection": _("Could not connect to the endpoint."),
    "timeout": _("The endpoint did not answer in time."),
    "bad_url": _("The address cannot be posted to."),
    "status": _("The endpoint answered with an error (HTTP %(status)s)."),
    "redirect": _(
        "The endpoint answered with a redirect (HTTP %(status)s), which is not followed."
    ),
    "paused": _("Not sent: the endpoint was paused after a day of failures."),
    "switched_off": _("Not sent: the endpoint was switched off."),
}


def error_text(code: str, status: int | None = None) -> str:
    """An error code as a sentence in the reader's language; empty for none."""
    if not code:
        return ""
    return str(ERRORS.get(code, code)) % {"status": status}


class Endpoint(models.Model):
    name = models.CharField(_("partner"), max_length=200)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("Where events are posted; a public http or https address."),
    )
    events = models.JSONField(
        _("events"), default=list, help_text=_("Which events the partner receives.")
    )
    regions = models.ManyToManyField(
        "agencies.Region",
        verbose_name=_("regions"),
        blank=True,
        help_text=_(
            "Only releases of these regions (their districts included); none: every region."
        ),
    )
    agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("agencies"),
        blank=True,
        help_text=_("Only releases of these agencies; none: every agency."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Only releases in these languages; none: every language."),
    )
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switched off, the partner receives nothing.")
    )
    # Written by webhooks.sending: the first failure since the last success, and when an
    # endpoint that failed for a day was paused.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # The same rule as import sources: what an administrator types must not lead the
        # server into its own network.
        if not self.url:
            return
        try:
            check_url(self.url, allowed_networks=settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS)
        except FetchError as error:
            if error.code == "forbidden_address":
                message = _(
                    "This address is on a private or internal network; webhooks may only be "
                    "sent to public web addresses."
                )
            else:
                message = _("Enter a web address starting with http:// or https://.")
            raise ValidationError({"url": ValidationError(message, code=error.code)}) from None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class Event(models.Model):
    """Something partners are told, with the exact body every endpoint receives: retries
    send the very bytes that were signed first."""

    type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self):
        return f"{self.type} #{self.pk}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SUCCEEDED = "succeeded", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name=_("webhook endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(
        _("message id (the webhook-id header)"),
        max_length=40,
        unique=True,
        default=new_message_id,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When the next attempt is due; while one is being sent, when it may be taken over
    # (its worker lost). Empty once the delivery is finished.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    last_error_code = models.CharField(_("last error"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # beat's sweep of what is due.
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self):
        return self.message_id

    @property
    def last_error(self) -> str:
        return error_text(self.last_error_code, self.last_status_code)


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("webhook delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("sent at"))
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("response time (ms)"))
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    # The connection's own words ("Connection refused"), for whoever debugs it with the
    # partner; the code says it in the reader's language.
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="webhook_attempt_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.delivery} #{self.number}"

    @property
    def error(self) -> str:
        return error_text(self.error_code, self.status_code)
