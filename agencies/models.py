from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def localized(obj, prefix: str) -> str:
    """The object's `<prefix>_<lang>` value in the active language, falling back to en, ru, kk."""
    active = (get_language() or "en")[:2]
    for language in (active, "en", "ru", "kk"):
        value = getattr(obj, f"{prefix}_{language}", "")
        if value:
            return value
    return ""


class Region(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        REGION = "region", pgettext_lazy("kind of region", "region")  # oblast
        CITY = "city", _("city of republican significance")
        DISTRICT = "district", _("district")

    iso_code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Required for the country, regions and cities; districts have none."),
    )
    former_iso_code = models.CharField(_("former ISO code"), max_length=12, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    govkz_akimat_slug = models.SlugField(
        _("gov.kz akimat slug"),
        max_length=100,
        blank=True,
        help_text=_("Prefix that the region's akimat and its districts use on gov.kz."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["kind", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="district") | Q(iso_code__isnull=False),
                name="region_iso_code_required_above_district",
            ),
            models.CheckConstraint(
                condition=Q(kind="country") | Q(parent__isnull=False),
                name="region_parent_required_below_country",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Agency(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry or national body")
        AKIMAT = "akimat", _("akimat")
        DEPARTMENT = "department", _("department")
        EMBASSY = "embassy", _("embassy or mission")
        OTHER = "other", _("other")

    slug = models.SlugField(
        _("gov.kz slug"),
        max_length=100,
        unique=True,
        help_text=_("The <slug> in https://www.gov.kz/memleket/entities/<slug>/"),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Empty for national bodies and missions abroad."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("Created automatically (e.g. by an import) and not yet checked by a person."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="AgencyMembership",
        related_name="agencies",
        verbose_name=_("press officers"),
        blank=True,
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name") or self.slug

    @property
    def govkz_url(self) -> str:
        return f"https://www.gov.kz/memleket/entities/{self.slug}/"


class AgencyMembership(models.Model):
    """A press officer's right to write for an agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="agency_memberships",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("press officer membership")
        verbose_name_plural = _("press officer memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="unique_agency_membership"),
        ]

    def __str__(self):
        return f"{self.user} → {self.agency}"
