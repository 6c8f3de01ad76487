from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"
    verbose_name = _("Email subscriptions")

    def ready(self):
        # Services send tasks by name (news.queue): the Celery app must know them.
        from news.signals import release_stepped

        from . import tasks  # noqa: F401
        from .sending import on_release_stepped

        release_stepped.connect(on_release_stepped, dispatch_uid="outreach-announce")
