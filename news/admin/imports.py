"""Import runs and import sources in the admin."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.admin import StrictFiltersMixin

from ..forms import (
    ImportUploadForm,
)
from ..import_reasons import import_reason
from ..importing import runs as import_runs
from ..importing import sources as import_sources
from ..models import (
    ImportItem,
    ImportRun,
    ImportSource,
)
from .filters import ImportFormatFilter, import_format_label


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
class ImportRunAdmin(StrictFiltersMixin, admin.ModelAdmin):
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
    # Shown by their labels (format_label, error_reason), not as the codes stored.
    exclude = ["format", "error_code"]
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
            if run.error_code == import_runs.QUEUE_UNAVAILABLE:
                self.message_user(request, import_runs.QUEUE_UNAVAILABLE_MESSAGE, messages.WARNING)
            else:
                self.message_user(
                    request,
                    _("“%(name)s” is being imported; this page shows its progress.")
                    % {"name": upload.name},
                    messages.SUCCESS,
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
class ImportSourceAdmin(StrictFiltersMixin, admin.ModelAdmin):
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
