from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import revisions, tasks, workflow
from .forms import ArticleAdminForm, ImportUploadForm, RestoreRevisionForm, TransitionForm
from .importing import service as import_service
from .models import Article, ArticleFlag, ArticleTransition, ImportItem, ImportRun, ImportSource


class ArticleTransitionInline(admin.TabularInline):
    model = ArticleTransition
    fields = ["created_at", "name", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Workflow history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleFlagInline(admin.TabularInline):
    """What the importer asks an editor to check; deleting a flag marks it as dealt with."""

    model = ArticleFlag
    fields = ["code", "note", "created_at"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("Flags for the editor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WritableAgencyFilter(admin.RelatedFieldListFilter):
    """Offer only the agencies the user may see, not every agency in the country."""

    def field_choices(self, field, request, model_admin):
        agencies = workflow.agencies_writable_by(request.user).filter(articles__isnull=False)
        return [(agency.pk, str(agency)) for agency in agencies.distinct().order_by("name_en")]


def _report_bulk(modeladmin, request, result: workflow.BulkResult, done_message: str):
    if result.succeeded:
        modeladmin.message_user(
            request,
            done_message % {"count": len(result.succeeded)}
            + " "
            + "; ".join(f"“{article}”" for article in result.succeeded),
            messages.SUCCESS,
        )
    for article, error in result.refused:
        modeladmin.message_user(
            request,
            _("“%(title)s” was not changed: %(reason)s")
            % {"title": article, "reason": error.message},
            messages.ERROR,
        )


def _bulk_action(transition_name: str, description, done_singular: str, done_plural: str):
    def action(modeladmin, request, queryset):
        result = workflow.apply_bulk(
            transition_name, articles=queryset.order_by("pk"), user=request.user
        )
        message = ngettext(done_singular, done_plural, len(result.succeeded))
        _report_bulk(modeladmin, request, result, message)

    action.__name__ = f"bulk_{transition_name}"
    action.short_description = description
    action.allowed_permissions = [workflow.TRANSITIONS[transition_name].permission.split(".")[1]]
    return action


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status_badge",
        "agency",
        "region",
        "language",
        "release_date",
        "flag_list",
        "author",
        "updated_at",
    ]
    list_filter = [
        "status",
        "language",
        ("agency", WritableAgencyFilter),
        "region",
        "release_date",
        ("flags__code", admin.ChoicesFieldListFilter),
    ]
    list_select_related = ["agency", "region", "author"]
    search_fields = ["title", "lead", "external_id", "agency__slug"]
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ["agency", "region"]
    readonly_fields = [
        "status",
        "publish_at",
        "published_at",
        "author",
        "created_at",
        "updated_at",
        "translation_group",
    ]
    fieldsets = [
        (None, {"fields": ["title", "lead", "body", "tags"]}),
        (
            _("Where it comes from"),
            {
                "fields": [
                    "agency",
                    "region",
                    "language",
                    "release_date",
                    "source_url",
                    "sources",
                    "attribution",
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["status", "publish_at", "published_at", "slug", "expected_version"]},
        ),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": [
                    "author",
                    "source_key",
                    "external_id",
                    "translation_group",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    inlines = [ArticleFlagInline, ArticleTransitionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        _bulk_action(
            "submit",
            _("Submit selected articles for review"),
            "%(count)d article submitted:",
            "%(count)d articles submitted:",
        ),
        _bulk_action(
            "approve",
            _("Approve selected articles"),
            "%(count)d article approved:",
            "%(count)d articles approved:",
        ),
        _bulk_action(
            "publish",
            _("Publish selected articles now"),
            "%(count)d article published:",
            "%(count)d articles published:",
        ),
        _bulk_action(
            "archive",
            _("Archive selected articles"),
            "%(count)d article archived:",
            "%(count)d articles archived:",
        ),
    ]
    change_form_template = "admin/news/article/change_form.html"
    object_history_list_template = "admin/news/article/history_list.html"

    class Media:
        css = {"all": ["news/admin.css"]}

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, article):
        return format_html(
            '<span class="status-badge status-{}">{}</span>',
            article.status,
            article.get_status_display(),
        )

    # --- scope and permissions: every rule comes from news.workflow ------------------

    @admin.display(description=_("flags"))
    def flag_list(self, article):
        return ", ".join(flag.get_code_display() for flag in article.flags.all())

    def get_queryset(self, request):
        articles = super().get_queryset(request).prefetch_related("flags")
        return workflow.articles_visible_to(request.user, articles)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        return workflow.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.in_scope(request.user, obj))

    def has_submit_article_permission(self, request):
        return request.user.has_perm(workflow.PERM_SUBMIT)

    def has_review_article_permission(self, request):
        return request.user.has_perm(workflow.PERM_REVIEW)

    def has_publish_article_permission(self, request):
        return request.user.has_perm(workflow.PERM_PUBLISH)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = workflow.agencies_writable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editing_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(workflow.PERM_ALL_AGENCIES):
            fields += ["source_key", "external_id"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    # --- workflow on the change form -------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            extra_context["workflow_actions"] = workflow.available_transitions(
                request.user, article
            )
            if article.status == Article.Status.CHANGES_REQUESTED:
                extra_context["changes_requested"] = (
                    article.transitions.filter(name="request_changes")
                    .select_related("actor")
                    .first()
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<slug:transition_name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:history_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="{}_{}_revision".format(*info),
            ),
            *super().get_urls(),
        ]

    def _article_or_redirect(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return article, None

    def transition_view(self, request, object_id, transition_name):
        transition = workflow.TRANSITIONS.get(transition_name)
        if transition is None:
            raise Http404
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        change_url = reverse("admin:news_article_change", args=[article.pk])
        refusal = None
        try:
            workflow.check_transition(request.user, article, transition)
        except workflow.WorkflowError as error:
            refusal = error

        data = request.POST if request.method == "POST" else None
        form = TransitionForm(data, transition=transition)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.apply_transition(
                    transition.name,
                    article=article,
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    publish_at=form.cleaned_data.get("publish_at"),
                )
            except workflow.WorkflowError as error:
                refusal = error
            else:
                self.message_user(
                    request,
                    _("“%(title)s”: %(action)s — done. It is now %(status)s.")
                    % {
                        "title": article,
                        "action": transition.label,
                        "status": article.get_status_display(),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": transition.label,
            "article": article,
            "original": article,
            "transition": transition,
            "form": form,
            "refusal": refusal,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        status = 200 if refusal is None else 409
        return TemplateResponse(
            request, "admin/news/article/transition.html", context, status=status
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's own revision form saves the old revision wholesale on POST,
        # status and agency included, whatever SIMPLE_HISTORY_REVERT_DISABLED says, and
        # checks scope against the old revision. Restoring goes through news.revisions.
        if not version_id.isdigit():
            raise Http404
        return HttpResponseRedirect(
            reverse("admin:news_article_revision", args=[unquote(object_id), int(version_id)])
        )

    def revision_view(self, request, object_id, history_id):
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        revision = get_object_or_404(
            article.history.select_related("history_user"), history_id=history_id
        )
        history_url = reverse("admin:news_article_history", args=[article.pk])
        can_restore = workflow.can_edit(request.user, article)
        form = RestoreRevisionForm(
            request.POST if request.method == "POST" else None,
            initial={"expected_version": article.version},
        )
        if request.method == "POST" and can_restore and form.is_valid():
            try:
                revisions.restore_revision(
                    article=article,
                    revision_id=revision.history_id,
                    user=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                )
            except workflow.WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("The revision was restored."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare with revision"),
            "article": article,
            "original": article,
            "revision": revision,
            "comparison": revisions.compare_with_revision(article, revision),
            "can_restore": can_restore,
            "form": form,
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/news/article/revision.html", context)


class ImportItemInline(admin.TabularInline):
    model = ImportItem
    fields = ["item", "outcome", "code", "message", "article", "raw_input"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("raw input"))
    def raw_input(self, item):
        return format_html("<details><summary>{}</summary><pre>{}</pre></details>",
                           _("show"), item.raw)  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "id", "input_name", "source", "format", "status", "started_at", "finished_at",
        "processed", "created", "updated", "unchanged", "flagged", "failed",
    ]  # fmt: skip
    list_filter = ["status", "source", "format", "started_at"]
    list_select_related = ["source"]
    search_fields = ["input_name", "error_message"]
    readonly_fields = [
        "source", "input_name", "format", "status", "dry_run", "started_at", "finished_at",
        "processed", "created", "updated", "unchanged", "flagged", "failed", "error_code",
        "error_message", "triggered_by",
    ]  # fmt: skip
    inlines = [ImportItemInline]
    change_form_template = "admin/news/importrun/change_form.html"

    def has_change_permission(self, request, obj=None):
        return False  # a run is a record; it is never edited

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            run = ImportRun.objects.create(
                source=form.cleaned_data["source"],
                input_name=upload.name,
                format="" if form.cleaned_data["format"] == "auto" else form.cleaned_data["format"],
                payload=upload.read(),
                triggered_by=request.user,
            )
            transaction.on_commit(lambda: tasks.import_uploaded_file.delay(run.pk))
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
                tasks.run_import_source.delay(source.pk)
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
        import_service.sync_schedule(obj)
