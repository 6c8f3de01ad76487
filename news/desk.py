"""What the admin home shows each person as their next steps, and the editorial calendar.

Pure selectors: each takes the person (and the time, for tests) and returns plain data for a
template. A block's list is short and its count separate, so the number of queries is the
same whatever the number of releases.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import checks, workflow
from .import_reasons import import_reason
from .models import (
    Article,
    ArticleFlag,
    ArticleTransition,
    ImportRun,
    Translation,
    TranslationJob,
)

Status = Article.Status

SHOWN = 5  # releases listed per block; the block links to the full list
RECENT_DAYS = 7  # "recently" published, "recent" failed runs: today and the 6 days before


@dataclass(frozen=True)
class Block:
    """One short list of the home page: what it is, how many in all, where they all are."""

    key: str
    title: Promise
    count: int
    items: list
    see_all: str


@dataclass(frozen=True)
class Home:
    officer: list[Block] = field(default_factory=list)
    editor: list[Block] = field(default_factory=list)
    # Submitted since then reads "submitted just now", not "waiting for 0 minutes".
    just_now: datetime | None = None


def changelist(model: str, **query) -> str:
    """The admin list of `model` filtered by `query` (a filter's parameters)."""
    url = reverse(f"admin:news_{model}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def is_officer(user) -> bool:
    """Writes for an agency: sees their agencies' releases as a press officer does."""
    return user.has_perm(workflow.PERM_SUBMIT) and bool(workflow.user_agency_ids(user))


def home(user, *, now: datetime | None = None) -> Home:
    """The blocks of the admin home: a press officer's, an editor's, both for a person with
    both roles, none for staff who do not work on releases."""
    if not user.has_perm("news.view_article"):
        return Home()
    now = now or timezone.now()
    officer, editor = [], []
    if is_officer(user):
        # An editor who also writes for an agency sees that agency's releases here, and
        # every agency's as an editor below.
        agency_ids = sorted(workflow.user_agency_ids(user))
        own = workflow.articles_visible_to(user).filter(agency_id__in=agency_ids)
        scope = {"agency__id__in": ",".join(map(str, agency_ids))}
        officer = officer_blocks(own, _counts(own, now), now, scope)
    if workflow.is_editor(user):
        articles = workflow.articles_visible_to(user)
        editor = editor_blocks(user, articles, _counts(articles, now), now)
    return Home(officer=officer, editor=editor, just_now=now - timedelta(minutes=1))


def recent_since(now: datetime) -> datetime:
    """Where "recent" begins: the start of a day in the site's time zone, a time the admin
    lists' date filters take as it is, so a block's count and its list's agree."""
    day = timezone.localdate(now) - timedelta(days=RECENT_DAYS - 1)
    return datetime.combine(day, datetime.min.time(), timezone.get_current_timezone())


def _counts(articles, now: datetime) -> dict[str, int]:
    """Every count the blocks of articles show, in one query."""
    flagged = Exists(ArticleFlag.objects.filter(article=OuterRef("pk")))
    return articles.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        recently_published=Count(
            "pk", filter=Q(status=Status.PUBLISHED, published_at__gte=recent_since(now))
        ),
        flagged=Count("pk", filter=Q(flagged)),
        machine_to_review=Count("pk", filter=Q(_unreviewed_machine_translation())),
    )


def _unreviewed_machine_translation():
    return Exists(
        Translation.objects.filter(
            article=OuterRef("pk"),
            method=Translation.Method.ENGINE,
            state=Translation.State.MACHINE,
            outdated=False,
        )
    )


def _listed(articles):
    """Articles as a block lists them: title, status, agency; never their text."""
    return articles.select_related("agency").defer("body", "lead", "sources")


def officer_blocks(articles, counts: dict, now: datetime, scope: dict) -> list[Block]:
    """A press officer's blocks; `scope` narrows the lists linked to their agencies (the
    admin does so itself for a press officer, not for one who is also an editor)."""
    returned = (
        _listed(articles.filter(status=Status.CHANGES_REQUESTED))
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=ArticleTransition.objects.filter(name="request_changes")
                .select_related("actor")
                .order_by("-created_at", "-id"),
                to_attr="change_requests",
            )
        )
        .order_by("-updated_at", "-id")
    )
    return [
        Block(
            "returned",
            _("Returned to you for changes"),
            counts[Status.CHANGES_REQUESTED],
            list(returned[:SHOWN]),
            changelist("article", status__exact=Status.CHANGES_REQUESTED, **scope),
        ),
        Block(
            "drafts",
            _("Drafts"),
            counts[Status.DRAFT],
            list(
                _listed(articles.filter(status=Status.DRAFT)).order_by("-updated_at", "-id")[:SHOWN]
            ),
            changelist("article", status__exact=Status.DRAFT, **scope),
        ),
        Block(
            "in_review",
            _("In review"),
            counts[Status.IN_REVIEW],
            list(review_queue(articles)[:SHOWN]),
            changelist("article", status__exact=Status.IN_REVIEW, **scope),
        ),
        _scheduled(articles, counts, scope),
        _recently_published(articles, counts, now, scope),
    ]


