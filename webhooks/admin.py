"""Administrators register partners' endpoints, watch their deliveries, send a test event,
resume a paused endpoint and rotate its secret."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from . import events, sending
from .models import RELEASE_EVENTS, Delivery, DeliveryAttempt, Endpoint

RECENT_DELIVERIES = 20


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default; no warning until then
    return db_field.formfield(**kwargs)


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[
            (event.value, format_lazy("{}: {}", event.value, event.label))
            for event in RELEASE_EVENTS
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which events the partner receives."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only releases in these languages; none: every language."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "is_active", "events", "regions", "agencies", "languages"]
        formfield_callback = _formfield


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "url", "state", "event_list", "last_delivery"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    filter_horizontal = ["regions", "agencies"]
    actions = ["send_test_event", "resume", "rotate_secret"]

    def get_queryset(self, request):
        newest = Delivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(last_status=Subquery(newest.values("status")[:1]))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name", "url", "is_active", "events"]}),
            (
                _("Only these releases"),
                {"fields": ["regions", "agencies", "languages"]},
            ),
        ]
        if obj is not None:
            fieldsets.insert(1, (_("Signing"), {"fields": ["secret_shown"]}))
            fieldsets.append((_("Recent deliveries"), {"fields": ["state", "recent_deliveries"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["secret_shown", "state", "recent_deliveries"]

    def get_deleted_objects(self, objs, request):
        # The rows joining an endpoint to its regions and agencies go with it; Django would
        # list each as "Endpoint_regions object (1)", in English whatever the language.
        deleted, counts, permissions, protected = super().get_deleted_objects(objs, request)
        joins = [field.remote_field.through._meta for field in Endpoint._meta.many_to_many]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}:" for opts in joins)
        for opts in joins:
            counts.pop(opts.verbose_name_plural, None)
        return _without(deleted, prefixes), counts, permissions, protected

    @admin.display(description=_("Signing secret"))
    def secret_shown(self, endpoint):
        return format_html(
            '<input type="text" readonly size="60" value="{}"><div class="help">{}</div>',
            endpoint.secret,
            _(
                "Give it to the partner: any Standard Webhooks library verifies a delivery "
                "with it. Rotate it from the list if it leaks."
            ),
        )

    @admin.display(description=_("State"))
    def state(self, endpoint):
        if not endpoint.is_active:
            return _("Switched off")
        if endpoint.is_paused:
            local = timezone.localtime(endpoint.paused_at)
            return _("Paused on %(time)s after a day of failures") % {
                "time": local.strftime("%d.%m.%Y %H:%M")
            }
        if endpoint.failing_since:
            local = timezone.localtime(endpoint.failing_since)
            return _("Failing since %(time)s") % {"time": local.strftime("%d.%m.%Y %H:%M")}
        return _("Working")

    @admin.display(description=_("Events"))
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    @admin.display(description=_("Last delivery"))
    def last_delivery(self, endpoint):
        if endpoint.last_status is None:
            return "—"
        return Delivery.Status(endpoint.last_status).label

    @admin.display(description=_("Recent deliveries"))
    def recent_deliveries(self, endpoint):
        deliveries = endpoint.deliveries.select_related("event").order_by("-created_at", "-pk")
        return render_to_string(
            "webhooks/admin/recent_deliveries.html",
            {"deliveries": deliveries[:RECENT_DELIVERIES], "endpoint": endpoint},
        )

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            events.send_test_event(endpoint)
            self.message_user(
                request,
                _("A test event is on its way to “%(name)s”; its delivery is listed on its page.")
                % {"name": endpoint},
                messages.SUCCESS,
            )

    @admin.action(description=_("Resume the selected paused endpoints"), permissions=["change"])
    def resume(self, request, queryset):
        for endpoint in queryset:
            if sending.resume(endpoint):
                self.message_user(
                    request,
                    _("“%(name)s” receives events again.") % {"name": endpoint},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request, _("“%(name)s” was not paused.") % {"name": endpoint}, messages.INFO
                )

    @admin.action(description=_("Rotate the signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            sending.rotate_secret(endpoint)
            self.message_user(
                request,
                _(
                    "“%(name)s” has a new signing secret, shown on its page; give it to the "
                    "partner: deliveries are signed with it from now on."
                )
                % {"name": endpoint},
                messages.WARNING,
            )


def _without(items: list, prefixes: tuple[str, ...]) -> list:
    """The nested list of the delete page without the entries starting with `prefixes`."""
    kept = []
    for item in items:
        if isinstance(item, list):
            item = _without(item, prefixes)
            if item:
                kept.append(item)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["number", "started_at", "status_code", "duration_ms", "error", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("Error"))
    def error(self, attempt):
        return attempt.error or "—"

    def has_view_permission(self, request, obj=None):
        # An attempt is part of its delivery's log: whoever reads the delivery reads them.
        return request.user.has_perm("webhooks.view_delivery")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The log of deliveries, read only: they are made by events, never by hand."""

    list_display = [
        "created_at", "endpoint", "event_type", "status", "attempts", "last_status_code",
        "last_duration_ms", "next_attempt_at", "last_error",
    ]  # fmt: skip
    list_filter = ["status", "event__type", "endpoint"]
    list_select_related = ["endpoint", "event"]
    search_fields = ["message_id", "endpoint__name"]
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    fields = [
        "endpoint", "event_type", "article", "message_id", "status", "attempts",
        "next_attempt_at", "last_status_code", "last_duration_ms", "last_error", "created_at",
        "finished_at",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("Event"), ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    @admin.display(description=_("Article"))
    def article(self, delivery):
        article = delivery.event.article
        if article is None:
            return "—"
        return format_html('<a href="{}">{}</a>', article.get_admin_url(), article.title)

    @admin.display(description=_("Last error"))
    def last_error(self, delivery):
        return delivery.last_error or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
