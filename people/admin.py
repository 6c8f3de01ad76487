"""Preferences in the admin: every staff member's own page, and an administrator's view of
each user's (the user page gains them)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Preferences


class PreferencesInline(admin.StackedInline):
    model = Preferences
    fields = ["language", "last_admin_language"]
    readonly_fields = ["last_admin_language"]
    can_delete = False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PressroomUserAdmin(UserAdmin):
    inlines = [PreferencesInline]


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    """Each staff member's own preferences, whatever their role; nobody else's here."""

    fields = ["language", "last_admin_language"]
    readonly_fields = ["last_admin_language"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user_id=request.user.pk)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.user_id == request.user.pk
        )

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False  # each person has one, made when first needed

    def has_delete_permission(self, request, obj=None):
        # They go with a user an administrator deletes (Django asks this admin then); there
        # is no page to delete them on their own (get_urls).
        return request.user.has_perm("auth.delete_user")

    def get_urls(self):
        return [url for url in super().get_urls() if not (url.name or "").endswith("_delete")]

    def changelist_view(self, request, extra_context=None):
        # A list of one: the index's link leads straight to the person's own page.
        own, _created = Preferences.objects.get_or_create(user=request.user)
        return HttpResponseRedirect(reverse("admin:people_preferences_change", args=[own.pk]))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            # Say what an empty choice means rather than Django's dashes.
            kwargs["choices"] = [("", _("As last used in the admin")), *db_field.choices]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            # Saving returns to this page, so "save and continue" would be the same button.
            "show_save_and_continue": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        # Here, not in change_view: config.admin's phrases title every change page, this one
        # is the person's own.
        context["title"] = _("My preferences")
        return super().render_change_form(request, context, *args, **kwargs)

    def response_change(self, request, obj):
        self.message_user(request, _("Your preferences are saved."), messages.SUCCESS)
        return HttpResponseRedirect(request.path)