def review_queue(articles):
    """Releases in review, the longest waiting first, each with `submitted_at`: when its
    last step into review was taken (a re-import, which keeps it in review, does not count)."""
    submitted = (
        ArticleTransition.objects.filter(article=OuterRef("pk"), to_status=Status.IN_REVIEW)
        .exclude(from_status=Status.IN_REVIEW)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return (
        _listed(articles.filter(status=Status.IN_REVIEW))
        .annotate(submitted_at=Coalesce(submitted, "created_at"))
        .order_by("submitted_at", "id")
    )


def _scheduled(articles, counts: dict, scope: dict) -> Block:
    return Block(
        "scheduled",
        _("Scheduled"),
        counts[Status.SCHEDULED],
        list(
            _listed(articles.filter(status=Status.SCHEDULED)).order_by("publish_at", "id")[:SHOWN]
        ),
        changelist("article", status__exact=Status.SCHEDULED, **scope),
    )


def _recently_published(articles, counts: dict, now: datetime, scope: dict) -> Block:
    since = recent_since(now)
    recent = articles.filter(status=Status.PUBLISHED, published_at__gte=since)
    return Block(
        "published",
        _("Published in the last 7 days"),
        counts["recently_published"],
        list(_listed(recent).order_by("-published_at", "-id")[:SHOWN]),
        changelist(
            "article",
            status__exact=Status.PUBLISHED,
            published_at__gte=since.isoformat(),
            **scope,
        ),
    )


def editor_blocks(user, articles, counts: dict, now: datetime) -> list[Block]:
    flagged = (
        _listed(articles.filter(Exists(ArticleFlag.objects.filter(article=OuterRef("pk")))))
        .prefetch_related("flags")
        .order_by("-created_at", "-id")
    )
    blocks = [
        Block(
            "review_queue",
            _("Review queue"),
            counts[Status.IN_REVIEW],
            list(review_queue(articles)[:SHOWN]),
            changelist("article", status__exact=Status.IN_REVIEW),
        ),
        Block(
            "flagged",
            _("Flagged releases to check"),
            counts["flagged"],
            list(flagged[:SHOWN]),
            changelist("article", flags__code__isnull="False"),
        ),
        _scheduled(articles, counts, {}),
        _recently_published(articles, counts, now, {}),
    ]
    if user.has_perm("news.view_importrun"):
        blocks.append(_failed_runs(now))
    if user.has_perm("news.view_translationjob"):
        blocks.append(_jobs_needing_a_person(user))
    blocks.append(_machine_translations(articles, counts))
    return blocks


def _failed_runs(now: datetime) -> Block:
    since = recent_since(now)
    failed = ImportRun.objects.filter(
        status__in=[ImportRun.Status.FAILED, ImportRun.Status.PARTIAL], started_at__gte=since
    )
    shown = list(
        failed.select_related("source").defer("payload").order_by("-started_at", "-id")[:SHOWN]
    )
    for run in shown:
        # The reason in the editor's language; the detail the importer wrote is English.
        run.reason = import_reason(run.error_code) or run.error_message
    return Block(
        "failed_runs",
        _("Import runs that failed in the last 7 days"),
        failed.count(),
        shown,
        changelist(
            "importrun",
            status__in=f"{ImportRun.Status.FAILED},{ImportRun.Status.PARTIAL}",
            started_at__gte=since.isoformat(),
        ),
    )


def _jobs_needing_a_person(user) -> Block:
    jobs = TranslationJob.objects.filter(status=TranslationJob.Status.NEEDS_PERSON)
    if not workflow.has_all_agencies(user):
        jobs = jobs.filter(original__agency_id__in=workflow.user_agency_ids(user))
    return Block(
        "translation_jobs",
        _("Translations waiting for a person"),
        jobs.count(),
        list(jobs.select_related("original").order_by("updated_at", "id")[:SHOWN]),
        changelist("translationjob", status__exact=TranslationJob.Status.NEEDS_PERSON),
    )


def _machine_translations(articles, counts: dict) -> Block:
    waiting = (
        _listed(articles.filter(_unreviewed_machine_translation()))
        .select_related("translation_record")
        .order_by("created_at", "id")
    )
    return Block(
        "machine_translations",
        _("Machine translations to review"),
        counts["machine_to_review"],
        list(waiting[:SHOWN]),
        f"{reverse('admin:news_article_translations')}?state=machine",
    )


# --- the calendar -----------------------------------------------------------------------

ON_CALENDAR = (Status.SCHEDULED, Status.PUBLISHED)


@dataclass(frozen=True)
class Day:
    date: date
    items: list
    is_today: bool
    in_period: bool  # a month view's days of the weeks around the month are not


@dataclass(frozen=True)
class Period:
    kind: str  # "week" or "month"
    start: date  # the first day of the week or month
    days: list[Day]
    previous: date
    next: date
    today: date

    @property
    def is_empty(self) -> bool:
        return not any(day.items for day in self.days if day.in_period)

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]


