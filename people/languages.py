"""Which language to write to each person in, and recording the one they use."""

from collections.abc import Iterable

from django.conf import settings

from .models import Preferences


def email_language(user) -> str:
    """The person's chosen language, else the one they last used the admin in, else the
    site's. Load users with select_related("preferences") to ask no query here."""
    try:
        preferences = user.preferences
    except Preferences.DoesNotExist:
        return settings.LANGUAGE_CODE
    return preferences.email_language


def by_language(users: Iterable) -> dict[str, list]:
    """People grouped by the language they are written to in, each group in its order."""
    groups: dict[str, list] = {}
    for user in users:
        groups.setdefault(email_language(user), []).append(user)
    return groups


def record_admin_language(user, language: str) -> None:
    """Remember the language `user` uses the admin in (one query once they have
    preferences, which their first login makes)."""
    recorded = Preferences.objects.filter(user=user).update(last_admin_language=language)
    if not recorded:
        Preferences.objects.get_or_create(user=user, defaults={"last_admin_language": language})
