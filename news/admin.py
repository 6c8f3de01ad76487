from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from agencies.models import Region
from config.admin import StrictFiltersMixin

from . import editing, revisions, workflow
from .converters import parse_id
from .forms import (
    ArticleAdminForm,
    ImportUploadForm,
    MergeTagsForm,
    RestoreRevisionForm,
    TransitionForm,
)
from .import_reasons import import_reason
from .importing import runs as import_runs
from .importing import sources as import_sources
from .models import (
    Article,
    ArticleFlag,
    ArticleTransition,
    ImportItem,
    ImportRun,
    ImportSource,
    Term,
    TranslationJob,
)
from .translation import overview
from .translation import service as translation_service
from .translation.errors import language_name
from .translation.forms import TranslationForm


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


def _report_translation_requests(modeladmin, request, outcomes):
    """One line for what was queued, one per request that needs a person or failed."""
    queued = [outcome for outcome in outcomes if outcome.queued]
    if queued:
        modeladmin.message_user(
            request,
            ngettext("%(count)d translation queued.", "%(count)d translations queued.", len(queued))
            % {"count": len(queued)},
            messages.SUCCESS,
        )
    if translation_service.jobs_waiting_for_queue(outcomes):
        modeladmin.message_user(
            request, translation_service.QUEUE_UNAVAILABLE_MESSAGE, messages.WARNING
        )
    unneeded = sum(
        outcome.code in ("up_to_date", "exists", "already_queued") for outcome in outcomes
    )
    if unneeded:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d translation exists or is queued already.",
                "%(count)d translations exist or are queued already.",
                unneeded,
            )
            % {"count": unneeded},
            messages.INFO,
        )
    for outcome in outcomes:
        if outcome.queued or outcome.code in ("up_to_date", "exists", "already_queued"):
            continue
        modeladmin.message_user(
            request,
            _("“%(title)s” %(language)s: %(reason)s")
            % {
                "title": outcome.original,
                "language": outcome.language,
                "reason": outcome.message,
            },
            messages.WARNING,
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


class ArticleHistoryHelper(HistoricalRecordContextHelper):
    """Shows a choice's label instead of its stored code in the history's changes."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


@admin.register(Article)
class ArticleAdmin(StrictFiltersMixin, SimpleHistoryAdmin):
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
        "translate_missing",
    ]
    change_form_template = "admin/news/article/change_form.html"
    change_list_template = "admin/news/article/change_list.html"
    object_history_list_template = "admin/news/article/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ArticleHistoryHelper(self.model, historical_record)

    class Media:
        css = {"all": ["news/admin.css"]}

    def view_on_site(self, article):
        # The public page is 404 until publication; the preview shows every state to staff.
        return reverse("public:article_preview", kwargs={"pk": article.pk})

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
        if change:
            editing.article_update(article=obj, user=request.user, **form.edit())
            return
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            return
        # The tags were saved with the rest of the edit by news.editing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

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
            original = translation_service.original_of(article)
            extra_context["translation_original"] = original
            extra_context["translation_record"] = article.translation_or_none
            extra_context["translation_cells"] = overview.rows([original])[0].cells
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "translations/",
                self.admin_site.admin_view(self.translations_view),
                name="{}_{}_translations".format(*info),
            ),
            path(
                "<path:object_id>/translations/<str:language>/",
                self.admin_site.admin_view(self.side_by_side_view),
                name="{}_{}_side_by_side".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<slug:transition_name>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<id:history_id>/",
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

    # --- translations -------------------------------------------------------------------

    @admin.action(
        description=_("Translate selected articles into their missing languages"),
        permissions=["change"],
    )
    def translate_missing(self, request, queryset):
        outcomes = translation_service.request_missing_translations(
            articles=queryset.select_related("translation_record__original").order_by("pk"),
            user=request.user,
        )
        _report_translation_requests(self, request, outcomes)

    def translations_view(self, request):
        """Articles × languages: what exists, is queued, machine-made, edited, reviewed,
        outdated, or waits for a person."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        originals = overview.originals(
            workflow.articles_visible_to(request.user, Article.objects.all())
        )
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            chosen = originals.filter(pk__in=request.POST.getlist("_selected_action"))
            self.translate_missing(request, chosen)
            return HttpResponseRedirect(request.get_full_path())
        filters = {
            key: request.GET.get(key, "") for key in ("agency", "region", "state", "language")
        }
        rows = originals.select_related("agency", "region").order_by("-release_date", "-id")
        if (agency_id := parse_id(filters["agency"])) is not None:
            rows = rows.filter(agency_id=agency_id)
        if (region_id := parse_id(filters["region"])) is not None:
            rows = rows.filter(region_id=region_id)
        if filters["language"] in translation_service.languages():
            rows = rows.filter(language=filters["language"])
        if filters["state"] in overview.CellState.values:
            rows = overview.with_state(rows, filters["state"])
        page = Paginator(rows, 50).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Translations"),
            "rows": overview.rows(list(page.object_list)),
            "page": page,
            "languages": settings.LANGUAGES,
            "filters": filters,
            "agencies": workflow.agencies_writable_by(request.user).order_by("name_en"),
            "regions": Region.objects.exclude(kind=Region.Kind.DISTRICT),
            "states": overview.FILTER_STATES,
            "query_without_page": urlencode({k: v for k, v in filters.items() if v}),
            "can_request": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/news/article/translations.html", context)

    def side_by_side_view(self, request, object_id, language):
        """The original beside one translation, to edit it, mark it reviewed, or translate
        it by hand where none exists."""
        if language not in translation_service.languages():
            raise Http404
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        original = translation_service.original_of(article)
        here = reverse("admin:news_article_side_by_side", args=[original.pk, language])
        if original.pk != article.pk:
            return HttpResponseRedirect(here)
        if language == original.language:
            return HttpResponseRedirect(reverse("admin:news_article_change", args=[original.pk]))
        translation = (
            Article.objects.filter(translation_group=original.translation_group, language=language)
            .select_related("translation_record__reviewed_by", "translation_record__translator")
            .first()
        )
        if translation is not None and not workflow.can_view(request.user, translation):
            raise PermissionDenied
        if translation is not None:
            can_edit = workflow.can_edit(request.user, translation)
        else:
            can_edit = request.user.has_perm("news.add_article") and (
                translation_service.can_request(request.user, original)
            )
        can_review = (
            translation is not None
            and translation.translation_or_none is not None
            and (workflow.can_review_translation(request.user, translation))
        )
        stored_version = translation.version if translation else translation_service.NO_TRANSLATION
        initial = {"expected_version": stored_version}
        if translation is not None:
            initial |= {field: getattr(translation, field) for field in ("title", "lead", "body")}
        form = TranslationForm(request.POST if request.method == "POST" else None, initial=initial)
        status = 200
        kept_text = conflict = False
        if request.method == "POST":
            try:
                if "_review" in request.POST:
                    if translation is None:
                        raise Http404
                    translation_service.mark_reviewed(article=translation, user=request.user)
                    message = _("The translation is marked reviewed.")
                elif form.is_valid():
                    translation_service.save_translation(
                        original=original,
                        language=language,
                        user=request.user,
                        content=form.content(),
                        expected_version=form.cleaned_data["expected_version"],
                        reviewed="_save_reviewed" in request.POST,
                    )
                    message = (
                        _("The translation is saved and marked reviewed.")
                        if "_save_reviewed" in request.POST
                        else _("The translation is saved.")
                    )
                else:
                    message = None
                    status = 400
            except workflow.WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
                status = 409
                # A refused save keeps the person's text on the page. After a conflict it is
                # shown beside what is stored now and may be saved again over it, knowingly.
                kept_text = "_review" not in request.POST
                conflict = error.code == "edit_conflict"
                if kept_text and error.code in ("edit_conflict", "missing_version"):
                    data = request.POST.copy()
                    data["expected_version"] = stored_version
                    form = TranslationForm(data)
            else:
                if message:
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(here)
        job = TranslationJob.objects.filter(original=original, language=language).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("%(language)s translation of “%(title)s”")
            % {"language": language_name(language), "title": original},
            "original": original,
            "translation": translation,
            "record": translation.translation_or_none if translation else None,
            "job": job,
            "language": language,
            "language_name": language_name(language),
            "form": form,
            "can_edit": can_edit,
            "kept_text": kept_text,
            "conflict": conflict,
            "can_review": can_review,
            "workflow_actions": (
                workflow.available_transitions(request.user, translation) if translation else []
            ),
            "cells": overview.rows([original])[0].cells,
        }
        return TemplateResponse(
            request, "admin/news/article/side_by_side.html", context, status=status
        )

    def history_view(self, request, object_id, extra_context=None):
        # simple_history reads the records by the id as written: `²` was a 500 and `٣`
        # showed article 3's history.
        if parse_id(unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's own revision form saves the old revision wholesale on POST,
        # status and agency included, whatever SIMPLE_HISTORY_REVERT_DISABLED says, and
        # checks scope against the old revision. Restoring goes through news.revisions.
        history_id = parse_id(version_id)
        if history_id is None:
            raise Http404
        return HttpResponseRedirect(
            reverse("admin:news_article_revision", args=[unquote(object_id), history_id])
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
    fields = ["item", "outcome", "code", "reason", "message", "article", "raw_input"]
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
        "id", "input_name", "source", "format", "status", "started_at", "finished_at",
        "processed", "created", "updated", "unchanged", "flagged", "failed",
    ]  # fmt: skip
    list_filter = ["status", "source", "format", "started_at"]
    list_select_related = ["source"]
    search_fields = ["input_name", "error_message"]
    readonly_fields = [
        "source", "input_name", "format", "status", "started_at", "finished_at",
        "processed", "created", "updated", "unchanged", "flagged", "failed", "error_code",
        "error_reason", "error_message", "triggered_by",
    ]  # fmt: skip
    inlines = [ImportItemInline]
    change_form_template = "admin/news/importrun/change_form.html"

    def has_change_permission(self, request, obj=None):
        return False  # a run is a record; it is never edited

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


@admin.register(TranslationJob)
class TranslationJobAdmin(StrictFiltersMixin, admin.ModelAdmin):
    """Translation tasks; those that need a person are the translators' to-do list."""

    list_display = [
        "original", "language", "status", "error_message", "engine", "attempts",
        "updated_at", "side_by_side",
    ]  # fmt: skip
    list_filter = ["status", "language", "error_code", ("original__agency", WritableAgencyFilter)]
    list_select_related = ["original"]
    search_fields = ["original__title"]
    readonly_fields = [
        "original", "language", "status", "engine", "attempts", "error_code", "error_message",
        "requested_by", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["request_again"]

    @admin.display(description=_("translate"))
    def side_by_side(self, job):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:news_article_side_by_side", args=[job.original_id, job.language]),
            _("side by side"),
        )

    def get_queryset(self, request):
        jobs = super().get_queryset(request)
        if workflow.has_all_agencies(request.user):
            return jobs
        return jobs.filter(original__agency_id__in=workflow.user_agency_ids(request.user))

    def has_add_permission(self, request):
        return False  # requested from articles, never made up here

    @admin.action(description=_("Translate the selected again"), permissions=["change"])
    def request_again(self, request, queryset):
        outcomes = [
            translation_service.request_translation(
                original=job.original, language=job.language, user=request.user
            )
            for job in queryset.select_related("original")
        ]
        _report_translation_requests(self, request, outcomes)


@admin.register(Term)
class TermAdmin(StrictFiltersMixin, admin.ModelAdmin):
    """Official titles and names the engines must render this way."""

    list_display = ["source_term", "target_term", "source_language", "target_language", "note"]
    list_filter = ["source_language", "target_language"]
    search_fields = ["source_term", "target_term", "note"]
    list_editable = ["target_term"]


# django-taggit registers its own tag admin, whose merge page asks for no permission.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(StrictFiltersMixin, TaggitTagAdmin):
    """taggit's tag admin; merging tags needs the rights to change and delete tags."""

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge selected tags"), permissions=["merge"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        form = MergeTagsForm(
            request.POST if request.method == "POST" else None,
            tag_ids=request.session.get("selected_tag_ids", "").split(","),
        )
        if request.method == "POST" and form.is_valid():
            target = form.save()
            request.session.pop("selected_tag_ids", None)
            self.message_user(
                request,
                _("The tags were merged into “%(name)s”.") % {"name": target},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:taggit_tag_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge tags"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/taggit/tag/merge.html", context, status=400 if form.errors else 200
        )
