"""Template tags of the public site: release summaries, language switcher and alternates,
absolute URLs."""

import functools

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from public import selectors
from public.cache import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each language, for the switcher and hreflang alternates.

    On a release, a language links to that language's version of the story when one is
    published and to that language's home otherwise (`exists` is then False, and the page
    gets no hreflang alternate for it). Other pages exist in every language.
    """
    request = context["request"]
    current = translation.get_language()
    versions = context.get("language_versions")
    links = []
    for code, _name in settings.LANGUAGES:
        if versions is None:
            url, exists = translate_url(request.get_full_path(), code), True
        elif code in versions:
            url, exists = selectors.canonical_path(versions[code]), True
        else:
            with translation.override(code):
                url, exists = reverse("public:home"), False
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": url,
                "exists": exists,
                "current": code == current,
            }
        )
    return links


@register.simple_tag
def summaries(articles, heading: str = "h2") -> str:
    """The summaries of `articles` as lists show them (see `Summaries`)."""
    found = Summaries(articles, heading)
    return found.html(fragments(found.builders()))


class Summaries:
    """The summaries of `articles` as lists show them, each rendered once per reader's
    language and version of the release, and shared by every list it appears in
    (public.cache.fragments); a search result's summary shows its own snippet, so it is
    rendered each time.

    `articles` may instead be rows with a pk and version; `load(pks)` then gives the
    articles by pk, read once for all the summaries missing from the cache.
    """

    def __init__(self, articles, heading: str = "h2", load=None):
        self.articles, self.heading, self.load = articles, heading, load
        self.language = translation.get_language()

    def key(self, article) -> str:
        return f"summary:{self.language}:{self.heading}:{article.pk}:{article.version}"

    def builders(self) -> dict:
        """What to give public.cache.fragments, with the fragments of the caller's own."""
        loaded = functools.cache(lambda: self.load([row.pk for row in self.articles]))

        def build(article):
            return self.render(loaded()[article.pk] if self.load else article)

        return {
            self.key(article): functools.partial(build, article)
            for article in self.articles
            if not getattr(article, "snippet", None)
        }

    def render(self, article) -> str:
        return render_to_string(
            "public/includes/article_summary.html",
            {"article": article, "heading": self.heading, "LANGUAGE_CODE": self.language},
        )

    def html(self, rendered: dict) -> str:
        """The summaries, from what public.cache.fragments gave for `builders()`."""
        return mark_safe(  # noqa: S308 - each part is a rendered, autoescaped template
            "".join(
                rendered.get(self.key(article)) or self.render(article) for article in self.articles
            )
        )


@register.simple_tag(takes_context=True)
def filter_form(context) -> str:
    """A list's filter form. Unfiltered, it is the same on every list of a kind of section
    (all releases, a region, an agency, a tag; folded or open), so it is rendered once per
    language and shared; a filtered list shows the reader's values and errors."""

    def render():
        return render_to_string(
            "public/includes/filter_form.html",
            {"filter": context["filter"], "open_filters": context["open_filters"]},
        )

    if context["filtered"]:
        return render()
    open_filters = "open" if context["open_filters"] else "folded"
    key = f"filter-form:{translation.get_language()}:{context['section'].kind}:{open_filters}"
    return mark_safe(fragments({key: render})[key])  # noqa: S308 - a rendered template


@register.simple_tag(takes_context=True)
def x_default_url(context) -> str:
    """The page without its language prefix, which LocaleMiddleware redirects to each
    visitor's language: hreflang's x-default for pages that exist in every language."""
    request = context["request"]
    prefix = f"/{translation.get_language()}/"
    path = request.get_full_path()
    return request.build_absolute_uri("/" + path.removeprefix(prefix))


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


# OpenGraph wants a territory with the language.
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}


@register.filter
def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, language)
