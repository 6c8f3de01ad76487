from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _


class PressroomAdminSite(admin.AdminSite):
    site_header = _("Pressroom")
    site_title = _("Pressroom administration")
    index_title = _("Newsroom")
    index_template = "admin/pressroom_index.html"

    def index(self, request, extra_context=None):
        from news.workflow import articles_visible_to

        extra_context = extra_context or {}
        if request.user.has_perm("news.view_article"):
            extra_context["awaiting_review_count"] = (
                articles_visible_to(request.user).awaiting_review().count()
            )
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
