"""RSS 2.0 and Atom feeds of published releases: everything, a region, an agency, a tag,
each narrowed by the same GET filters as its page, so any search or filtered list has one
(e.g. /en/feeds/atom/?q=water&region=shymkent).

A feed lists the newest releases first even for a search: a subscriber wants what is new.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from media_library import display
from media_library.models import lead_photo_of

from . import selectors
from .pagination import PAGE_SIZE, filter_query


@dataclass
class FeedSource:
    section: selectors.Section
    listing: selectors.Listing
    query: str  # the filters of the feed, for the link to its page
    absolute_uri: Callable[[str], str]  # the request's, for addresses outside the feed's links


MEDIA_RSS = "http://search.yahoo.com/mrss/"


class MediaRSSMixin:
    """The lead photo of an item as Media RSS `media:content` (the social card, with its
    size and description), which feed readers and aggregators show beside the entry."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        photo = item.get("photo")
        if photo:
            handler.startElement(
                "media:content",
                {
                    "url": photo["url"],
                    "type": "image/jpeg",
                    "medium": "image",
                    "width": photo["width"],
                    "height": photo["height"],
                },
            )
            handler.addQuickElement("media:description", photo["alt"], {"type": "plain"})
            handler.endElement("media:content")


class AtomFeed(MediaRSSMixin, Atom1Feed):
    pass


class RssFeed(MediaRSSMixin, Rss201rev2Feed):
    pass


FEED_TYPES = {"atom": AtomFeed, "rss": RssFeed}


class ArticleFeed(Feed):
    """The newest releases of a kind of section (`section_kind` as in
    public.selectors.Section) in "atom" or "rss"."""

    def __init__(self, section_kind: str = "", feed_format: str = "atom"):
        self.section_kind = section_kind
        self.feed_type = FEED_TYPES[feed_format]

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if request.feed_filters_invalid:  # not stored (public.cache): each value a feed
            patch_cache_control(response, private=True)
        # The feed generator writes every tag and text on its own, and a response would
        # send each write to the client as a chunk of its own.
        response.content = response.content
        return response

    def get_object(self, request, slug=None):
        section = selectors.Section.find(self.section_kind, slug)
        found = selectors.listing(
            section.articles(), request.GET, request=request, section_filter=section.kind
        )
        request.feed_filters_invalid = bool(found.filterset.errors)
        return FeedSource(section, found, filter_query(request.GET), request.build_absolute_uri)

    def title(self, obj):
        return _("%(section)s — Pressroom") % {"section": obj.section.title}

    def description(self, obj):
        return _("Government press releases of Kazakhstan: %(section)s") % {
            "section": obj.section.title
        }

    def subtitle(self, obj):  # Atom's name for the description
        return self.description(obj)

    def link(self, obj):
        return obj.section.url() + (f"?{obj.query}" if obj.query else "")

    def items(self, obj):
        articles = list(obj.listing.articles.order_by("-public_at", "-id")[:PAGE_SIZE])
        for article in articles:
            photo = lead_photo_of(article)
            card = photo and display.social_card(photo)
            article.feed_photo = photo and {
                "url": obj.absolute_uri(card.url),
                "width": str(card.width),
                "height": str(card.height),
                "alt": photo.alt_for(article.language),
            }
        return articles

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

    def item_extra_kwargs(self, item):
        return {"photo": item.feed_photo} if item.feed_photo else {}

    def item_categories(self, item):
        return [tag.name for tag in selectors.tags_of(item)]
