from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaLibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "media_library"
    verbose_name = _("Media library")

    def ready(self):
        # Services send tasks by name (news.queue): the Celery app must know them.
        from news.signals import machine_translated

        from . import tasks  # noqa: F401
        from .translation import on_machine_translation

        machine_translated.connect(on_machine_translation, dispatch_uid="media-translation")
