from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _install_search_index(sender, using, **kwargs):
    from .search import install_fts5

    install_fts5(using)


class PublicConfig(AppConfig):
    """The public site: what readers, feed readers, search engines and API partners see."""

    name = "public"

    def ready(self):
        from .cache import connect_invalidation

        connect_invalidation()
        # After every migrate: SQLite's search triggers do not survive a rebuilt table.
        # (Sent for apps with models only: news, whose table the triggers are on.)
        post_migrate.connect(_install_search_index, sender=apps.get_app_config("news"))
