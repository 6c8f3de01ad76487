"""The article admin's history: a release's revisions listed, any two compared word by
word, and one restored after a confirmation that shows what will change."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import revisions, workflow
from ..converters import parse_id
from ..forms import RestoreRevisionForm

# A revision's related objects that its snapshot and its row name.
RECORD_RELATED = ("history_user", "region", "agency", "author")
ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass(frozen=True)
class HistoryRow:
    """One revision as the history lists it."""

    record: object
    when: str
    who: str
    action: str
    reason: str
    changes: list[revisions.Change]
    # The revision before it, to compare with; None for the first.
    previous_id: int | None


def history_rows(records: list, count: int) -> list[HistoryRow]:
    """The rows for the first `count` of `records` (newest first); one record more, when
    given, is the revision before the last row, so that row also says what it changed."""
    snapshots = [revisions.snapshot(record, revisions.HISTORY_FIELDS) for record in records]
    rows = []
    for index, record in enumerate(records[:count]):
        previous = index + 1 < len(records)
        rows.append(
            HistoryRow(
                record=record,
                when=revisions.local_time(record.history_date),
                who=person(record.history_user),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                reason=revisions.describe_reason(record.history_change_reason),
                changes=(
                    revisions.summarize(snapshots[index + 1], snapshots[index]) if previous else []
                ),
                previous_id=records[index + 1].history_id if previous else None,
            )
        )
    return rows


def person(user) -> str:
    if user is None:
        return gettext("the system").capitalize()
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class RevisionInfo:
    """A revision named for a page: when, by whom, in which state, why."""

    record: object
    when: str
    who: str
    status: str
    reason: str

    @classmethod
    def of(cls, record):
        return cls(
            record=record,
            when=revisions.local_time(record.history_date),
            who=person(record.history_user),
            status=record.get_status_display(),
            reason=revisions.describe_reason(record.history_change_reason),
        )


class ArticleHistoryViews:
    """The article admin's history pages; mixed into ArticleAdmin."""

    object_history_list_template = "admin/news/article/history_list.html"
    history_list_per_page = 50

    def revert_disabled(self, request, obj=None):
        # simple_history's revert form would save an old revision wholesale, status and
        # agency included; restoring goes through revision_view.
        return True

    def history_view_title(self, request, obj):
        return _("History of “%(title)s”") % {"title": obj}

    def history_view(self, request, object_id, extra_context=None):
        # simple_history read the records by the id as written: `²` was a 500 and `٣`
        # showed article 3's history.
        if parse_id(unquote(object_id)) is None:
            raise Http404
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        records = article.history.select_related(*RECORD_RELATED)
        paginator = Paginator(records, self.history_list_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        start = (page.number - 1) * paginator.per_page
        page.object_list = history_rows(
            list(records[start : start + paginator.per_page + 1]), paginator.per_page
        )
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_view_title(request, article),
            "object_history_list_template": self.object_history_list_template,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.num_pages > 1,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "object": article,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "revert_disabled": True,
            "compare_url": reverse("admin:news_article_compare", args=[article.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's own revision form saves the old revision wholesale on POST,
        # status and agency included, whatever SIMPLE_HISTORY_REVERT_DISABLED says, and
        # checks scope against the old revision. Restoring goes through news.revisions.
        history_id = parse_id(version_id)
        if history_id is None:
            raise Http404
        return HttpResponseRedirect(
            reverse("admin:news_article_revision", args=[unquote(object_id), history_id])
        )

    def compare_view(self, request, object_id):
        """Two revisions of a release, the older one's text against the newer's."""
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        ids = {parse_id(request.GET.get("old")), parse_id(request.GET.get("new"))}
        if None in ids:
            raise Http404
        chosen = sorted(
            article.history.filter(history_id__in=ids).select_related(*RECORD_RELATED),
            key=lambda record: (record.history_date, record.history_id),
        )
        if len(chosen) != len(ids):
            raise Http404
        old, new = chosen[0], chosen[-1]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare revisions"),
            "article": article,
            "original": article,
            "old": RevisionInfo.of(old),
            "new": RevisionInfo.of(new),
            "diffs": revisions.compare(revisions.snapshot(old), revisions.snapshot(new)),
            "history_url": reverse("admin:news_article_history", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/news/article/revision_compare.html", context)

    def revision_view(self, request, object_id, history_id):
        """A revision against the release as it is now: what restoring it would change,
        and the restore, confirmed."""
        article, redirect = self._article_or_redirect(request, object_id)
        if redirect:
            return redirect
        revision = get_object_or_404(
            article.history.select_related(*RECORD_RELATED), history_id=history_id
        )
        can_restore = workflow.can_edit(request.user, article)
        form = RestoreRevisionForm(
            request.POST if request.method == "POST" else None,
            initial={"expected_version": article.version},
        )
        if request.method == "POST" and can_restore and form.is_valid():
            try:
                revisions.restore_revision(
                    article=article,
                    revision_id=revision.history_id,
                    user=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                    public_change_confirmed=form.cleaned_data["confirm_public_change"],
                )
            except workflow.WorkflowError as error:
                # Shown beside the restore button, with the comparison as it is now.
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("The revision of %(date)s was restored.")
                    % {"date": revisions.local_time(revision.history_date)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))
        diffs = revisions.compare(revisions.snapshot(article), revisions.snapshot(revision))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare with the current version"),
            "article": article,
            "original": article,
            "revision": RevisionInfo.of(revision),
            "diffs": diffs,
            "changed_labels": [diff.label for diff in diffs if diff.changed],
            "can_restore": can_restore,
            "changes_public_page": revisions.changes_public_page(article),
            "form": form,
            "history_url": reverse("admin:news_article_history", args=[article.pk]),
            "compare_url": reverse("admin:news_article_compare", args=[article.pk]),
            "change_url": reverse("admin:news_article_change", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/news/article/revision.html", context)
