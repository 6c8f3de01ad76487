"""The public site: home, sections (regions, agencies, tags, dates), releases, search.

Only published articles are shown (public.selectors decides what that means for a reader's
language); drafts and embargoed releases are 404 except on the editors' preview page.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe

from agencies.models import Agency, Region
from media_library.models import lead_photo_of
from news import workflow
from news.models import Article

from . import selectors
from .pagination import (
    PUBLIC_ORDER,
    RELEASE_DATE_ORDER,
    Page,
    filter_query,
    paginate,
    paginate_ranked,
)

HOME_LATEST = 10
HOME_PER_REGION = 3
HOME_REGION_PERIOD = timedelta(days=30)
HOME_REGION_FIELDS = ("title", "slug", "language", "release_date")


@require_safe
def home(request):
    """The latest releases, and the latest few of each region, in two queries (+ tags)."""
    language = selectors.reader_language()
    # Lists on the site show no tags (feeds and the API do): skip fetching them.
    articles = selectors.for_reader(selectors.published_articles().prefetch_related(None), language)
    latest = list(articles[:HOME_LATEST])
    # One query for every region: rank each region's articles and keep the first few.
    # Ranking covers the last HOME_REGION_PERIOD only, so the query reads a bounded slice of
    # the public-order index instead of the whole archive; quieter regions are a click
    # away on the regions page.
    recent = articles.filter(public_at__gte=timezone.now() - HOME_REGION_PERIOD)
    # Only what the block shows: the window sorts every recent row, and with whole rows
    # (bodies, agencies, regions) that sort was a quarter of the query.
    ranked = (
        recent.select_related(None)
        .only(*HOME_REGION_FIELDS)
        .annotate(
            section=selectors.section_key(),
            rank=Window(
                RowNumber(),
                partition_by=[selectors.section_key()],
                order_by=[selectors.PUBLIC_AT.desc(), F("id").desc()],
            ),
        )
        .filter(rank__lte=HOME_PER_REGION)
    )
    by_section: dict[int | None, list[Article]] = {}
    for article in ranked:
        by_section.setdefault(article.section, []).append(article)
    regions = {
        None if region.kind == Region.Kind.COUNTRY else region.pk: region
        for region in Region.objects.filter(
            Q(pk__in=[pk for pk in by_section if pk is not None]) | Q(kind=Region.Kind.COUNTRY)
        )
    }
    national = [(regions[None], by_section.pop(None))] if None in by_section else []
    sections = national + sorted(
        ((regions[pk], items) for pk, items in by_section.items()),
        key=lambda section: section[0].name,
    )
    return render(
        request,
        "public/home.html",
        {"latest": latest, "sections": sections, "feeds": feed_urls(selectors.Section())},
    )


def feed_urls(section: selectors.Section, query: str = "") -> dict[str, str]:
    """The Atom and RSS feeds of a section, narrowed by the same filters as the page."""
    suffix = f"?{query}" if query else ""
    return {kind: section.url(f"feed_{kind}") + suffix for kind in ("atom", "rss")}


class ArticleListView(View):
    """A section's published articles, filtered by the reader (GET) and paginated."""

    template_name = "public/article_list.html"
    section_kind = ""  # "region", "agency" or "tag"; empty for all releases
    always_open_filters = False
    dated = False  # the list is narrowed by release date whatever the filters say

    def get(self, request, *args, **kwargs):
        self.section = selectors.Section.find(self.section_kind, kwargs.get("slug"))
        found = selectors.listing(
            self.articles(), request.GET, request=request, section_filter=self.section.kind
        )
        query = filter_query(request.GET)
        context = {
            "title": self.title(),
            "section": self.section,
            "filter": found.filterset,
            "filtered": bool(query),
            "open_filters": self.always_open_filters or bool(query),
            "feeds": self.feeds(query),
        }
        if self.section.kind:  # the template shows the section's details
            context[self.section.kind] = self.section.obj
        if self.shows_results(query):
            context["page"] = self.paginate(found, request.GET)
        response = render(request, self.template_name, context)
        if found.filterset.errors:  # each invalid value would be a page of its own
            patch_cache_control(response, private=True)  # not stored (public.cache)
        return response

    def shows_results(self, query: str) -> bool:
        return True

    def articles(self):
        # The list shows no tags (the section's feeds do): skip fetching them.
        return self.section.articles().prefetch_related(None)

    def title(self) -> str:
        return self.section.title

    def paginate(self, found: selectors.Listing, params) -> Page:
        if found.ranked:
            return paginate_ranked(found.articles, params)
        # Narrowed by release date, the list is in release-date order, which an index
        # serves however far back the dates are; the public order would be read from the
        # newest article down to them.
        order = RELEASE_DATE_ORDER if self.dated or found.dated else PUBLIC_ORDER
        return paginate(found.articles, params, order=order)

    def feeds(self, query: str) -> dict[str, str]:
        return feed_urls(self.section, query)


