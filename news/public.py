"""What the public site shows: published articles chosen for a reader's language, the
sections they belong to (regions, agencies, tags, dates) and related releases.

Views, feeds and sitemaps build their querysets here, so a release appears the same way
in each of them.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from taggit.models import TaggedItem

from agencies.models import Region

from .models import Article

# When a story has no version in the reader's language, the version shown instead. Kazakh
# and Russian readers fall back to the other state language first; English readers to
# Russian, the language most releases are written in besides Kazakh.
LANGUAGE_FALLBACKS = {
    "kk": ["ru", "en"],
    "ru": ["kk", "en"],
    "en": ["ru", "kk"],
}

# Newest first. A scheduled article is public from its publish_at even before the beat
# task has flipped it to published and set published_at, so it sorts by that time.
PUBLIC_AT = Coalesce("published_at", "publish_at")


def published_articles():
    """Every public article, with what a list shows, in the public order."""
    return (
        Article.objects.published()
        .select_related("agency", "region")
        .prefetch_related("tags")
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
    siblings = Article.objects.published().filter(translation_group=OuterRef("translation_group"))
    keep = Q(language=language)
    for rank, fallback in enumerate(order[1:], start=1):
        keep |= Q(language=fallback) & ~Exists(siblings.filter(language__in=order[:rank]))
    others = [code for code, _name in settings.LANGUAGES if code not in order]
    if others:
        keep |= Q(language__in=others) & ~Exists(siblings.filter(language__in=order))
    return queryset.filter(keep)


def reader_language() -> str:
    """The language of the URL (i18n_patterns make LocaleMiddleware activate it)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def region_title(region: Region) -> str:
    return _("National government") if region.kind == Region.Kind.COUNTRY else region.name


def tag_title(tag) -> str:
    return _("Tagged “%(tag)s”") % {"tag": tag.name}


def in_region(queryset, region: Region):
    """A region's articles, its districts' included; the country means national bodies."""
    if region.kind == Region.Kind.COUNTRY:
        return queryset.filter(Q(region__isnull=True) | Q(region=region))
    return queryset.filter(Q(region=region) | Q(region__parent=region))


def section_key():
    """The top-level region an article belongs to; NULL for the national level."""
    return Case(
        When(region__kind=Region.Kind.DISTRICT, then=F("region__parent_id")),
        When(region__kind=Region.Kind.COUNTRY, then=Value(None)),
        default=F("region_id"),
        output_field=IntegerField(),
    )


def related_articles(article: Article, language: str, limit: int = 5):
    """Other public stories sharing tags, agency or region, most shared tags first."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=OuterRef("pk"),
        tag_id__in=tag_ids,
    )
    shared_tags = tagged.values("object_id").annotate(count=Count("*")).values("count")
    match = Exists(tagged)
    if article.agency_id:
        match |= Q(agency_id=article.agency_id)
    if article.region_id:
        match |= Q(region_id=article.region_id)
    queryset = (
        published_articles()
        .exclude(translation_group=article.translation_group)
        .filter(match)
        .annotate(shared_tags=Coalesce(Subquery(shared_tags), 0))
        .order_by("-shared_tags", "-public_at", "-id")
    )
    return for_reader(queryset, language)[:limit]


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
        return reverse("news:article_detail", kwargs={"slug": article.slug})
