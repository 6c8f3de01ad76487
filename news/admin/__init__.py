"""The editors' admin, by concern: articles, imports, translations and tags."""

from . import articles, imports, tags, translations  # noqa: F401 - each registers its admins
