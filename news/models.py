"""The news app's models: articles, their workflow steps and flags, imports, translations.

Why one module of this size: Django finds an app's models here, and the models refer to one
another; each stays thin (fields, Meta, simple derived properties), logic lives in services.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from agencies.models import Agency, Region

from .fields import (
    JSONTypeOf,
    SanitizedHTMLField,
    SearchLexemesField,
    SingleLineCharField,
    SourceListField,
)
from .flags import Flag, flag_note
from .importing.http import FetchError
from .importing.inputs import LocalFiles, check_location
from .slugs import unique_slug
from .validators import validate_slug_is_not_a_number, validate_web_address


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

    def in_region(self, region: Region):
        """A region's articles, its districts' included; the country means national bodies."""
        if region.kind == Region.Kind.COUNTRY:
            return self.filter(Q(region__isnull=True) | Q(region=region))
        # Ids on the article's own column: PostgreSQL tests them on each row of the
        # public-order index before the dearer reader-language checks. A condition on the
        # joined region (or a subquery, which becomes a join) came after those checks, run
        # for every region's rows.
        return self.filter(region__in=[region.pk, *(child.pk for child in region.children.all())])

    def tagged(self, slug: str):
        """Articles carrying the tag `slug`.

        A subquery rather than taggit's join: the join compares the article id with
        taggit's integer object_id cast for every row, which no index serves, so PostgreSQL
        paired every tagged item with every article it scanned. As a subquery it looks up a
        rare tag's few articles by id, or hashes a common tag's articles once.
        """
        items = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), tag__slug=slug
        )
        return self.filter(pk__in=items.values("object_id"))

    def awaiting_review(self):
        return self.filter(status=Article.Status.IN_REVIEW)


# The states in which an article may be public (ArticleQuerySet.published), and the public
# order of lists, for the partial indexes that serve them.
PUBLIC_STATES = Q(status__in=["published", "scheduled"])
PUBLIC_ORDER = (Coalesce("published_at", "publish_at").desc(), F("id").desc())


# What search_lexemes is computed from.
SEARCHED_FIELDS = frozenset({"title", "lead", "body", "language"})


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

    title = SingleLineCharField(_("title"), max_length=500)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=False,
        validators=[validate_slug_is_not_a_number],
    )
    lead = models.TextField(_("lead"), blank=True)
    body = SanitizedHTMLField(_("body"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,  # an imported release whose agency could not be resolved; flagged
        related_name="articles",
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
    # The same assignments as a relation Django prefetches for a whole list in one query
    # (public.selectors.TAGS): taggit's own prefetch builds a queryset for each article.
    tagged_items = GenericRelation(TaggedItem)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source_url = models.URLField(
        _("source URL"),
        max_length=1000,
        blank=True,
        validators=[validate_web_address],
        help_text=_("The canonical source."),
    )
    sources = SourceListField(
        _("all sources"),
        default=list,
        blank=True,
        help_text=_("Every web address the release was found at, one per line."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("The press service's signature, e.g. “Press service of the Akim of …”."),
    )
    source_key = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the release came from; its external ID is unique within it."),
    )
    external_id = models.CharField(_("external ID"), max_length=200, blank=True)
    release_date = models.DateField(_("release date"), default=timezone.localdate)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    # Set with the schedule (news.workflow); accreditation sends the release to accredited
    # journalists before its time when it is.
    distribute_under_embargo = models.BooleanField(
        _("distribute under embargo to accredited journalists"), default=False, editable=False
    )
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
    content_fingerprint = models.CharField(
        _("content fingerprint"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Normalized title, date and agency; finds the same release from elsewhere."),
    )
    imported_content_hash = models.CharField(
        _("imported content hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Hash of the content as last imported; differs once a person edits it."),
    )
    # The words search compares (news.lexemes), kept current with the text on every write
    # but QuerySet.update(); public.search reads them through `search_vector` or FTS5.
    search_lexemes = SearchLexemesField(_("search lexemes"))

    # The reason holds a workflow step's comment, which has no length limit.
    history = HistoricalRecords(
        excluded_fields=["version", "updated_at", "search_lexemes"],
        history_change_reason_field=models.TextField(null=True),
    )
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
            models.UniqueConstraint(
                fields=["translation_group", "language"],
                name="one_article_per_language_in_group",
                violation_error_code="language_taken",
                violation_error_message=_(
                    "This release already has a version in this language; edit that one, "
                    "or choose another language."
                ),
            ),
            # The API serves the sources as a list; news.validators checks each address.
            models.CheckConstraint(
                condition=Exact(JSONTypeOf("sources"), "array"),
                name="sources_is_a_list",
                violation_error_code="sources_not_a_list",
                violation_error_message=_("The sources must be a list of web addresses."),
            ),
            # The API reads a number as an id (news.validators.validate_slug_is_not_a_number).
            models.CheckConstraint(
                condition=~Q(slug__regex=r"^[0-9]+$"),
                name="slug_is_not_a_number",
                violation_error_code="slug_is_number",
                violation_error_message=_("A slug cannot be only digits."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["agency", "status"], name="article_agency_status"),
            # Public lists are newest first by when an article became public
            # (public.selectors.PUBLIC_AT). These hold the public articles in that order,
            # site-wide, per region, per agency and per release date (the archive's order),
            # so a page is read from an index and stops after it instead of sorting every
            # public article; the site-wide one also counts them from the index alone.
            models.Index(
                *PUBLIC_ORDER,
                name="article_public_order",
                condition=PUBLIC_STATES,
                include=["status", "publish_at"],  # PostgreSQL only
            ),
            models.Index(
                F("region"),
                *PUBLIC_ORDER,
                name="article_region_public_order",
                condition=PUBLIC_STATES,
            ),
            models.Index(
                F("agency"),
                *PUBLIC_ORDER,
                name="article_agency_public_order",
                condition=PUBLIC_STATES,
            ),
            models.Index(
                F("release_date").desc(),
                *PUBLIC_ORDER,
                name="article_date_public_order",
                condition=PUBLIC_STATES,
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk:
            self.version += 1  # every stored change invalidates forms opened before it
        if not self.slug:
            taken = Article.objects.exclude(pk=self.pk).filter
            self.slug = unique_slug(self.title, lambda slug: taken(slug=slug).exists())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCHED_FIELDS.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_lexemes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("public:article_detail", kwargs={"slug": self.slug})

    def get_admin_url(self):
        return reverse("admin:news_article_change", args=[self.pk])

    def validate_constraints(self, exclude=None):
        # No form shows the translation group (the translation service keeps it), so a
        # form's full_clean() excluded it and skipped the one-language-per-group check: a
        # changed language then failed in the database. The group is checked as it is.
        if exclude and "language" not in exclude:
            exclude = set(exclude) - {"translation_group"}
        super().validate_constraints(exclude)

    @property
    def translation_or_none(self) -> "Translation | None":
        """How this language version was made from its original; None for an original."""
        try:
            return self.translation_record
        except Translation.DoesNotExist:
            return None

    @property
    def is_original(self) -> bool:
        return self.translation_or_none is None

    @property
    def is_machine_translated(self) -> bool:
        """Made by a translation engine and not yet reviewed by a person.

        The public page shows a machine-translation notice when this is true (such an article
        is only published when PRESSROOM_PUBLISH_UNREVIEWED_MACHINE_TRANSLATIONS allows it).
        """
        record = self.translation_or_none
        return record is not None and record.is_unreviewed_machine_translation


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
    # Warnings of news.checks the actor chose to publish anyway, and why.
    overridden_checks = models.JSONField(_("checks overridden"), default=list, blank=True)
    override_reason = models.TextField(_("reason for publishing anyway"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # The run of an "import" or "reimport" step: a run's page lists what it created and updated.
    import_run = models.ForeignKey(
        "ImportRun",
        verbose_name=_("import run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
    )

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow history")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ArticleFlag(models.Model):
    """Something an editor should check on an article, e.g. an import's unresolved agency."""

    Code = Flag

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(_("flag"), max_length=32, choices=Code.choices, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["article", "code"], name="unique_article_flag"),
        ]

    def __str__(self):
        return self.get_code_display()

    @property
    def note(self) -> str:
        """What to check, in the reader's language, from the code and its details."""
        return flag_note(self.code, self.details)

    note.fget.short_description = _("note")


