"""The article admin's calendar of scheduled and published releases, where editors move a
scheduled release to another time and schedule an approved one; mixed into ArticleAdmin."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .. import checks, desk, workflow
from ..converters import parse_id
from ..forms import RescheduleForm, ScheduleForm
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
        can_publish = request.user.has_perm(workflow.PERM_PUBLISH)
        posted, status = None, 200
        if request.method == "POST":
            if not can_publish:
                raise PermissionDenied
            # A reschedule posted before scheduling came to the calendar names no action.
            action = request.POST.get("action", "reschedule")
            if action not in POSTED_ACTIONS:
                return HttpResponseBadRequest()
            posted, response = getattr(self, POSTED_ACTIONS[action])(request, kind)
            if response is not None:
                return response
            status = 409 if posted.refused else 400
        period = desk.calendar(request.user, kind=kind, day=day)
        for item in (item for calendar_day in period.days for item in calendar_day.items):
            if can_publish and item.status == Article.Status.SCHEDULED:
                # The refused form keeps what the person typed; the others show the time set.
                item.reschedule_form = (posted and posted.form_for(item, "reschedule")) or (
                    RescheduleForm(
                        prefix=f"reschedule-{item.pk}",
                        initial={"publish_at": timezone.localtime(item.publish_at)},
                    )
                )
        awaiting = desk.awaiting_time(request.user) if can_publish else None
        for item in awaiting.items if awaiting else ():
            item.blocking = checks.blocking(item.checks)
            item.warnings = checks.warnings(item.checks)
            if not item.blocking:
                item.schedule_form = (posted and posted.form_for(item, "schedule")) or (
                    ScheduleForm(prefix=f"schedule-{item.pk}", warnings=item.warnings)
                )
        forms_shown = [
            getattr(item, "reschedule_form", None) for d in period.days for item in d.items
        ]
        forms_shown += (
            [getattr(item, "schedule_form", None) for item in awaiting.items] if awaiting else []
        )
        if posted and not any(form is posted.form for form in forms_shown):
            # Its form is not on the page (moved out of the period, past the list's end, or
            # scheduled by someone else meanwhile): the refusal goes at the top.
            for errors in posted.form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publication calendar"),
            "period": period,
            "kind": kind,
            "awaiting": awaiting,
            "previous_url": calendar_url(kind, period.previous),
            "next_url": calendar_url(kind, period.next),
            "today_url": calendar_url(kind, period.today),
            "week_url": calendar_url("week", day),
            "month_url": calendar_url("month", day),
            "here": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/news/article/calendar.html", context, status=status)

    def _posted_article(self, request) -> Article:
        article_id = parse_id(request.POST.get("article"))
        article = self.get_object(request, str(article_id)) if article_id is not None else None
        if article is None:
            raise Http404
        return article

    def _reschedule(self, request, kind):
        """Move one scheduled release to the time posted; (what was posted, a redirect once
        it moved or None to show the calendar again with the refusal at the release)."""
        article = self._posted_article(request)
        posted = _Posted(
            article, "reschedule", RescheduleForm(request.POST, prefix=f"reschedule-{article.pk}")
        )
        if not posted.form.is_valid():
            return posted, None
        publish_at = posted.form.cleaned_data["publish_at"]
        try:
            workflow.apply_transition(
                "schedule", article=article, user=request.user, publish_at=publish_at
            )
        except workflow.WorkflowError as error:
            posted.form.add_error(None, error.message)
            posted.refused = True
            return posted, None
        return posted, self._scheduled(request, kind, article, publish_at)

    def _schedule(self, request, kind):
        """Give one approved release the time posted, with the reason to go ahead despite its
        warnings if it has any; as _reschedule."""
        article = self._posted_article(request)
        found = checks.prepublish_checks(checks.with_check_relations([article])[0])
        form = ScheduleForm(
            request.POST, prefix=f"schedule-{article.pk}", warnings=checks.warnings(found)
        )
        posted = _Posted(article, "schedule", form)
        if not form.is_valid():
            return posted, None
        if article.status != Article.Status.APPROVED:
            # Scheduled by someone else meanwhile: moving it is for its reschedule form.
            form.add_error(
                None,
                _("“%(title)s” is no longer waiting for a time: its status is now “%(status)s”.")
                % {"title": article, "status": article.get_status_display()},
            )
            posted.refused = True
            return posted, None
        publish_at = form.cleaned_data["publish_at"]
        try:
            workflow.apply_transition(
                "schedule",
                article=article,
                user=request.user,
                publish_at=publish_at,
                override_reason=form.override_reason,
                distribute_under_embargo=form.cleaned_data["distribute_under_embargo"],
            )
        except workflow.WorkflowError as error:
            form.add_refusal(error)
            posted.refused = True
            return posted, None
        return posted, self._scheduled(request, kind, article, publish_at)

    def _scheduled(self, request, kind, article, publish_at):
        self.message_user(
            request,
            _("“%(title)s” will be published on %(when)s.")
            % {"title": article, "when": _local_time(publish_at)},
            messages.SUCCESS,
        )
        # To the period it moved to, so the person sees it there.
        return HttpResponseRedirect(calendar_url(kind, timezone.localdate(publish_at)))


# What a post to the calendar may ask for, and the method that does it.
POSTED_ACTIONS = {"reschedule": "_reschedule", "schedule": "_schedule"}


@dataclass
class _Posted:
    """A form posted to the calendar, and whether news.workflow refused what it asked."""

    article: Article
    action: str
    form: RescheduleForm
    refused: bool = False

    def form_for(self, item, action: str):
        """The posted form if it was `item`'s `action`, to show again as typed."""
        return self.form if self.article.pk == item.pk and self.action == action else None


def _local_time(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
