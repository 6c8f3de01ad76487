"""Template tags of the public site: language switcher and alternates, absolute URLs."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from public import selectors
from public.pagination import filter_query

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


@register.simple_tag(takes_context=True)
def search_instead(context, query: str) -> str:
    """The page's filters with `query` searched instead of the reader's, from page one."""
    params = context["request"].GET.copy()
    params["q"] = query
    return filter_query(params)
