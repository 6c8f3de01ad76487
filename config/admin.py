from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import Permission
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from config.admin_text import permission_label, phrases_for

# Django writes a bigint's largest value with 19 digits; ids and counts stay below 18.
MAX_NUMBER_DIGITS = 18
NUMBERS_AND_DATES = (
    models.IntegerField, models.DecimalField, models.FloatField, models.DateField,
    models.TimeField, models.DurationField,
)  # fmt: skip


class PressroomAdminSite(admin.AdminSite):
    site_header = _("Pressroom")
    site_title = _("Pressroom administration")
    index_title = _("Newsroom")
    index_template = "admin/pressroom_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model's admin, Django's and other apps' included, speaks in the phrases of
        config.admin_text and refuses filter values it would misread: the ModelAdmin classes
        of auth, celery beat and axes are not ours to change, and a new app's admin needs
        nothing to be safe."""
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(
            mixin
            for mixin in (ModelPhrasesMixin, StrictFiltersMixin)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(
                admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)

    def index(self, request, extra_context=None):
        """The person's next steps (news.desk) above Django's list of sections."""
        from news import desk

        extra_context = {**(extra_context or {}), "desk": desk.home(request.user)}
        return super().index(request, extra_context)

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" shortcut, for objects the user may see in the admin only.

        Django's own redirects any staff user to any object's URL, and an article's URL
        names it: the title of another agency's draft or embargoed release would show.
        """
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.view_on_site:
            raise Http404
        obj = model_admin.get_object(request, object_id)  # None outside get_queryset
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404
        if callable(model_admin.view_on_site):
            return HttpResponseRedirect(model_admin.view_on_site(obj))
        return contenttype_views.shortcut(request, content_type_id, object_id)


def compared_field(model, lookup: str) -> tuple[models.Field | None, list[str]]:
    """The field a filter's `lookup` compares (a relation's primary key for a relation),
    and the lookups and transforms after it (`["exact"]`, `["in"]`, `["isnull"]`)."""
    opts, field = model._meta, None
    parts = lookup.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return field, parts[index:]
        if field.is_relation and field.related_model is not None:
            opts = field.related_model._meta
            field = opts.pk
    return field, []


def is_ascii_number(text: str) -> bool:
    digits = text.removeprefix("-")
    return digits.isascii() and digits.isdigit() and len(digits) <= MAX_NUMBER_DIGITS


def filter_value_is_usable(model, lookup: str, value: str) -> bool:
    """Whether the admin can filter `model` by `lookup=value` as the person meant.

    Python's int() (and Django's integer and date fields with it) read any script's digits:
    `?agency__id__exact=٣` filtered by agency 3 and `?agency=²` raised an error. A number
    or a date is written in ASCII digits, and a whole number fits a bigint.
    """
    field, lookups = compared_field(model, lookup)
    if not isinstance(field, NUMBERS_AND_DATES) or lookups[-1:] == ["isnull"]:
        return True
    if any(char.isdigit() and not char.isascii() for char in value):
        return False
    if not isinstance(field, models.IntegerField) or lookups[:-1]:
        return True  # a date, or a transform of the number
    numbers = value.split(",") if lookups[-1:] in (["in"], ["range"]) else [value]
    return all(is_ascii_number(number) for number in numbers if number)


class StrictFilterChangeList(ChangeList):
    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        # A SimpleListFilter reads its own parameter, which may share a relation's name
        # (the media library's `renditions=yes`): it is not a lookup on that field.
        own_parameters = {
            list_filter.parameter_name
            for list_filter in self.list_filter
            if isinstance(list_filter, type) and issubclass(list_filter, SimpleListFilter)
        }
        for lookup, values in lookup_params.items():
            if lookup in own_parameters:
                continue
            if not all(filter_value_is_usable(self.model, lookup, value) for value in values):
                # The admin's answer to a filter it cannot use: the unfiltered list, with
                # an error flag.
                raise IncorrectLookupParameters(lookup)
        return lookup_params


class StrictFiltersMixin:
    """Filters refuse values they would misread (every admin has it: see register)."""

    def get_changelist(self, request, **kwargs):
        return StrictFilterChangeList


class ModelPhrasesMixin:
    """Headings, the add button and the result count of a model's admin as whole phrases
    (config.admin_text) instead of Django's, built from the verbose name."""

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        phrases = phrases_for(self.model)
        if phrases is None:
            return changelist
        if changelist.is_popup:
            changelist.title = phrases.select
        elif self.has_change_permission(request):
            changelist.title = phrases.select_to_change
        else:
            changelist.title = phrases.select_to_view
        # Read by templates/admin/pagination.html and change_list_object_tools.html.
        changelist.result_count_text = phrases.count_of(changelist.result_count)
        changelist.add_label = phrases.add
        return changelist

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model is Permission:
            formfield.label_from_instance = permission_label
        return formfield

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        phrases = phrases_for(self.model)
        if phrases is not None:
            if add:
                context["title"] = phrases.add
            elif self.has_change_permission(request, obj):
                context["title"] = phrases.change
            else:
                context["title"] = phrases.view
        return super().render_change_form(request, context, add, change, form_url, obj)
