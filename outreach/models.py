"""What Pressroom sends to people outside the newsroom: email subscriptions to releases,
and the record of each email sent."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from agencies.models import Agency, Region
from news.models import Article


def new_token_key() -> str:
    return secrets.token_hex(8)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """An address that asked for releases by email, and what it follows: regions (with
    their districts), agencies, tags; none of them means every release. Nothing but the
    confirmation is sent before `confirmed_at`."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("at once, one email per release")
        DAILY = "daily", _("a daily digest")

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language of the emails"), max_length=2, choices=settings.LANGUAGES
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="+", through="FollowedRegion"
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies"), blank=True, related_name="+", through="FollowedAgency"
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="+", through="FollowedTag"
    )
    # Kept by outreach.subscriptions with the three above, so that matching a release is
    # one indexed condition rather than three "is empty" subqueries.
    follows_everything = models.BooleanField(_("follows every release"), default=True)
    # Language codes separated by commas; empty for releases in any language.
    release_languages = models.CharField(
        _("releases in"), max_length=20, blank=True, help_text=_("Empty: any language.")
    )
    frequency = models.CharField(
        _("how often"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour (Almaty time)"),
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    # The last request to subscribe: an address never confirmed is forgotten a week after.
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The end of the period the last digest covered; the next digest starts there.
    digest_through = models.DateTimeField(_("digest sent through"), null=True, blank=True)
    # Part of every link sent to the address: replacing it voids the links sent before.
    token_key = models.CharField(max_length=16, default=new_token_key, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("email subscription")
        verbose_name_plural = _("email subscriptions")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(
                fields=["frequency", "digest_hour"],
                condition=Q(confirmed_at__isnull=False),
                name="subscription_confirmed_freq",
            ),
            models.Index(
                fields=["requested_at"],
                condition=Q(confirmed_at__isnull=True),
                name="subscription_unconfirmed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__gte=0, digest_hour__lte=23),
                name="subscription_digest_hour_in_day",
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def languages(self) -> list[str]:
        return [code for code in self.release_languages.split(",") if code]


# The follows' own models, named and translated: deleting a region, an agency, a tag or a
# subscription in the admin lists the follows that go with it.
class FollowedRegion(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("followed region")
        verbose_name_plural = _("followed regions")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "region"], name="one_follow_per_region")
        ]

    def __str__(self):
        return f"{self.subscription} → {self.region}"


class FollowedAgency(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("followed agency")
        verbose_name_plural = _("followed agencies")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "agency"], name="one_follow_per_agency")
        ]

    def __str__(self):
        return f"{self.subscription} → {self.agency}"


class FollowedTag(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("followed tag")
        verbose_name_plural = _("followed tags")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "tag"], name="one_follow_per_tag")
        ]

    def __str__(self):
        return f"{self.subscription} → {self.tag}"


class Delivery(models.Model):
    """One email to one address about one release (or one digest), claimed before it is
    sent and marked once the mail server accepted it: outreach.delivery sends nobody a
    second copy when a task runs again."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        REFUSED = "refused", _("refused by the mail server")

    release = models.ForeignKey(
        Article,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        null=True,  # a digest is about many releases: its kind names its day
        blank=True,
        related_name="deliveries",
    )
    recipient = models.EmailField(_("recipient"))
    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CLAIMED
    )
    # Which task holds the claim: the same task delivered again (after its worker died)
    # takes its own claims back at once; another task waits until the claim is stale.
    claimed_by = models.CharField(_("claimed by"), max_length=255, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "recipient", "kind"],
                condition=Q(release__isnull=False),
                name="one_delivery_per_release_recipient_kind",
            ),
            # NULLs are distinct in a unique index: digests need their own.
            models.UniqueConstraint(
                fields=["recipient", "kind"],
                condition=Q(release__isnull=True),
                name="one_delivery_per_recipient_kind_without_release",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"
