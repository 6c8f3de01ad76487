"""What Pressroom sends to people outside the newsroom, and the record of each email sent."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from news.models import Article


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