class SearchView(ArticleListView):
    """The search form; results once the reader has asked for something."""

    template_name = "public/search.html"
    always_open_filters = True

    def title(self):
        return _("Search releases")

    def shows_results(self, query):
        return bool(query)


class ArchiveView(ArticleListView):
    """Releases by release date: a year, a month or a day."""

    dated = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        year, month, day = (self.kwargs.get(part) for part in ("year", "month", "day"))
        try:
            self.start = date(year, month or 1, day or 1)
            if day:
                self.end = self.start + timedelta(days=1)
            elif month:
                self.end = date(year + month // 12, month % 12 + 1, 1)
            else:
                self.end = date(year + 1, 1, 1)
        except ValueError:
            raise Http404(_("There is no such date.")) from None
        self.precision = "day" if day else ("month" if month else "year")

    def articles(self):
        return super().articles().filter(release_date__gte=self.start, release_date__lt=self.end)

    def title(self):
        formats = {"day": "DATE_FORMAT", "month": "YEAR_MONTH_FORMAT", "year": "Y"}
        return _("Releases of %(period)s") % {
            "period": date_format(self.start, formats[self.precision])
        }

    def feeds(self, query):
        # The general feed narrowed to the period; a period's feed changes only while it lasts.
        last_day = self.end - timedelta(days=1)
        period = f"date_from={self.start.isoformat()}&date_to={last_day.isoformat()}"
        return feed_urls(self.section, "&".join(filter(None, [period, query])))


@require_safe
def region_index(request):
    regions = Region.objects.exclude(kind=Region.Kind.DISTRICT).prefetch_related("children")
    national = [region for region in regions if region.kind == Region.Kind.COUNTRY]
    others = sorted(
        (region for region in regions if region.kind != Region.Kind.COUNTRY),
        key=lambda region: region.name,
    )
    return render(request, "public/region_list.html", {"national": national, "regions": others})


@require_safe
def agency_index(request):
    agencies = Agency.objects.filter(is_active=True).select_related("region")
    return render(
        request,
        "public/agency_list.html",
        {"agencies": sorted(agencies, key=lambda agency: agency.name)},
    )


@require_safe
def archive_index(request):
    months = Article.objects.published().dates("release_date", "month", order="DESC").distinct()
    return render(request, "public/archive_index.html", {"months": months})


def _article_page(request, article: Article, *, preview: bool):
    language = selectors.reader_language()
    return render(
        request,
        "public/article_detail.html",
        {
            "article": article,
            "lead_photo": lead_photo_of(article),
            "gallery": [item.image for item in article.gallery.all()],
            "attachments": [item.attachment for item in article.attachments.all()],
            "preview": preview,
            "language_versions": selectors.language_versions(article),
            "related": [] if preview else selectors.related_articles(article, language),
            "canonical_path": selectors.canonical_path(article),
        },
    )


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.published()
        .select_related("agency", "region__parent", "translation_record", "lead_image__image")
        .prefetch_related("tags", *selectors.RELEASE_MEDIA),
        slug=slug,
    )
    return _article_page(request, article, preview=False)


@login_required
@require_safe
def article_preview(request, pk):
    """Any state of an article, for staff who may see it in the admin; 404 for others."""
    article = get_object_or_404(
        Article.objects.select_related(
            "agency", "region__parent", "translation_record", "lead_image__image"
        ).prefetch_related("tags", *selectors.RELEASE_MEDIA),
        pk=pk,
    )
    if not (request.user.is_staff and workflow.can_view(request.user, article)):
        raise Http404(_("No article found."))
    response = _article_page(request, article, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's among them)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: /{code}/preview/" for code, _name in settings.LANGUAGES),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
