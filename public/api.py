"""Read-only JSON API for media partners: published articles, regions and agencies.

The article list takes the same filters and search as the public site (public.filters), so
both answer a question the same way. Answers are cached like the public pages
(public.cache): until anything they show changes. Mounted at /api/v1/ outside the language prefix:
every article carries its own language, and names come in all three.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError

from agencies.models import Agency, Region
from media_library import display
from media_library.models import lead_photo_of
from news.converters import parse_id
from news.models import Article

from .cache import cache_public_page
from .filters import PublicArticleFilter
from .pagination import PUBLIC_ORDER, filter_query, paginate
from .search import MAX_QUERY_LENGTH, RANKED_CANDIDATES
from .selectors import (
    RELEASE_MEDIA,
    canonical_path,
    language_versions,
    published_articles,
    tags_of,
)

MAX_PAGE_SIZE = 100
# Counting stops here: an exact count of a large list reads every public row (100,000 of
# them for the unfiltered list), and a partner paging through deciles learns nothing more.
MAX_COUNT = 1000

api = NinjaAPI(
    title="Pressroom API",
    version="1",
    description=(
        "Published press releases of Kazakhstan's government bodies in Kazakh, Russian and "
        "English. Read-only, no authentication."
    ),
    urls_namespace="api-v1",
)


class Names(Schema):
    kk: str
    ru: str
    en: str


def names_of(obj) -> dict[str, str]:
    return {"kk": obj.name_kk, "ru": obj.name_ru, "en": obj.name_en}


class AgencyRef(Schema):
    slug: str
    names: Names

    @staticmethod
    def resolve_names(obj):
        return names_of(obj)


class RegionRef(Schema):
    code: str | None = Field(description="ISO 3166-2 code; districts have none.")
    slug: str
    names: Names

    @staticmethod
    def resolve_code(obj):
        return obj.iso_code

    @staticmethod
    def resolve_names(obj):
        return names_of(obj)


class RegionOut(RegionRef):
    kind: Literal["country", "region", "city", "district"]
    parent: str | None = Field(description="The slug of the region a district belongs to.")

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.slug if obj.parent_id else None


class AgencyOut(AgencyRef):
    kind: str
    region: str | None = Field(description="Region slug; empty for national bodies.")
    website: str

    @staticmethod
    def resolve_region(obj):
        return obj.region.slug if obj.region_id else None


class TagOut(Schema):
    name: str
    slug: str


def absolute_url(article: Article, context) -> str:
    return context["request"].build_absolute_uri(canonical_path(article))


class Rendition(Schema):
    size: str = Field(description="thumbnail, list, w480…w1600 (widths) or social (1200×630).")
    format: Literal["jpeg", "webp"]
    width: int
    height: int
    url: str


class ImageOut(Schema):
    alt: str = Field(description="The description in the article's language, else another.")
    alt_text: Names = Field(description="The description in each language; empty if none.")
    caption: str
    credit: str
    licence: str
    width: int
    height: int
    original: str
    renditions: list[Rendition] = Field(
        description="Every size the original makes; until a worker has made one (shortly "
        "after an upload) its address serves the original."
    )


def image_out(image, language: str, context) -> dict:
    absolute = context["request"].build_absolute_uri
    return {
        "alt": image.alt_for(language),
        "alt_text": {code: image.alt_in(code) for code in ("kk", "ru", "en")},
        "caption": image.caption_for(language),
        "credit": image.credit,
        "licence": image.licence,
        "width": image.width,
        "height": image.height,
        "original": absolute(image.get_absolute_url()),
        "renditions": [
            {**vars(named), "url": absolute(named.url)} for named in display.renditions(image)
        ],
    }


class AttachmentOut(Schema):
    title: str
    type: Literal["pdf", "docx", "xlsx", "odt"]
    size: int = Field(description="In bytes.")
    pages: int | None = Field(description="PDFs only.")
    url: str


class ArticleSummary(Schema):
    id: int
    slug: str
    language: Literal["kk", "ru", "en"]
    title: str
    lead: str
    agency: AgencyRef | None
    region: RegionRef | None
    tags: list[TagOut]
    release_date: date
    published_at: datetime
    url: str = Field(description="The article's page on the public site.")

    @staticmethod
    def resolve_tags(obj):
        return tags_of(obj)

    @staticmethod
    def resolve_published_at(obj):
        # An article whose embargo lifted before the scheduler ran has no published_at yet.
        return obj.published_at or obj.publish_at

    @staticmethod
    def resolve_url(obj, context):
        return absolute_url(obj, context)


class SearchResult(ArticleSummary):
    rank: float | None = Field(None, description="Relevance, with a search only.")
    snippet: str | None = Field(
        None, description="With a search only: HTML, the matching words in <mark>."
    )


class Translation(Schema):
    language: Literal["kk", "ru", "en"]
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return absolute_url(obj, context)


class ArticleDetail(ArticleSummary):
    body: str = Field(description="Sanitized HTML.")
    source_url: str
    sources: list[str]
    translations: list[Translation] = Field(description="The same release in other languages.")
    image: ImageOut | None = Field(description="The lead photo.")
    gallery: list[ImageOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_image(obj, context):
        photo = lead_photo_of(obj)
        return image_out(photo, obj.language, context) if photo else None

    @staticmethod
    def resolve_gallery(obj, context):
        return [image_out(item.image, obj.language, context) for item in obj.gallery.all()]

    @staticmethod
    def resolve_attachments(obj, context):
        absolute = context["request"].build_absolute_uri
        return [
            {
                "title": item.attachment.title,
                "type": item.attachment.kind,
                "size": item.attachment.size,
                "pages": item.attachment.page_count,
                "url": absolute(item.attachment.get_absolute_url()),
            }
            for item in obj.attachments.all()
        ]

    @staticmethod
    def resolve_translations(obj):
        versions = language_versions(obj)
        return [versions[code] for code in sorted(versions) if code != obj.language]


class ArticlePage(Schema):
    count: int = Field(description=f"Articles found, counted up to {MAX_COUNT}.")
    count_capped: bool = Field(
        description=f"There are more than {MAX_COUNT} articles; follow `next` past `pages`."
    )
    page: int | None = Field(
        description="The page's number; null past the counted pages, where `next` and "
        "`previous` carry a cursor (`before`, `after`) instead."
    )
    pages: int = Field(description="Pages of the counted articles.")
    next: str | None
    previous: str | None
    results: list[SearchResult]


class ArticleFilters(Schema):
    region: str | None = Field(
        None,
        description="Region slug, its districts included; the country's (`kazakhstan`) "
        "for national releases.",
    )
    agency: str | None = Field(None, description="Agency slug.")
    tag: str | None = Field(None, description="Tag slug.")
    language: Literal["kk", "ru", "en"] | None = None
    date_from: date | None = Field(None, description="Released on or after.")
    date_to: date | None = Field(None, description="Released on or before.")
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_LENGTH,
        description='Search words: "a phrase", -excluded, or; best matches first among '
        f"the newest {RANKED_CANDIDATES} matches.",
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    before: str | None = Field(
        None, description="Cursor from `next` past the counted pages: the articles after it."
    )
    after: str | None = Field(
        None, description="Cursor from `previous` past the counted pages: the articles before it."
    )


def page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def query_url(request: HttpRequest, query: str | None) -> str | None:
    return None if query is None else request.build_absolute_uri(f"{request.path}?{query}")


@api.get("/articles", response=ArticlePage, summary="Published articles, newest first")
@decorate_view(cache_public_page)
def article_list(request: HttpRequest, filters: Query[ArticleFilters]):
    """Without `q`, newest first; with `q`, best match first. Pages are stable: ties are
    broken by id."""
    data = filters.dict(exclude={"page", "page_size"}, exclude_none=True)
    filterset = PublicArticleFilter(data, queryset=published_articles())
    if not filterset.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", field], "msg": error["message"], "type": error["code"]}
                for field, errors in filterset.errors.get_json_data().items()
                for error in errors
            ]
        )
    articles = filterset.qs
    searched = bool(filterset.form.cleaned_data.get("q"))
    # Neither order nor the search's rank and snippet change how many there are.
    counted = articles.order_by().values("pk")[: MAX_COUNT + 1].count()
    count = min(counted, MAX_COUNT)
    size = filters.page_size
    pages = max(1, -(-count // size))
    summary = {"count": count, "count_capped": counted > MAX_COUNT, "pages": pages}
    if filters.before or filters.after:
        # Past the counted pages a page starts where the last one ended, whatever its depth:
        # numbered pages that far would make the database skip every article before them.
        if searched:
            raise HttpError(400, str(_("Search results have numbered pages only.")))
        page = paginate(articles, request.GET, page_size=size)
        if not page.articles:
            raise HttpError(404, str(_("There are no articles past this cursor.")))
        return {
            **summary,
            "page": None,
            "next": query_url(request, page.next_query),
            "previous": query_url(request, page.previous_query),
            "results": page.articles,
        }
    number = filters.page
    if number > pages:
        raise HttpError(404, _("There is no page %(page)s.") % {"page": number})
    start = (number - 1) * size
    # One article more than the page shows tells whether another page follows, counted or not.
    found = list(articles[start : start + size + 1])
    following = None
    if len(found) > size:
        following = page_url(request, number + 1)
        if number == pages and not searched:  # past the counted ones: carry on by cursor
            cursor = PUBLIC_ORDER.encode(found[size - 1])
            following = query_url(request, filter_query(request.GET, before=cursor))
    return {
        **summary,
        "page": number,
        "next": following,
        "previous": page_url(request, number - 1) if number > 1 else None,
        "results": found[:size],
    }


@api.get("/articles/{id_or_slug}", response=ArticleDetail, summary="One published article")
@decorate_view(cache_public_page)
def article_detail(request: HttpRequest, id_or_slug: str):
    """ASCII digits are an id, anything else a slug: a slug is never a number
    (news.validators.validate_slug_is_not_a_number)."""
    pk = parse_id(id_or_slug)
    match = Q(slug=id_or_slug) if pk is None else Q(pk=pk)
    article = published_articles().prefetch_related(*RELEASE_MEDIA).filter(match).first()
    if article is None:
        raise HttpError(404, _("No published article %(key)s.") % {"key": id_or_slug})
    return article


@api.get("/regions", response=list[RegionOut], summary="Regions, cities and districts")
@decorate_view(cache_public_page)
def region_list(request: HttpRequest):
    return Region.objects.select_related("parent").order_by("kind", "name_en")


@api.get("/agencies", response=list[AgencyOut], summary="Active agencies")
@decorate_view(cache_public_page)
def agency_list(request: HttpRequest):
    return Agency.objects.filter(is_active=True).select_related("region").order_by("name_en")
