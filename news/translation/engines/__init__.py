"""Translation engines, and the one that settings choose.

PRESSROOM_TRANSLATION_ENGINE picks it: "" (none: every request becomes a task for a
person), "libretranslate", "deepl" or "argos" (offline).
"""

from django.conf import settings

from .base import Engine

ENGINE_NAMES = ("libretranslate", "deepl", "argos")


def get_engine() -> Engine | None:
    """A fresh engine as configured, or None when none is; close it after use."""
    name = settings.PRESSROOM_TRANSLATION_ENGINE
    timeout = settings.PRESSROOM_TRANSLATION_TIMEOUT
    if name == "libretranslate":
        from .libretranslate import LibreTranslateEngine

        return LibreTranslateEngine(
            settings.PRESSROOM_LIBRETRANSLATE_URL,
            api_key=settings.PRESSROOM_LIBRETRANSLATE_API_KEY,
            timeout=timeout,
            char_limit=settings.PRESSROOM_LIBRETRANSLATE_CHAR_LIMIT,
        )
    if name == "deepl":
        from .deepl_engine import DeepLEngine

        return DeepLEngine(
            settings.PRESSROOM_DEEPL_AUTH_KEY,
            server_url=settings.PRESSROOM_DEEPL_SERVER_URL,
            timeout=timeout,
        )
    if name == "argos":
        from .argos import ArgosEngine

        return ArgosEngine(settings.PRESSROOM_ARGOS_PACKAGES_DIR)
    return None
