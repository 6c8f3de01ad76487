from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from news.workflow import agencies_writable_by

from .models import Agency, AgencyMembership, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["localized_name", "iso_code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_ru", "name_kk", "iso_code", "slug"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]

    @admin.display(description=_("name"), ordering="name_en")
    def localized_name(self, region):
        # In the reader's language: the Russian name of a region created in 2022 is written
        # with Kazakh letters («область Жетісу»), which a Kazakh list need not show.
        return region.name


class AgencyMembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("press officer")
    verbose_name_plural = _("press officers")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["localized_name", "slug", "kind", "region", "is_active", "needs_review"]
    list_filter = ["kind", "is_active", "needs_review", "region"]
    search_fields = ["slug", "name_en", "name_ru", "name_kk"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "parent"]
    inlines = [AgencyMembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("name"), ordering="name_en")
    def localized_name(self, agency):
        # In the reader's language, as everywhere else the admin names an agency.
        return agency.name

    def get_queryset(self, request):
        # Press officers see (and autocomplete) only the agencies they write for.
        return agencies_writable_by(request.user, super().get_queryset(request))


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "created_at"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__email", "agency__slug", "agency__name_en"]
    autocomplete_fields = ["user", "agency"]
