"""Rules for what an article may hold, run by its fields and forms on every save path."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .slugs import is_number

MAX_SOURCE_LENGTH = 1000  # as Article.source_url
MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length
# taggit makes a new tag's slug from its name and, when another tag has that slug already,
# adds "_1", "_2", …: the slug needs room for that within its column.
MAX_TAG_SLUG_LENGTH = Tag._meta.get_field("slug").max_length - len("_999")
_web_address = URLValidator(schemes=["http", "https"])


def _shown(value) -> str:
    """A value as an error message quotes it: short, whatever its type."""
    return Truncator(str(value)).chars(80)


def validate_web_address(url) -> None:
    """An http or https address: what a reader's browser may follow from the site or a
    partner's page from the API (never `javascript:`)."""
    if isinstance(url, str) and len(url) <= MAX_SOURCE_LENGTH:
        try:
            _web_address(url)
        except ValidationError:
            pass
        else:
            return
    raise ValidationError(
        _("“%(url)s” is not a web address: it must start with http:// or https://."),
        code="invalid_source",
        params={"url": _shown(url)},
    )


def is_web_address(url) -> bool:
    try:
        validate_web_address(url)
    except ValidationError:
        return False
    return True


def validate_sources(value) -> None:
    """Article.sources: a list of web addresses."""
    if not isinstance(value, list):
        raise ValidationError(
            _("The sources must be a list of web addresses, not “%(value)s”."),
            code="sources_not_a_list",
            params={"value": _shown(value)},
        )
    for url in value:
        validate_web_address(url)


def validate_slug_is_not_a_number(slug: str) -> None:
    """The API reads a number as an article's id (/api/v1/articles/<id or slug>)."""
    if is_number(slug):
        raise ValidationError(
            _("A slug cannot be only digits: add a word, e.g. “release-%(slug)s”."),
            code="slug_is_number",
            params={"slug": slug},
        )


def validate_new_tag(name: str) -> None:
    """A tag taggit can store: its name and the slug it makes of it fit their columns.

    For a tag that does not exist yet; an existing one is reused as it is.
    """
    if len(name) > MAX_TAG_LENGTH:
        raise ValidationError(
            _("A tag can have at most %(limit)d characters; “%(tag)s” has %(length)d."),
            code="tag_too_long",
            params={"limit": MAX_TAG_LENGTH, "tag": _shown(name), "length": len(name)},
        )
    if len(Tag().slugify(name)) > MAX_TAG_SLUG_LENGTH:
        raise ValidationError(
            _("The tag “%(tag)s” is too long for its web address; shorten it."),
            code="tag_too_long",
            params={"tag": _shown(name)},
        )


def fit_tag(name: str) -> str:
    """`name` shortened until validate_new_tag accepts it (for imported tags)."""
    name = name[:MAX_TAG_LENGTH]
    while name:
        try:
            validate_new_tag(name)
        except ValidationError:
            name = name[:-1]
        else:
            break
    return name.strip()
