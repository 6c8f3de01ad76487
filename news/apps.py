from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = _("News")

    def ready(self):
        # Services send tasks by name (news.queue): the Celery app must know them.
        from . import tasks  # noqa: F401
        from .converters import register_converters

        register_converters()
