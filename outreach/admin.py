"""Email subscriptions for administrators (the permissions of outreach.0004_roles): who
follows what, confirmed or not. Addresses are not edited here (only their owner may,
through the links in their emails); deleting one ends it as its unsubscribe link does."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import subscriptions
from .models import Subscription


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Not confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "frequency", "digest_hour", "confirmed_at", "requested_at"]
    list_filter = [ConfirmedFilter, "frequency", "language"]
    search_fields = ["email"]
    date_hierarchy = "requested_at"
    fields = [
        "email",
        "language",
        "regions",
        "agencies",
        "tags",
        "follows_everything",
        "release_languages",
        "frequency",
        "digest_hour",
        "requested_at",
        "confirmed_at",
        "digest_through",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # only the owner of an address subscribes it (double opt-in)

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        subscriptions.end(obj)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            subscriptions.end(subscription)
