"""Tags in the admin: django-taggit's, with the permissions merging needs."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from ..forms import (
    MergeTagsForm,
)

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
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
