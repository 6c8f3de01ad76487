"""What each person prefers, apart from Django's user (which Pressroom does not replace)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    language = models.CharField(
        _("language of emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language you last used the admin in."),
    )
    # Written by people.middleware, never in a form.
    last_admin_language = models.CharField(
        _("language last used in the admin"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self):
        return str(self.user)

    @property
    def email_language(self) -> str:
        return self.language or self.last_admin_language or settings.LANGUAGE_CODE
