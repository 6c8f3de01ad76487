"""RSS 2.0 and Atom feeds of published releases: everything, a region, an agency, a tag.

Each feed lists the same articles as its page's first page, in the URL's language.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from agencies.models import Agency, Region

from . import public
from .pagination import PAGE_SIZE


class ArticleFeed(Feed):
    """All published releases; subclasses narrow them to a section."""

    page_name = "news:article_list"

    def section_articles(self, obj):
        return public.published_articles()

    def section_title(self, obj) -> str:
        return _("All releases")

    def title(self, obj):
        return _("%(section)s — Pressroom") % {"section": self.section_title(obj)}

    def description(self, obj):
        return _("Government press releases of Kazakhstan: %(section)s") % {
            "section": self.section_title(obj)
        }

    def subtitle(self, obj):  # Atom's name for the description
        return self.description(obj)

    def link(self, obj):
        return reverse(self.page_name, kwargs={"slug": obj.slug} if obj else None)

    def items(self, obj):
        articles = public.for_reader(self.section_articles(obj), public.reader_language())
        return articles[:PAGE_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.public_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.agency.name if item.agency else None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class RegionFeed(ArticleFeed):
    page_name = "news:region"

    def get_object(self, request, slug):
        return get_object_or_404(Region, slug=slug)

    def section_articles(self, obj):
        return public.in_region(public.published_articles(), obj)

    def section_title(self, obj):
        return public.region_title(obj)


class AgencyFeed(ArticleFeed):
    page_name = "news:agency"

    def get_object(self, request, slug):
        return get_object_or_404(Agency, slug=slug)

    def section_articles(self, obj):
        return public.published_articles().filter(agency=obj)

    def section_title(self, obj):
        return obj.name


class TagFeed(ArticleFeed):
    page_name = "news:tag"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def section_articles(self, obj):
        return public.published_articles().filter(tags=obj)

    def section_title(self, obj):
        return public.tag_title(obj)


def atom(feed_class: type[ArticleFeed]) -> type[ArticleFeed]:
    """The Atom 1.0 version of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})