def period_bounds(kind: str, day: date) -> tuple[date, date, date, date]:
    """(first day shown, day after the last, the previous period's start, the next's) of the
    week (Monday to Sunday) or month around `day`; a month is shown in whole weeks."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7), start - timedelta(days=7), start + timedelta(7)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    shown_from = first - timedelta(days=first.weekday())
    last = following - timedelta(days=1)
    shown_to = last + timedelta(days=7 - last.weekday())
    return shown_from, shown_to, previous, following


def calendar(user, *, kind: str, day: date, now: datetime | None = None) -> Period:
    """The scheduled and published releases the user may see in the week or month around
    `day`, by day in the site's time zone (Asia/Almaty), in order of time; one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    shown_from, shown_to, previous, following = period_bounds(kind, day)
    start = day - timedelta(days=day.weekday()) if kind == "week" else day.replace(day=1)
    zone = timezone.get_current_timezone()
    articles = (
        _listed(workflow.articles_visible_to(user).filter(status__in=ON_CALENDAR))
        .annotate(
            on_calendar_at=Case(
                When(status=Status.SCHEDULED, then=F("publish_at")), default=F("published_at")
            )
        )
        .filter(
            on_calendar_at__gte=datetime.combine(shown_from, datetime.min.time(), zone),
            on_calendar_at__lt=datetime.combine(shown_to, datetime.min.time(), zone),
        )
        .order_by("on_calendar_at", "id")
    )
    by_day: dict[date, list] = {}
    for article in articles:
        by_day.setdefault(timezone.localdate(article.on_calendar_at), []).append(article)
    days = []
    current = shown_from
    while current < shown_to:
        in_period = kind == "week" or current.month == start.month
        days.append(Day(current, by_day.get(current, []), current == today, in_period))
        current += timedelta(days=1)
    return Period(kind, start, days, previous, following, today)


# --- approved releases waiting for a time, under the calendar ------------------------------

AWAITING_SHOWN = 20


@dataclass(frozen=True)
class Awaiting:
    """The approved releases longest waiting for a time, each with its pre-publish `checks`;
    `more` when there are others, which `see_all` lists."""

    items: list
    more: bool
    see_all: str


def awaiting_time(user) -> Awaiting:
    """The approved releases the user may see, the longest approved first; the same queries
    whatever their number (the checks read what is prefetched)."""
    approved = (
        ArticleTransition.objects.filter(article=OuterRef("pk"), name="approve")
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    articles = checks.with_check_relations(
        workflow.articles_visible_to(user)
        .filter(status=Status.APPROVED)
        .select_related("agency")
        .defer("sources")  # the checks read the body and the lead
        .annotate(approved_at=Coalesce(approved, "updated_at"))
        .order_by("approved_at", "id")
    )
    shown = list(articles[: AWAITING_SHOWN + 1])
    for article in shown:
        article.checks = checks.prepublish_checks(article)
    return Awaiting(
        shown[:AWAITING_SHOWN],
        len(shown) > AWAITING_SHOWN,
        changelist("article", status__exact=Status.APPROVED),
    )
