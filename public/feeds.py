"""RSS 2.0 and Atom feeds of published releases: everything, a region, an agency, a tag,
each narrowed by the same GET filters as its page, so any search or filtered list has one
(e.g. /en/feeds/atom/?q=water&region=shymkent).

A feed lists the newest releases first even for a search: a subscriber wants what is new.

An unfiltered feed reads its releases with the compiled query of lists (news.compiled) and
writes each entry from a fragment (public.cache) rendered once per format, language, address
and version of the release, so a publication costs one query and one cache round trip.
"""

import copy
import functools
import io
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from . import selectors
from .cache import collection_name, fragments, fragments_and_generation
from .pagination import FIRST, PAGE_SIZE, PUBLIC_ORDER, filter_query


@dataclass
class FeedSource:
    section: selectors.Section
    request: HttpRequest
    articles: list | None = None  # the feed's articles when already chosen


class PrerenderedEntries:
    """A feed generator that writes, after its own items, entries rendered earlier."""

    prerendered = ""
    latest = None  # the newest change of those entries

    def write_items(self, handler):
        super().write_items(handler)
        handler.ignorableWhitespace(self.prerendered)  # as is: XML written by write_items

    def latest_post_date(self):
        return self.latest or super().latest_post_date()

    def write(self, outfile, encoding):
        # One write: the generator writes every tag and text on its own, and a response
        # sends each write to the client as a chunk of its own (2 ms more per feed).
        written = io.StringIO()
        super().write(written, encoding)
        outfile.write(written.getvalue())


def entry_xml(feed: SyndicationFeed, item: dict) -> str:
    """One item of `feed` as its write_items writes it."""
    out = io.StringIO()
    single = copy.copy(feed)
    single.items, single.prerendered = [item], ""
    single.write_items(SimplerXMLGenerator(out, "utf-8", short_empty_elements=True))
    return out.getvalue()


class ArticleFeed(Feed):
    """A section's newest releases; `section_kind` as in public.selectors.Section."""

    section_kind = ""

    def __call__(self, request, *args, **kwargs):
        # As a list page: the remembered section, checked against the generation of the
        # entries, and once more with the section read again when sections changed since.
        for _attempt in range(2):
            request.section_generation = request.fragments_generation = None
            request.invalid_filters = False
            response = super().__call__(request, *args, **kwargs)
            if request.section_generation == request.fragments_generation:
                break
            selectors.Section.forget(self.section_kind, kwargs.get("slug"))
        if request.invalid_filters:  # not cached (public.cache): each value would be an entry
            patch_cache_control(response, private=True)
        return response

    def get_object(self, request, slug=None):
        if filter_query(request.GET):  # Django's own feed: no fragments to check against
            return FeedSource(selectors.Section.find(self.section_kind, slug), request)
        section, request.section_generation = selectors.Section.remembered(self.section_kind, slug)
        return FeedSource(section, request)

    def get_feed(self, obj, request):
        if filter_query(request.GET):
            return super().get_feed(obj, request)
        read = selectors.reader_rows(
            ("feed", obj.section.kind, obj.section.query_key),
            obj.section.articles,
            selectors.reader_language(),
            PUBLIC_ORDER,
        )
        rows = read(FIRST, None, PAGE_SIZE)
        feed = super().get_feed(FeedSource(obj.section, request, articles=[]), request)
        address = request.build_absolute_uri("/")
        language = selectors.reader_language()

        @functools.cache
        def rendered() -> dict[int, tuple[str, object]]:
            articles = selectors.published_articles().in_bulk([row.pk for row in rows])
            found = [articles[row.pk] for row in rows if row.pk in articles]
            full = super(ArticleFeed, self).get_feed(
                FeedSource(obj.section, request, articles=found), request
            )
            return {
                # As latest_post_date counts an item: its newer of both dates.
                article.pk: (entry_xml(full, item), max(article.updated_at, article.public_at))
                for article, item in zip(found, full.items, strict=True)
            }

        def key(row) -> str:
            return f"feed-entry:{kind}:{language}:{address}:{row.pk}:{row.version}"

        def build(row):
            return rendered().get(row.pk)  # None when unpublished since the query

        def entries():
            found = fragments({key(row): functools.partial(build, row) for row in rows})
            written = [found[key(row)] for row in rows if found[key(row)]]
            latest = max((changed for _xml, changed in written), default=None)
            return "".join(xml for xml, _changed in written), latest

        kind = "atom" if issubclass(self.feed_type, Atom1Feed) else "rss"
        name = collection_name("feed-entries", kind, language, address, items=rows)
        found, generation = fragments_and_generation({name: entries})
        feed.prerendered, feed.latest = found[name]
        if self.section_kind:
            request.fragments_generation = generation
        return feed

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
        if obj.articles is not None:
            return obj.articles
        found = selectors.listing(
            obj.section.articles(),
            obj.request.GET,
            request=obj.request,
            section_filter=obj.section.kind,
        )
        obj.request.invalid_filters = bool(found.filterset.errors)
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
        return [tag.name for tag in selectors.tags_of(item)]


FEED_TYPES = {
    "atom": type("Atom", (PrerenderedEntries, Atom1Feed), {}),
    "rss": type("Rss", (PrerenderedEntries, Rss201rev2Feed), {}),
}


def feed(section_kind: str, feed_format: str) -> ArticleFeed:
    """The feed view of a kind of section in "atom" or "rss"."""
    feed_class = type(
        f"{section_kind.title()}{feed_format.title()}Feed",
        (ArticleFeed,),
        {"section_kind": section_kind, "feed_type": FEED_TYPES[feed_format]},
    )
    return feed_class()
