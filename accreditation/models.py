"""Accredited journalists, the releases sent to them under embargo, and every opening of
their personal links."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from agencies.models import Agency, Region
from news.models import Article


class AccreditationQuerySet(models.QuerySet):
    def current(self, today=None):
        """Accreditations that may receive releases and open links today (Asia/Almaty)."""
        today = today or timezone.localdate()
        return self.filter(is_active=True).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=today)
        )

    def following(self, article: Article):
        """Current accreditations following the release's region (a region's followers
        follow its districts too), its agency or one of its tags."""
        interests = Q(pk__in=[])
        if article.region_id is not None:
            regions = [article.region_id]
            if article.region.parent_id is not None:
                regions.append(article.region.parent_id)
            interests |= Q(regions__in=regions)
        if article.agency_id is not None:
            interests |= Q(agencies=article.agency_id)
        tag_ids = list(article.tags.values_list("pk", flat=True))
        if tag_ids:
            interests |= Q(tags__in=tag_ids)
        matching = self.current().filter(interests).values("pk")
        return self.filter(pk__in=matching)


class Accreditation(models.Model):
    journalist = models.CharField(_("journalist"), max_length=200)
    outlet = models.CharField(_("media outlet"), max_length=200)
    email = models.EmailField(_("email"))
    languages = models.JSONField(
        _("languages"),
        default=list,
        help_text=_("The languages the journalist reads, in order of preference."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unticking it revokes every personal link of the journalist at once."),
    )
    active_until = models.DateField(
        _("active until"),
        null=True,
        blank=True,
        help_text=_("The last day of the accreditation (Asia/Almaty); empty: no end."),
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions followed"),
        blank=True,
        related_name="+",
        help_text=_("A region's districts are followed with it."),
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies followed"), blank=True, related_name="+"
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags followed"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["journalist", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                name="one_accreditation_per_email",
                violation_error_code="email_taken",
                violation_error_message=_("A journalist with this email is already accredited."),
            ),
        ]

    def __str__(self):
        return f"{self.journalist} ({self.outlet})"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and (self.active_until is None or self.active_until >= today)

    @property
    def email_language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE


class Distribution(models.Model):
    """A release sent to a journalist before its time: the embargo they were told of, and
    the notices that followed."""

    accreditation = models.ForeignKey(
        Accreditation,
        verbose_name=_("accreditation"),
        on_delete=models.CASCADE,
        related_name="distributions",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("release"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        Article,
        verbose_name=_("language version sent"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    embargo_until = models.DateTimeField(_("embargoed until"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawal announced"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution under embargo")
        verbose_name_plural = _("distributions under embargo")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation", "article"], name="one_distribution_per_journalist"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.accreditation}"


class LinkOpening(models.Model):
    """One opening of a personal link: its page, a photo or a file."""

    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        IMAGE = "image", _("photo")
        ATTACHMENT = "attachment", _("file")

    accreditation = models.ForeignKey(
        Accreditation,
        verbose_name=_("accreditation"),
        on_delete=models.CASCADE,
        related_name="openings",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("release"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    opened_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("personal link opening")
        verbose_name_plural = _("personal link openings")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["article", "-opened_at"], name="opening_article_time")]

    def __str__(self):
        return f"{self.accreditation} — {self.article}"
