from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .languages import record_admin_language

SESSION_KEY = "people_admin_language"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def remember_admin_language(request, user) -> None:
    """Record the language of this admin request for `user` unless their session already
    did: the database is written at login and when the language changes, not per page."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    if language in LANGUAGES and request.session.get(SESSION_KEY) != language:
        record_admin_language(user, language)
        request.session[SESSION_KEY] = language


def remember_at_login(sender, request, user, **kwargs):
    """user_logged_in receiver: the login page's language is the first the person used."""
    if request is not None and hasattr(request, "session") and user.is_staff:
        remember_admin_language(request, user)


class AdminLanguageMiddleware:
    """Remembers the language each staff member last used the admin in: the language of
    their emails until they choose one (people.models.Preferences)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
        ):
            remember_admin_language(request, user)
        return response
