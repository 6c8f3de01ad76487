import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from agencies.models import Agency, Region

from .fields import SanitizedHTMLField
from .slugs import unique_slug


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to the public: published, or scheduled with its embargo already lifted.

        The scheduled case makes an embargo lift on time even before the beat task has
        flipped the status.
        """
        now = now or timezone.now()
        return self.filter(
            Q(status=Article.Status.PUBLISHED)
            | Q(status=Article.Status.SCHEDULED, publish_at__lte=now)
        )

    def awaiting_review(self):
        return self.filter(status=Article.Status.IN_REVIEW)

    def for_agencies(self, agency_ids):
        return self.filter(agency_id__in=agency_ids)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")
        ARCHIVED = "archived", _("archived")

    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True, allow_unicode=False)
    lead = models.TextField(_("lead"), blank=True)
    body = SanitizedHTMLField(_("body"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="articles"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)
    source_key = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the release came from; its external ID is unique within it."),
    )
    external_id = models.CharField(_("external ID"), max_length=200, blank=True)
    release_date = models.DateField(_("release date"), default=timezone.localdate)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    translation_group = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Every language version of one release shares this key."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-release_date", "-id"]
        permissions = [
            ("submit_article", _("Can submit articles for review")),
            ("review_article", _("Can approve articles or request changes")),
            ("publish_article", _("Can publish, schedule, unpublish and archive articles")),
            ("access_all_agencies", _("Can work on articles of every agency")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "external_id", "language"],
                condition=~Q(external_id=""),
                name="unique_external_id_per_source_and_language",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="scheduled_article_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_published_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["agency", "status"], name="article_agency_status"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk:
            self.version += 1  # every stored change invalidates forms opened before it
        if not self.slug:
            taken = Article.objects.exclude(pk=self.pk).filter
            self.slug = unique_slug(self.title, lambda slug: taken(slug=slug).exists())
        super().save(*args, **kwargs)

    def get_admin_url(self):
        return reverse("admin:news_article_change", args=[self.pk])


class ArticleTransition(models.Model):
    """One recorded workflow step: who moved which article from what to what, and why."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(_("transition"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Article.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system acted (e.g. scheduled publication)."),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow history")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article_id}: {self.from_status} → {self.to_status}"
