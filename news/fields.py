import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .html import sanitize_html
from .lexemes import document_lexemes
from .validators import validate_sources, validate_web_address


class SanitizedHTMLField(models.TextField):
    """A TextField whose HTML is sanitized whenever the model is saved or bulk-created."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value


# --- one line of text -----------------------------------------------------------------

# What str.splitlines() breaks at: a title pasted with any of them ended up in an e-mail
# subject, where a line break is refused as header injection.
LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+\s*")


def single_line(text: str) -> str:
    """`text` on one line: each run of line breaks (and the spaces around it) is one space."""
    return LINE_BREAKS.sub(" ", text).strip()


class SingleLineFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value


class SingleLineCharField(models.CharField):
    """A CharField whose value is one line: line breaks become spaces when a form or
    full_clean() reads it and whenever the model is saved or bulk-created."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = single_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineFormField, **kwargs})


# --- a list of web addresses ----------------------------------------------------------


class SourceListFormField(forms.Field):
    """Web addresses one per line, as a press officer pastes them; a list when clean.

    An address without a scheme gets https:// (as the admin's URL fields do); empty
    lines and repeats are dropped.
    """

    widget = forms.Textarea(attrs={"rows": 3, "cols": 80})
    default_error_messages = {
        "invalid_line": _("Line %(line)s: %(problem)s"),
    }

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(url) for url in value)
        return value  # the text as typed, shown again with its error

    def to_python(self, value):
        if isinstance(value, list):
            return value
        if value in self.empty_values:
            return []
        with_scheme = forms.URLField(assume_scheme="https")
        urls = []
        for number, line in enumerate(str(value).splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                url = with_scheme.to_python(line)
                validate_web_address(url)
            except ValidationError as error:
                raise ValidationError(
                    self.error_messages["invalid_line"],
                    code="invalid_source",
                    params={"line": number, "problem": " ".join(error.messages)},
                ) from error
            urls.append(url)
        return list(dict.fromkeys(urls))

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != list(initial or [])
        except ValidationError:
            return True


class SourceListField(models.JSONField):
    """A list of web addresses (http, https), stored as a JSON array.

    Checked whenever the model is saved or bulk-created, not only by forms: the API
    serves the list to partners as links, and a value of another shape broke its pages.
    """

    default_validators = [validate_sources]

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        validate_sources(value)
        return value

    def formfield(self, **kwargs):
        # Not JSONField's: a press officer edits addresses, not JSON.
        return models.Field.formfield(self, **{"form_class": SourceListFormField, **kwargs})


class JSONTypeOf(models.Func):
    """The type of a JSON value: 'array', 'object', 'string', … (PostgreSQL, SQLite)."""

    function = "JSONB_TYPEOF"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_TYPE", **extra_context)


class SearchLexemesField(models.TextField):
    """An article's search lexemes (news.lexemes), computed from its text whenever it is
    written: by save() and by bulk_create() alike, which both ask every field's pre_save.
    PostgreSQL's `search_vector` and SQLite's FTS5 table are built from it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = document_lexemes(
            model_instance.title, model_instance.lead, model_instance.body, model_instance.language
        )
        setattr(model_instance, self.attname, value)
        return value
