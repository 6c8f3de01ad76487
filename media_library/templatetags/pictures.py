"""Photos in pages: {% article_picture %} at the text's width with `srcset`, and
{% list_picture %} for the crop lists show (media_library.display)."""

from django import template

from media_library import display

register = template.Library()

# The text column is 44rem (--measure) wide on wide screens, the whole width on phones.
TEXT_WIDTH = "(min-width: 46rem) 44rem, 100vw"


@register.inclusion_tag("media_library/picture.html")
def article_picture(image, language, sizes="", eager=False):
    """The photo at the text's width; `eager` for the one above the fold, which the
    browser should fetch first, the others load when scrolled to."""
    return {
        "picture": display.article_picture(image, language),
        "sizes": sizes or TEXT_WIDTH,
        "eager": eager,
        "language": language,
    }


@register.inclusion_tag("media_library/picture.html")
def list_picture(image):
    return {"picture": display.list_picture(image)}


@register.simple_tag
def social_card(image):
    return display.social_card(image)


@register.filter
def alt_in(image, language):
    """The description in `language`, else in the reader's language or any other."""
    return image.alt_for(language)


@register.filter
def caption_in(image, language):
    return image.caption_for(language)


@register.filter
def thumbnail_url(image):
    """The square thumbnail in WebP (the original until it is made)."""
    return display.rendition_url(image, "thumbnail", "webp")
