"""What the public site shows: published articles chosen for a reader's language, the
sections they belong to (regions, agencies, tags, dates) and related releases.

Views, feeds and sitemaps build their querysets here, so a release appears the same way
in each of them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from agencies.models import Agency, Region
from media_library.models import ArticleAttachment, GalleryImage
from news.models import Article

from .filters import PublicArticleFilter

# When a story has no version in the reader's language, the version shown instead. Kazakh
# and Russian readers fall back to the other state language first; English readers to
# Russian, the language most releases are written in besides Kazakh.
LANGUAGE_FALLBACKS = {
    "kk": ["ru", "en"],
    "ru": ["kk", "en"],
    "en": ["ru", "kk"],
}

RELATED_PER_MATCH = 50

# Newest first. A scheduled article is public from its publish_at even before the beat
# task has flipped it to published and set published_at, so it sorts by that time.
PUBLIC_AT = Coalesce("published_at", "publish_at")


# An article's tags for feeds and the API, read for a whole list at once; `tags_of` gives them.
TAGS = Prefetch(
    "tagged_items",
    queryset=TaggedItem.objects.select_related("tag").order_by("pk"),
    to_attr="tag_items",
)


def tags_of(article: Article) -> list[Tag]:
    """The tags of an article of `published_articles()`, in the order they were added."""
    return [item.tag for item in article.tag_items]


def published_articles():
    """Every public article, with what a list shows, in the public order."""
    return (
        Article.objects.published()
        .select_related("agency", "region", "lead_image__image")
        .prefetch_related(TAGS)
        .annotate(public_at=PUBLIC_AT)
        .order_by("-public_at", "-id")
    )


def for_reader(queryset, language: str):
    """One version of each story: the reader's language, else the best fallback.

    An article is kept when it is in `language`, or when its translation group has no
    public version in `language` nor in any fallback ranked above the article's own
    language. One query: each condition is an EXISTS subquery on the same group.
    """
    order = [language, *LANGUAGE_FALLBACKS.get(language, [])]
    # Excluding the row itself changes no answer (a sibling in another language is never
    # the row) but keeps PostgreSQL from hashing every public article's group up front: it
    # looks up the few rows a page needs in the translation_group index instead.
    siblings = (
        Article.objects.published()
        .filter(translation_group=OuterRef("translation_group"))
        .exclude(pk=OuterRef("pk"))
    )
    keep = Q(language=language)
    for rank, fallback in enumerate(order[1:], start=1):
        keep |= Q(language=fallback) & ~Exists(siblings.filter(language__in=order[:rank]))
    others = [code for code, _name in settings.LANGUAGES if code not in order]
    if others:
        keep |= Q(language__in=others) & ~Exists(siblings.filter(language__in=order))
    return queryset.filter(keep)


@dataclass
class Listing:
    filterset: PublicArticleFilter
    articles: QuerySet
    ranked: bool  # ordered by search relevance instead of newest first
    dated: bool  # narrowed by release date


def listing(section_articles, params, *, request=None, section_filter: str = "") -> Listing:
    """A section's articles narrowed by the reader's filters (GET `params`).

    Without a chosen language a story appears once, in the reader's language or its best
    fallback. A chosen language shows exactly that language. A search shows every version
    that matches: the reader's version of a story may not contain the words searched for.
    `section_filter` names the filter the section already applies (a region page has no
    region choice).
    """
    filterset = PublicArticleFilter(params, queryset=section_articles, request=request)
    if section_filter:
        del filterset.filters[section_filter]
    articles = filterset.qs  # validates; invalid values are left out of cleaned_data
    chosen = filterset.form.cleaned_data
    searched = bool(chosen.get("q"))
    if not (searched or chosen.get("language")):
        articles = for_reader(articles, reader_language())
    dated = bool(chosen.get("date_from") or chosen.get("date_to"))
    return Listing(filterset, articles, ranked=searched, dated=dated)


def reader_language() -> str:
    """The language of the URL (i18n_patterns make LocaleMiddleware activate it)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def region_title(region: Region) -> str:
    return _("National government") if region.kind == Region.Kind.COUNTRY else region.name


