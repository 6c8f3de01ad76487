from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self):
        from news.signals import release_stepped

        from . import tasks  # noqa: F401 - services send tasks by name (news.queue)
        from .signals import on_release_stepped

        release_stepped.connect(on_release_stepped, dispatch_uid="accreditation.release_stepped")
