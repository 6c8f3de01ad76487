from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_at_login

        # At login the session is written anyway: recording the language then keeps the
        # first admin page from writing it again.
        user_logged_in.connect(remember_at_login, dispatch_uid="people.remember_at_login")
