"""List filters the article, import run and translation task admins share."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news import workflow
from news.models import ImportSource

# Why a translation task waits for a person, by the code the service and the engines store
# (news.translation): the filter shows these, not `no_engine`.
TRANSLATION_REASONS = {
    "no_engine": _("no translation engine"),
    "edited_by_person": _("edited by a person"),
    "unsupported_pair": _("language pair not supported"),
    "engine_busy": _("engine busy"),
    "engine_timeout": _("engine did not answer in time"),
    "engine_unreachable": _("engine unreachable"),
    "engine_auth": _("engine refused the key"),
    "engine_rejected": _("engine refused the text"),
    "engine_error": _("engine error"),
    "quota_exceeded": _("engine quota used up"),
    "malformed_response": _("engine answer unreadable"),
    "language_package_missing": _("language package missing"),
    "language_package_broken": _("language package broken"),
}


def translation_reason(code: str) -> str:
    """A code's label; a code added to an engine and not here yet is shown as it is."""
    return str(TRANSLATION_REASONS.get(code, code))


def import_format_label(code: str) -> str:
    """An import run's format as the import source's kind names it ("RSS feed")."""
    return str(ImportSource.Kind(code).label) if code in ImportSource.Kind.values else code


class WritableAgencyFilter(admin.RelatedFieldListFilter):
    """Offer only the agencies the user may see, not every agency in the country."""

    def field_choices(self, field, request, model_admin):
        agencies = workflow.agencies_writable_by(request.user).filter(articles__isnull=False)
        return [(agency.pk, str(agency)) for agency in agencies.distinct().order_by("name_en")]


class LabelledCodeFilter(admin.SimpleListFilter):
    """A filter on a code field without choices (`parameter_name`), offering the codes
    present, each by its `label_of(code)`."""

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .exclude(**{self.parameter_name: ""})
            .order_by(self.parameter_name)
            .values_list(self.parameter_name, flat=True)
            .distinct()
        )
        return [(code, self.label_of(code)) for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class ImportFormatFilter(LabelledCodeFilter):
    title = _("format")
    parameter_name = "format"

    label_of = staticmethod(import_format_label)


class TranslationReasonFilter(LabelledCodeFilter):
    title = _("reason")
    parameter_name = "error_code"

    label_of = staticmethod(translation_reason)
