from django.contrib import admin
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
