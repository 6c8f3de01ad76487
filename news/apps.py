from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = _("News")

    def ready(self):
        # Services send tasks by name (news.queue): the Celery app must know them.
        from django.db.models.signals import post_save

        from . import tasks  # noqa: F401
        from .converters import register_converters
        from .models import Article
        from .title_words import record_saved_title

        register_converters()
        post_save.connect(record_saved_title, sender=Article, dispatch_uid="news-title-words")
