"""sitemap.xml: the site's sections in every language, and each published release once.

Section pages exist in kk, ru and en, so they are listed with hreflang alternates for all
three (and x-default, the unprefixed URL that redirects to the visitor's language). A
release exists only in its own language: it is listed under that language's URL, with
alternates for the other published versions of the same story.
"""

from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from taggit.models import Tag

from agencies.models import Agency, Region
from news.models import Article

from . import selectors


class SectionSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(SectionSitemap):
    changefreq = "hourly"

    def items(self):
        return [
            "public:home",
            "public:article_list",
            "public:region_index",
            "public:agency_index",
            "public:archive_index",
        ]

    def location(self, item):
        return reverse(item)


class RegionSitemap(SectionSitemap):
    changefreq = "daily"

    def items(self):
        return Region.objects.order_by("pk")

    def location(self, item):
        return reverse("public:region", kwargs={"slug": item.slug})


class AgencySitemap(SectionSitemap):
    changefreq = "daily"

    def items(self):
        return Agency.objects.filter(is_active=True).order_by("pk")

    def location(self, item):
        return reverse("public:agency", kwargs={"slug": item.slug})


class TagSitemap(SectionSitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published()
        return Tag.objects.filter(article__in=published).distinct().order_by("pk")

    def location(self, item):
        return reverse("public:tag", kwargs={"slug": item.slug})


class ArticleSitemap(Sitemap):
    limit = 5000  # per sitemap page; the index lists the pages

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "language", "translation_group", "updated_at")
            .order_by("-id")
        )

    def location(self, item):
        return selectors.canonical_path(item)

    def lastmod(self, item):
        return item.updated_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        groups = {url["item"].translation_group for url in urls}
        versions = defaultdict(list)
        siblings = (
            Article.objects.published()
            .filter(translation_group__in=groups)
            .only("slug", "language", "translation_group")
            .order_by("language")
        )
        for article in siblings:
            versions[article.translation_group].append(article)
        for url in urls:
            story = versions[url["item"].translation_group]
            if len(story) > 1:
                url["alternates"] = [
                    {
                        "lang_code": version.language,
                        "location": f"{protocol}://{domain}{selectors.canonical_path(version)}",
                    }
                    for version in story
                ]
        return urls


sitemaps = {
    "sections": StaticSitemap,
    "regions": RegionSitemap,
    "agencies": AgencySitemap,
    "tags": TagSitemap,
    "releases": ArticleSitemap,
}