SECTION_QUERYSETS = {
    "region": Region.objects.select_related("parent").prefetch_related("children"),
    "agency": Agency.objects.select_related("region"),
    "tag": Tag.objects.all(),
}


@dataclass(frozen=True)
class Section:
    """A part of the site with its own page and feeds: a region, an agency, a tag, or
    (kind "") all releases."""

    kind: str = ""
    obj: Region | Agency | Tag | None = None

    @classmethod
    def find(cls, kind: str, slug: str | None = None) -> "Section":
        if not kind:
            return cls()
        return cls(kind, get_object_or_404(SECTION_QUERYSETS[kind], slug=slug))

    def articles(self):
        articles = published_articles()
        if self.kind == "region":
            return articles.in_region(self.obj)
        if self.kind == "agency":
            return articles.filter(agency=self.obj)
        if self.kind == "tag":
            return articles.tagged(self.obj.slug)
        return articles

    @property
    def title(self) -> str:
        if self.kind == "region":
            return region_title(self.obj)
        if self.kind == "agency":
            return self.obj.name
        if self.kind == "tag":
            return _("Tagged “%(tag)s”") % {"tag": self.obj.name}
        return _("All releases")

    def url(self, name: str = "") -> str:
        """The section's page, or with `name` ("feed_atom", "feed_rss") one of its feeds."""
        if not self.kind:
            return reverse(f"public:{name or 'article_list'}")
        url_name = f"{self.kind}_{name}" if name else self.kind
        return reverse(f"public:{url_name}", kwargs={"slug": self.obj.slug})


def section_key():
    """The top-level region an article belongs to; NULL for the national level."""
    return Case(
        When(region__kind=Region.Kind.DISTRICT, then=F("region__parent_id")),
        When(region__kind=Region.Kind.COUNTRY, then=Value(None)),
        default=F("region_id"),
        output_field=IntegerField(),
    )


def related_articles(article: Article, language: str, limit: int = 5):
    """Other public stories sharing tags, the agency or the region, most shared tags first.

    The candidates are the newest RELATED_PER_MATCH of each kind of match, each read from an
    index of its own (the agency's and the region's public order, the tag assignments by
    article), so a release page costs the same however many releases an agency, a region
    or a tag has. Matching all three in one query had PostgreSQL read every assignment of
    the tags and walk the public order until enough rows matched, which for a quiet agency
    and region is the whole archive.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    others = (
        Article.objects.published()
        .exclude(translation_group=article.translation_group)
        .order_by(PUBLIC_AT.desc(), "-id")
    )
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), tag_id__in=tag_ids
    )
    matches = []
    if article.agency_id:
        matches.append(others.filter(agency_id=article.agency_id))
    if article.region_id:
        matches.append(others.filter(region_id=article.region_id))
    if tag_ids:
        newest_tagged = tagged.order_by("-object_id").values("object_id")[:RELATED_PER_MATCH]
        matches.append(others.order_by().filter(pk__in=newest_tagged))
    candidates = {
        pk for match in matches for pk in match.values_list("pk", flat=True)[:RELATED_PER_MATCH]
    }
    shared_tags = (
        tagged.filter(object_id=OuterRef("pk"))
        .values("object_id")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        for_reader(published_articles(), language)
        .prefetch_related(None)  # shown as summaries, without tags
        .filter(pk__in=candidates)
        .annotate(shared_tags=Coalesce(Subquery(shared_tags), 0))
        .order_by("-shared_tags", "-public_at", "-id")[:limit]
    )


# What a release page shows besides the text: its photos and files, in their order.
RELEASE_MEDIA = (
    Prefetch("gallery", queryset=GalleryImage.objects.select_related("image")),
    Prefetch("attachments", queryset=ArticleAttachment.objects.select_related("attachment")),
)


def language_versions(article: Article) -> dict[str, Article]:
    """The public versions of the article's story by language, the article's own included."""
    versions = Article.objects.published().filter(translation_group=article.translation_group)
    found = {version.language: version for version in versions.order_by("id")}
    if article.language not in found:
        found[article.language] = article  # a preview of an unpublished version
    return found


def canonical_path(article: Article) -> str:
    """The article's URL under its own language, the one search engines should index."""
    with translation.override(article.language):
        return reverse("public:article_detail", kwargs={"slug": article.slug})
