"""Import runs and import sources in the admin."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..converters import parse_id
from ..forms import (
    ImportUploadForm,
)
from ..import_reasons import import_reason
from ..importing import runs as import_runs
from ..importing import sources as import_sources
from ..models import (
    Article,
    ImportItem,
    ImportRun,
    ImportSource,
)
from .filters import ImportFormatFilter, import_format_label


class ImportRunFilter(admin.SimpleListFilter):
    """The article list narrowed to one run's releases, as its page links to them.

    Only the chosen run is offered: the side bar cannot list every run there ever was, and
    one listed lets the person see what the list is narrowed to and undo it.
    """

    title = _("import run")
    parameter_name = "import_run"

    def lookups(self, request, model_admin):
        run_id = parse_id(request.GET.get(self.parameter_name))
        if run_id is None:
            return []
        # A deleted run is still offered: the list it filters is empty, not every article.
        run = ImportRun.objects.filter(pk=run_id).first()
        return [(str(run_id), str(run) if run else str(run_id))]

    def queryset(self, request, queryset):
        run_id = parse_id(self.value())
        if run_id is None:
            return queryset
        return import_runs.articles_of(queryset, run_id)


class ImportOutcomeFilter(admin.SimpleListFilter):
    """What the chosen run did to the releases listed: created, updated, or left flagged."""

    title = _("import outcome")
    parameter_name = "import_outcome"

    def lookups(self, request, model_admin):
        if parse_id(request.GET.get(ImportRunFilter.parameter_name)) is None:
            return []
        return [
            (import_runs.CREATED, _("created")),
            (import_runs.UPDATED, _("updated")),
            (import_runs.FLAGGED, _("still flagged")),
        ]

    def queryset(self, request, queryset):
        run_id = parse_id(request.GET.get(ImportRunFilter.parameter_name))
        if run_id is None or self.value() not in import_runs.OUTCOMES:
            return queryset
        return import_runs.articles_of(queryset, run_id, self.value())


def run_articles_url(run: ImportRun, outcome: str = "") -> str:
    """The article list narrowed to what `run` did (import_runs.articles_of)."""
    query = {ImportRunFilter.parameter_name: run.pk}
    if outcome:
        query[ImportOutcomeFilter.parameter_name] = outcome
    return f"{reverse('admin:news_article_changelist')}?{urlencode(query)}"


class ImportItemInline(admin.TabularInline):
    model = ImportItem
    # The reason says what the code means, in the reader's language; the code is for logs.
    fields = ["item", "outcome", "reason", "message", "article", "raw_input"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("reason"))
    def reason(self, item):
        return import_reason(item.code)

    @admin.display(description=_("raw input"))
    def raw_input(self, item):
        return format_html("<details><summary>{}</summary><pre>{}</pre></details>",
                           _("show"), item.raw)  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "id", "input_name", "source", "format_label", "status", "started_at", "finished_at",
        "processed", "created", "updated", "unchanged", "flagged", "failed",
    ]  # fmt: skip
    list_filter = ["status", "source", ImportFormatFilter, "started_at"]
    list_select_related = ["source"]
    search_fields = ["input_name", "error_message"]
    readonly_fields = [
        "source", "input_name", "format_label", "status", "started_at", "finished_at",
        "processed", "created", "updated", "unchanged", "flagged", "failed", "error_reason",
        "error_message", "triggered_by",
    ]  # fmt: skip
    # The format and the error by their labels (format_label, error_reason), not the codes
    # stored; the task id is the worker's business, not the editor's.
    fields = readonly_fields
    inlines = [ImportItemInline]
    change_form_template = "admin/news/importrun/change_form.html"

    def has_change_permission(self, request, obj=None):
        return False  # a run is a record; it is never edited

    @admin.display(description=_("format"), ordering="format")
    def format_label(self, run):
        return import_format_label(run.format)

    @admin.display(description=_("reason"))
    def error_reason(self, run):
        return import_reason(run.error_code)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, unquote(object_id))
        if run is not None:
            extra_context = {
                **(extra_context or {}),
                "created_url": run_articles_url(run, import_runs.CREATED),
                "updated_url": run_articles_url(run, import_runs.UPDATED),
                "flagged_url": run_articles_url(run, import_runs.FLAGGED),
                # Counted now, not the run's counter: a flag an editor cleared is dealt with.
                "still_flagged": import_runs.articles_of(
                    Article.objects.all(), run.pk, import_runs.FLAGGED
                ).count(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            run = import_runs.queue_upload(
                payload=upload.read(),
                input_name=upload.name,
                format=form.cleaned_data["format"],
                source=form.cleaned_data["source"],
                user=request.user,
            )
            # Without a task queue (the embedded default) the import ran before this line:
            # the message says what the run is now, not what it was when queued.
            run.refresh_from_db(fields=["status", "error_code"])
            if run.error_code == import_runs.QUEUE_UNAVAILABLE:
                self.message_user(request, import_runs.QUEUE_UNAVAILABLE_MESSAGE, messages.WARNING)
            elif run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
                self.message_user(
                    request,
                    _("“%(name)s” is being imported; this page shows its progress.")
                    % {"name": upload.name},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("The import of “%(name)s” has finished; its result is below.")
                    % {"name": upload.name},
                    messages.SUCCESS
                    if run.status == ImportRun.Status.SUCCEEDED
                    else messages.WARNING,
                )
            return HttpResponseRedirect(reverse("admin:news_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a file of releases"),
            "form": form,
        }
        return TemplateResponse(request, "admin/news/importrun/upload.html", context)


@admin.register(ImportSource)
class ImportSourceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "kind", "location", "govkz_agency_slug", "language", "enabled", "schedule",
        "consecutive_failures",
    ]  # fmt: skip
    list_filter = ["kind", "enabled", "language"]
    search_fields = ["name", "location", "govkz_agency_slug"]
    list_select_related = ["schedule", "default_agency"]
    autocomplete_fields = ["default_agency"]
    readonly_fields = ["consecutive_failures"]
    actions = ["import_now"]

    @admin.action(description=_("Import the selected sources now"), permissions=["change"])
    def import_now(self, request, queryset):
        for source in queryset:
            if source.enabled:
                run = import_runs.queue_source(source, user=request.user)
                if run.error_code == import_runs.QUEUE_UNAVAILABLE:
                    self.message_user(
                        request, import_runs.QUEUE_UNAVAILABLE_MESSAGE, messages.WARNING
                    )
                else:
                    self.message_user(
                        request, _("“%(name)s” is queued.") % {"name": source}, messages.SUCCESS
                    )
            else:
                self.message_user(
                    request,
                    _("“%(name)s” is disabled; enable it first.") % {"name": source},
                    messages.WARNING,
                )

    def save_model(self, request, obj, form, change):
        if "enabled" in form.changed_data and obj.enabled:
            obj.consecutive_failures = 0  # a person re-enabled it after checking
        super().save_model(request, obj, form, change)
        import_sources.sync_schedule(obj)
