from django.db import models

from .html import sanitize_html


class SanitizedHTMLField(models.TextField):
    """A TextField whose HTML is sanitized whenever the model is saved or bulk-created."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