class ImportSource(models.Model):
    """A place releases come from, imported on a schedule or by hand."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("plain-text digest (file or URL)")
        RSS = "rss", _("RSS feed")
        ATOM = "atom", _("Atom feed")
        GOVKZ = "govkz", _("gov.kz portal news API")

    name = SingleLineCharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    location = models.CharField(
        _("URL or path"),
        max_length=1000,
        blank=True,
        help_text=_("Feed or file URL, a server path, or the portal's base URL for gov.kz."),
    )
    govkz_agency_slug = models.SlugField(
        _("gov.kz agency slug"), max_length=100, blank=True, help_text=_("For gov.kz sources.")
    )
    default_agency = models.ForeignKey(
        Agency,
        verbose_name=_("default agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Used when a release names no agency the importer can resolve."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to detect each release's language."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    schedule = models.ForeignKey(
        "django_celery_beat.CrontabSchedule",
        verbose_name=_("schedule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("When to import automatically; empty imports only by hand."),
    )
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    consecutive_failures = models.PositiveIntegerField(
        _("failures in a row"), default=0, editable=False
    )
    max_consecutive_failures = models.PositiveIntegerField(
        _("disable after failures in a row"), default=3
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # Refused when saved, not only when its first run fails: the rules are the reader's.
        if not self.location:
            return
        try:
            check_location(
                self.location,
                files=LocalFiles.inside(settings.PRESSROOM_IMPORT_DIR),
                web_only=self.kind == self.Kind.GOVKZ,
                allowed_networks=settings.PRESSROOM_IMPORT_ALLOWED_NETWORKS,
            )
        except FetchError as error:
            raise ValidationError({"location": _location_error(self, error.code)}) from None


def _location_error(source: ImportSource, code: str) -> ValidationError:
    if code == "forbidden_address":
        message = _(
            "%(host)s is on a private or internal network; import sources may only use public "
            "web addresses."
        )
    elif code == "path_not_allowed" and settings.PRESSROOM_IMPORT_DIR:
        message = _("Only files in the import folder %(folder)s can be imported.")
    elif code == "path_not_allowed":
        message = _(
            "Files on the server cannot be imported: no import folder is set up "
            "(PRESSROOM_IMPORT_DIR). Enter a web address."
        )
    elif source.kind == ImportSource.Kind.GOVKZ:
        message = _("Enter the portal's web address, starting with http:// or https://.")
    else:
        message = _(
            "Enter a web address starting with http:// or https://, or the path of a file in "
            "the import folder."
        )
    return ValidationError(
        message,
        code=code,
        params={
            "host": urlsplit(source.location).hostname,
            "folder": settings.PRESSROOM_IMPORT_DIR,
        },
    )


class ImportRun(models.Model):
    """One import of one input, with its counts and progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        PARTIAL = "partial", _("finished with failed items")
        FAILED = "failed", _("failed")

    source = models.ForeignKey(
        ImportSource,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
    )
    input_name = models.CharField(_("input"), max_length=1000)
    format = models.CharField(_("format"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    flagged = models.PositiveIntegerField(_("flagged"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    payload = models.BinaryField(
        _("uploaded file"),
        null=True,
        editable=False,
        help_text=_("A file uploaded in the admin, kept with its run so a worker can read it."),
    )
    error_code = models.CharField(_("error code"), max_length=32, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    # The Celery task that owns the run: its retries and re-deliveries carry the same id, a
    # message re-sent after the queue lost it carries a new one and the old one is ignored.
    task_id = models.CharField(_("task id"), max_length=64, blank=True, db_index=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            # Two deliveries of one task (beat's, which queues no run) make one run.
            models.UniqueConstraint(
                fields=["task_id"], condition=~Q(task_id=""), name="unique_import_run_task"
            ),
        ]

    def __str__(self):
        return f"{self.input_name} ({self.get_status_display()})"


class ImportItem(models.Model):
    """An item of a run an editor should see, its raw input kept: a failure, a duplicate, a
    newer version, the whole text of a release whose article holds only part of it, or a
    photo the release offered that could not be imported."""

    class Outcome(models.TextChoices):
        FAILED = "failed", _("failed")
        DUPLICATE_IN_INPUT = "duplicate_in_input", _("duplicate within the input")
        NEW_VERSION = "new_version", _("newer version of an edited article")
        FULL_TEXT_KEPT = "full_text_kept", _("cut for length, whole text kept")
        PHOTO_FAILED = "photo_failed", _("photo not imported")

    run = models.ForeignKey(
        ImportRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.CharField(_("item"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    code = models.CharField(_("code"), max_length=32)
    message = models.TextField(_("message"))
    raw = models.TextField(_("raw input"))
    proposed = models.JSONField(_("proposed content"), null=True, blank=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_items",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("import item")
        verbose_name_plural = _("import items")
        ordering = ["run", "id"]

    def __str__(self):
        return f"{self.item}: {self.get_outcome_display()}"


class Translation(models.Model):
    """How one language version of a release was made from its original, and how far checked.

    The translated version is an ordinary Article in the original's translation group; this
    record says by what (an engine, or a person), from which revision of the original, and
    whether a person has edited or reviewed it since.
    """

    class Method(models.TextChoices):
        ENGINE = "engine", _("machine translation")
        PERSON = "person", _("translated by a person")

    class State(models.TextChoices):
        MACHINE = "machine", _("machine translation, unchecked")
        EDITED = "edited", _("edited by a person")
        REVIEWED = "reviewed", _("reviewed")

    article = models.OneToOneField(
        Article,
        verbose_name=_("translation"),
        on_delete=models.CASCADE,
        related_name="translation_record",
    )
    original = models.ForeignKey(
        Article, verbose_name=_("original"), on_delete=models.CASCADE, related_name="translations"
    )
    method = models.CharField(_("made by"), max_length=16, choices=Method.choices)
    engine = models.CharField(
        _("engine"), max_length=32, blank=True, help_text=_("The engine that made the text.")
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, db_index=True)
    original_version = models.PositiveIntegerField(
        _("revision of the original"), help_text=_("The original's version it was made from.")
    )
    original_content_hash = models.CharField(
        _("content of the original"), max_length=64, editable=False
    )
    outdated = models.BooleanField(
        _("outdated"),
        default=False,
        db_index=True,
        help_text=_("The original's text changed after this translation was made or reviewed."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("translation record")
        verbose_name_plural = _("translation records")
        constraints = [
            models.CheckConstraint(
                condition=~Q(article=models.F("original")), name="translation_is_not_its_original"
            ),
            models.CheckConstraint(
                condition=Q(method="person") | ~Q(engine=""), name="machine_translation_has_engine"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} ← {self.original_id} ({self.get_state_display()})"

    @property
    def is_unreviewed_machine_translation(self) -> bool:
        return self.method == self.Method.ENGINE and self.state != self.State.REVIEWED


class TranslationJob(models.Model):
    """A request to translate an original into one language: queued for an engine, done, or
    waiting for a person (no engine, an unsupported pair, a failure, or edits to keep)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        DONE = "done", _("done")
        NEEDS_PERSON = "needs_person", _("needs a person")

    original = models.ForeignKey(
        Article,
        verbose_name=_("original"),
        on_delete=models.CASCADE,
        related_name="translation_jobs",
    )
    language = models.CharField(_("into"), max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    engine = models.CharField(_("engine"), max_length=32, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("reason code"), max_length=48, blank=True)
    error_message = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("translation task")
        verbose_name_plural = _("translation tasks")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["original", "language"], name="one_translation_job_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.original} → {self.get_language_display()} ({self.get_status_display()})"


class Term(models.Model):
    """An official title or name and how it must read in another language."""

    source_language = models.CharField(_("from"), max_length=2, choices=settings.LANGUAGES)
    target_language = models.CharField(_("into"), max_length=2, choices=settings.LANGUAGES)
    source_term = models.CharField(_("term"), max_length=300)
    target_term = models.CharField(_("translation"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terminology")
        ordering = ["source_language", "target_language", "source_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_language", "target_language", "source_term"],
                name="unique_term_per_language_pair",
            ),
            models.CheckConstraint(
                condition=~Q(source_language=models.F("target_language")),
                name="term_between_two_languages",
            ),
        ]

    def __str__(self):
        return f"{self.source_term} → {self.target_term}"


class Remark(models.Model):
    """A comment in a release's editorial thread, apart from the reasons of workflow steps.

    Never edited or deleted through the interface: the thread is part of the release's
    record (news.remarks writes it)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="remarks"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("remark")
        verbose_name_plural = _("remarks")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="remark_thread")]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="remark_not_empty")]

    def __str__(self):
        return f"{self.article_id}: {self.text[:50]}"


class TitleWord(models.Model):
    """A word some article's title has, for "did you mean" (news.title_words)."""

    folded = models.CharField(_("compared form"), max_length=100, primary_key=True)
    spelling = models.CharField(_("spelling"), max_length=100)

    class Meta:
        verbose_name = _("title word")
        verbose_name_plural = _("title words")

    def __str__(self):
        return self.spelling
