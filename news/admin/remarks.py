"""Editorial remarks in the article admin: the thread on the change form and in the
history, and the view that adds one; mixed into ArticleAdmin. The rules are news.remarks'."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import remarks, workflow
from ..converters import parse_id


def mention_list(users) -> str:
    return ", ".join(f"@{user.username}" for user in users)


class ArticleRemarkViews:
    """The article admin's remarks; mixed into ArticleAdmin."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/remarks/",
                self.admin_site.admin_view(require_POST(self.add_remark_view)),
                name="news_article_add_remark",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["remarks"] = remarks.thread(obj)
            context["remark_max_length"] = remarks.MAX_LENGTH
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        article_id = parse_id(unquote(object_id))
        if article_id is not None:
            visible = workflow.articles_visible_to(request.user).filter(pk=article_id).first()
            if visible is not None:
                extra_context = {**(extra_context or {}), "remarks": remarks.thread(visible)}
        return super().history_view(request, object_id, extra_context)

    def add_remark_view(self, request, object_id):
        # Outside the user's scope the article is "not found", as on its change form.
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        thread_url = reverse("admin:news_article_change", args=[article.pk]) + "#remarks"
        try:
            remark, mentions = remarks.add_remark(
                article=article, user=request.user, text=request.POST.get("text", "")
            )
        except remarks.RemarkError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(thread_url)
        self.message_user(request, _("Your remark is added."), messages.SUCCESS)
        if mentions.notified:
            self.message_user(
                request,
                _("They will be told by email: %(names)s")
                % {"names": mention_list(mentions.notified)},
                messages.SUCCESS,
            )
        if mentions.not_allowed:
            self.message_user(
                request,
                _("Not told, as they may not see this release: %(names)s")
                % {"names": mention_list(mentions.not_allowed)},
                messages.WARNING,
            )
        if mentions.unknown:
            self.message_user(
                request,
                _("No one has the username: %(names)s")
                % {"names": ", ".join(f"@{name}" for name in mentions.unknown)},
                messages.WARNING,
            )
        return HttpResponseRedirect(
            reverse("admin:news_article_change", args=[article.pk]) + f"#remark-{remark.pk}"
        )
