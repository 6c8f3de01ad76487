"""Translations in the admin: the article admin's translation pages (overview, side by
side, "translate missing"), translation tasks and terminology."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.models import Region
from media_library import services as media_services
from media_library import translation as media_translation
from media_library.forms import PhotoDescriptionsForm
from media_library.models import photos_of

from .. import workflow
from ..converters import parse_id
from ..forms import with_csp_nonce
from ..models import (
    Article,
    Term,
    TranslationJob,
)
from ..translation import overview
from ..translation import service as translation_service
from ..translation.errors import language_name
from ..translation.forms import TranslationForm
from .filters import TranslationReasonFilter, WritableAgencyFilter, translation_reason


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


class ArticleTranslationViews:
    """The article admin's translation pages; mixed into ArticleAdmin."""

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
        photos = PhotoDescriptionsForm(
            request.POST if request.method == "POST" else None,
            images=photos_of(original),
            language=language,
        )
        status = 200
        kept_text = conflict = False
        if request.method == "POST":
            try:
                if "_review" in request.POST:
                    if translation is None:
                        raise Http404
                    translation_service.mark_reviewed(article=translation, user=request.user)
                    message = _("The translation is marked reviewed.")
                elif form.is_valid() and photos.is_valid():
                    with transaction.atomic():
                        saved = translation_service.save_translation(
                            original=original,
                            language=language,
                            user=request.user,
                            content=form.content(),
                            expected_version=form.cleaned_data["expected_version"],
                            reviewed="_save_reviewed" in request.POST,
                        )
                        # The version shows the original's photos, which the person
                        # describes in its language (a machine translation gets them too).
                        media_translation.carry_over(original, saved)
                        media_services.describe_photos(
                            user=request.user, language=language, descriptions=photos.descriptions()
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
                    photos = PhotoDescriptionsForm(data, images=photos.images, language=language)
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
            "photos": photos,
            "media": with_csp_nonce(self.media + form.media, request),
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


@admin.register(TranslationJob)
class TranslationJobAdmin(admin.ModelAdmin):
    """Translation tasks; those that need a person are the translators' to-do list."""

    list_display = [
        "original", "language", "status", "error_message", "engine", "attempts",
        "updated_at", "side_by_side",
    ]  # fmt: skip
    list_filter = [
        "status", "language", TranslationReasonFilter, ("original__agency", WritableAgencyFilter)
    ]  # fmt: skip
    list_select_related = ["original"]
    search_fields = ["original__title"]
    readonly_fields = [
        "original", "language", "status", "engine", "attempts", "reason", "error_message",
        "requested_by", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["request_again"]

    @admin.display(description=_("reason code"))
    def reason(self, job):
        return translation_reason(job.error_code)

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
class TermAdmin(admin.ModelAdmin):
    """Official titles and names the engines must render this way."""

    list_display = ["source_term", "target_term", "source_language", "target_language", "note"]
    list_filter = ["source_language", "target_language"]
    search_fields = ["source_term", "target_term", "note"]
    list_editable = ["target_term"]


# django-taggit registers its own tag admin, whose merge page asks for no permission.
