"""RSS 2.0 and Atom feeds of published releases: everything, a region, an agency, a tag,
each narrowed by the same GET filters as its page, so any search or filtered list has one
(e.g. /en/feeds/atom/?q=water&region=shymkent).

A feed lists the newest releases first even for a search: a subscriber wants what is new.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from . import public
from .pagination import PAGE_SIZE, filter_query


@dataclass
class FeedSource:
    section: public.Section
    request: HttpRequest


class ArticleFeed(Feed):
    """A section's newest releases; `section_kind` as in news.public.Section."""

    section_kind = ""

    def get_object(self, request, slug=None):
        return FeedSource(public.Section.find(self.section_kind, slug), request)

    def title(self, obj):
        return _("%(section)s — Pressroom") % {"section": obj.section.title}

    def description(self, obj):
        return _("Government press releases of Kazakhstan: %(section)s") % {
            "section": obj.section.title
        }

    def subtitle(self, obj):  # Atom's name for the description
        return self.description(obj)

    def link(self, obj):
        query = filter_query(obj.request.GET)
        return obj.section.url() + (f"?{query}" if query else "")

    def items(self, obj):
        found = public.listing(
            obj.section.articles(),
            obj.request.GET,
            request=obj.request,
            section_filter=obj.section.kind,
        )
        return found.articles.order_by("-public_at", "-id")[:PAGE_SIZE]

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
        return [tag.name for tag in public.tags_of(item)]


FEED_TYPES = {"atom": Atom1Feed, "rss": Rss201rev2Feed}


def feed(section_kind: str, feed_format: str) -> ArticleFeed:
    """The feed view of a kind of section in "atom" or "rss"."""
    feed_class = type(
        f"{section_kind.title()}{feed_format.title()}Feed",
        (ArticleFeed,),
        {"section_kind": section_kind, "feed_type": FEED_TYPES[feed_format]},
    )
    return feed_class()
