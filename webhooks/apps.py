from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # Services send tasks by name (news.queue): the Celery app must know them.
        from django.db.models.signals import pre_delete

        from news.models import Article
        from news.signals import release_edited, release_stepped

        from . import tasks  # noqa: F401
        from .events import on_article_deleted, on_release_edited, on_release_stepped

        release_stepped.connect(on_release_stepped, dispatch_uid="webhooks.release_stepped")
        release_edited.connect(on_release_edited, dispatch_uid="webhooks.release_edited")
        pre_delete.connect(on_article_deleted, sender=Article, dispatch_uid="webhooks.deleted")
