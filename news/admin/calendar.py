"""The article admin's calendar of scheduled and published releases, where editors move a
scheduled release to another time; mixed into ArticleAdmin."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .. import desk, workflow
from ..converters import parse_id
from ..forms import RescheduleForm
from ..models import Article

KINDS = ("month", "week")


def calendar_url(kind: str, day: date) -> str:
    query = urlencode({"view": kind, "date": day.isoformat()})
    return f"{reverse('admin:news_article_calendar')}?{query}"


def chosen_day(text: str | None) -> date:
    """The day a calendar URL names (YYYY-MM-DD in ASCII digits), else today; a day in the
    first or last year Python can count has no previous or next month to link to."""
    if text and text.isascii():
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if date.min.year < day.year < date.max.year:
                return day
    return timezone.localdate()


class ArticleCalendarViews:
    def calendar_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        kind = request.GET.get("view") if request.GET.get("view") in KINDS else KINDS[0]
        day = chosen_day(request.GET.get("date"))
        posted, status = None, 200
        if request.method == "POST":
            posted, response = self._reschedule(request, kind)
            if response is not None:
                return response
            status = 409 if posted.form.errors.get("__all__") else 400
        period = desk.calendar(request.user, kind=kind, day=day)
        can_publish = request.user.has_perm(workflow.PERM_PUBLISH)
        for item in (item for calendar_day in period.days for item in calendar_day.items):
            if can_publish and item.status == Article.Status.SCHEDULED:
                # The refused form keeps what the person typed; the others show the time set.
                item.reschedule_form = (
                    posted.form
                    if posted and posted.article.pk == item.pk
                    else RescheduleForm(
                        prefix=f"reschedule-{item.pk}",
                        initial={"publish_at": timezone.localtime(item.publish_at)},
                    )
                )
        if posted and not any(
            item.pk == posted.article.pk for d in period.days for item in d.items
        ):
            for error in posted.form.errors.get("__all__", []):
                self.message_user(request, error, messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publication calendar"),
            "period": period,
            "kind": kind,
            "previous_url": calendar_url(kind, period.previous),
            "next_url": calendar_url(kind, period.next),
            "today_url": calendar_url(kind, period.today),
            "week_url": calendar_url("week", day),
            "month_url": calendar_url("month", day),
            "here": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/news/article/calendar.html", context, status=status)

    def _reschedule(self, request, kind):
        """Move one scheduled release to the time posted; (what was posted, a redirect once
        it moved or None to show the calendar again with the refusal at the release)."""
        if not request.user.has_perm(workflow.PERM_PUBLISH):
            raise PermissionDenied
        article_id = parse_id(request.POST.get("article"))
        article = self.get_object(request, str(article_id)) if article_id is not None else None
        if article is None:
            raise Http404
        posted = _Posted(article, RescheduleForm(request.POST, prefix=f"reschedule-{article.pk}"))
        if not posted.form.is_valid():
            return posted, None
        publish_at = posted.form.cleaned_data["publish_at"]
        try:
            workflow.apply_transition(
                "schedule", article=article, user=request.user, publish_at=publish_at
            )
        except workflow.WorkflowError as error:
            posted.form.add_error(None, error.message)
            return posted, None
        self.message_user(
            request,
            _("“%(title)s” will be published on %(when)s.")
            % {"title": article, "when": _local_time(publish_at)},
            messages.SUCCESS,
        )
        # To the period it moved to, so the person sees it there.
        return posted, HttpResponseRedirect(calendar_url(kind, timezone.localdate(publish_at)))


@dataclass(frozen=True)
class _Posted:
    article: Article
    form: RescheduleForm


def _local_time(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
