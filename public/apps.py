from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public site: what readers, feed readers, search engines and API partners see."""

    name = "public"

    def ready(self):
        from .cache import connect_invalidation

        connect_invalidation()
