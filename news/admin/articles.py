"""The article admin: the list, the change form with its workflow actions, bulk actions.
Its history and revisions come from news.admin.history, its translation pages from
news.admin.translations."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accreditation.admin import ARTICLE_ACCREDITATION_INLINES
from media_library.admin import ARTICLE_MEDIA_INLINES

from .. import checks, editing, workflow
from ..forms import (
    ArticleAdminForm,
    TransitionForm,
    with_csp_nonce,
)
from ..models import (
    Article,
    ArticleFlag,
    ArticleTransition,
)
from ..translation import overview
from ..translation import service as translation_service
from .calendar import ArticleCalendarViews
from .filters import WritableAgencyFilter
from .history import ArticleHistoryViews
from .imports import ImportOutcomeFilter, ImportRunFilter
from .remarks import ArticleRemarkViews
from .translations import ArticleTranslationViews


class ArticleTransitionInline(admin.TabularInline):
    model = ArticleTransition
    fields = ["created_at", "step", "status_change", "actor", "comment", "published_anyway"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Workflow history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("step"))
    def step(self, step):
        return workflow.step_label(step.name)

    @admin.display(description=_("status"))
    def status_change(self, step):
        if step.from_status == step.to_status:
            return step.get_to_status_display()
        return f"{step.get_from_status_display()} → {step.get_to_status_display()}"

    @admin.display(description=_("published anyway"))
    def published_anyway(self, step):
        if not step.overridden_checks:
            return ""
        return _("%(reason)s (despite: %(checks)s)") % {
            "reason": step.override_reason,
            "checks": ", ".join(str(checks.check_label(code)) for code in step.overridden_checks),
        }

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


def _bulk_action(transition_name: str, description, done_message):
    """An action taking `transition_name` on each chosen article; `done_message(count)` says
    how many it moved (a literal ngettext call, so the catalogues have it)."""

    def action(modeladmin, request, queryset):
        result = workflow.apply_bulk(
            transition_name, articles=queryset.order_by("pk"), user=request.user
        )
        _report_bulk(modeladmin, request, result, done_message(len(result.succeeded)))

    action.__name__ = f"bulk_{transition_name}"
    action.short_description = description
    action.allowed_permissions = [workflow.TRANSITIONS[transition_name].permission.split(".")[1]]
    return action


# A workflow button on an editable form saves the form first, and says so.
SAVE_AND = {
    "submit": _("Save and submit for review"),
    "withdraw": _("Save and withdraw from review"),
    "approve": _("Save and approve"),
    "request_changes": _("Save and request changes"),
    "schedule": _("Save and schedule"),
    "unschedule": _("Save and cancel the schedule"),
    "publish": _("Save and publish"),
    "unpublish": _("Save and unpublish"),
    "archive": _("Save and archive"),
    "reopen": _("Save and return to draft"),
}
# What happens next to a release in each state, under its status at the top of its form.
WHAT_NEXT = {
    Article.Status.DRAFT: _(
        "Not on the site. Submit it for review when it is ready; until then only its agency "
        "and the editors see it."
    ),
    Article.Status.IN_REVIEW: _("Waiting for an editor to approve it or to ask for changes."),
    Article.Status.CHANGES_REQUESTED: _(
        "An editor asked for changes. Make them, then submit it for review again."
    ),
    Article.Status.APPROVED: _("Approved. An editor publishes it now or schedules a time."),
    Article.Status.SCHEDULED: _(
        "Goes live on the site at %(time)s (Asia/Almaty) unless the schedule is cancelled."
    ),
    Article.Status.PUBLISHED: _("Live on the site."),
    Article.Status.UNPUBLISHED: _(
        "Taken down from the site. It can be published again or returned to draft."
    ),
    Article.Status.ARCHIVED: _("Archived: kept for the record, not on the site."),
}
# States in which the release is on its way to publication: its form shows the checks.
CHECKED_STATES = frozenset(Article.Status) - {Article.Status.PUBLISHED, Article.Status.ARCHIVED}


def what_next(article: Article) -> str:
    sentence = WHAT_NEXT[article.status]
    if article.status == Article.Status.SCHEDULED:
        return sentence % {
            "time": formats.date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        }
    return sentence


@admin.register(Article)
class ArticleAdmin(
    ArticleCalendarViews,
    # Before the history: it adds the thread to the history page's context.
    ArticleRemarkViews,
    ArticleHistoryViews,
    ArticleTranslationViews,
    SimpleHistoryAdmin,
):
    form = ArticleAdminForm
    # Four columns fit 1366 px beside the navigation and the filters; below 768 px each row
    # becomes a card (static/news/admin.css).
    list_display = ["title_and_source", "status_and_flags", "release_date", "last_change"]
    list_filter = [
        "status",
        "language",
        ("agency", WritableAgencyFilter),
        "region",
        "release_date",
        ("flags__code", admin.ChoicesFieldListFilter),
        ImportRunFilter,
        ImportOutcomeFilter,
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
            {"fields": ["status", "publish_at", "published_at", "expected_version"]},
        ),
        (
            # What a press officer rarely needs: folded away, still there for editors.
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": [
                    "slug",
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
    inlines = [
        *ARTICLE_MEDIA_INLINES,
        ArticleFlagInline,
        ArticleTransitionInline,
        *ARTICLE_ACCREDITATION_INLINES,
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        _bulk_action(
            "submit",
            _("Submit selected articles for review"),
            lambda n: ngettext("%(count)d article submitted:", "%(count)d articles submitted:", n),
        ),
        _bulk_action(
            "approve",
            _("Approve selected articles"),
            lambda n: ngettext("%(count)d article approved:", "%(count)d articles approved:", n),
        ),
        _bulk_action(
            "publish",
            _("Publish selected articles now"),
            lambda n: ngettext("%(count)d article published:", "%(count)d articles published:", n),
        ),
        _bulk_action(
            "archive",
            _("Archive selected articles"),
            lambda n: ngettext("%(count)d article archived:", "%(count)d articles archived:", n),
        ),
        "translate_missing",
    ]
    change_form_template = "admin/news/article/change_form.html"
    change_list_template = "admin/news/article/change_list.html"

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

    @admin.display(description=_("title"), ordering="title")
    def title_and_source(self, article):
        parts = (article.get_language_display(), article.agency, article.region)
        source = " · ".join(str(part) for part in parts if part)
        return format_html('{}<span class="list-source">{}</span>', article.title, source)

    @admin.display(description=_("status"), ordering="status")
    def status_and_flags(self, article):
        flags = format_html_join(
            "", '<span class="flag-chip">{}</span>',
            ((flag.get_code_display(),) for flag in article.flags.all()),
        )  # fmt: skip
        return format_html("{}{}", self.status_badge(article), flags)

    @admin.display(description=_("last change"), ordering="updated_at")
    def last_change(self, article):
        when = formats.date_format(timezone.localtime(article.updated_at), "SHORT_DATETIME_FORMAT")
        return format_html('{}<span class="list-source">{}</span>', when, article.author or "")

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

    def get_changeform_initial_data(self, request):
        """A new release starts in the interface's language and, for someone who writes for
        one agency only, with that agency and its region."""
        initial = {
            "language": translation.get_language(),
            **super().get_changeform_initial_data(request),
        }
        agencies = workflow.agencies_writable_by(request.user).select_related("region")[:2]
        if len(agencies) == 1 and "agency" not in initial:
            initial["agency"] = agencies[0].pk
            if agencies[0].region_id:
                initial.setdefault("region", agencies[0].region_id)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editing_user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A form only looked at saves nothing: the version it was made on means nothing there.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "expected_version"]})
            for name, options in fieldsets
        ]

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

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = with_csp_nonce(context["media"], request)
        return super().render_change_form(request, context, *args, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            # On a form the user may edit, a workflow button saves the form first
            # (response_change), so no typed change is lost; elsewhere it is a link.
            saves = workflow.can_edit(request.user, article)
            extra_context["workflow_saves"] = saves
            extra_context["workflow_actions"] = [
                (
                    transition,
                    SAVE_AND.get(transition.name, transition.label) if saves else transition.label,
                )
                for transition in workflow.available_transitions(request.user, article)
            ]
            extra_context["what_next"] = what_next(article)
            if article.status in CHECKED_STATES:
                checks.with_check_relations([article])
                extra_context["prepublish_checks"] = checks.prepublish_checks(article)
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

    def response_change(self, request, obj):
        name = request.POST.get("_workflow")
        if name in workflow.TRANSITIONS:
            self.message_user(
                request,
                _("Your changes to “%(title)s” were saved.") % {"title": obj},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:news_article_transition", args=[obj.pk, name])
            )
        return super().response_change(request, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "translations/",
                self.admin_site.admin_view(self.translations_view),
                name="{}_{}_translations".format(*info),
            ),
            path(
                "calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="{}_{}_calendar".format(*info),
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
                "<path:object_id>/revisions/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
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
        found = []
        if transition.name in checks.STEPS_CHECKED:
            found = checks.prepublish_checks(checks.with_check_relations([article])[0])
        blocked = checks.blocking(found)

        data = request.POST if request.method == "POST" and refusal is None else None
        form = TransitionForm(
            data,
            transition=transition,
            warnings=checks.warnings(found),
            initial={"distribute_under_embargo": article.distribute_under_embargo},
        )
        refused_on_form = False
        if data is not None and form.is_valid():
            try:
                workflow.apply_transition(
                    transition.name,
                    article=article,
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    publish_at=form.cleaned_data.get("publish_at"),
                    override_reason=form.override_reason,
                    distribute_under_embargo=form.cleaned_data.get("distribute_under_embargo"),
                )
            except workflow.WorkflowError as error:
                # On the form, with what was typed, not on a page of its own.
                form.add_refusal(error)
                refused_on_form = True
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
            "prepublish_checks": found,
            # Blocked on arrival: nothing to fill in until the article is put right.
            "blocked": bool(blocked) and data is None,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        status = 409 if refusal or refused_on_form or context["blocked"] else 200
        return TemplateResponse(
            request, "admin/news/article/transition.html", context, status=status
        )
