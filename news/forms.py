from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .importing.formats import FORMATS
from .models import Article, ImportSource
from .validators import validate_new_tag
from .workflow import Transition, WorkflowError, check_edit


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default; no warning until then
    return db_field.formfield(**kwargs)


IMPORT_FILE_SUFFIXES = (".txt", ".xml", ".rss", ".atom", ".json")


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form; refuses a save that would overwrite someone else's."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    editing_user = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - ArticleAdmin's fieldsets choose what is shown
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Required on edits: a POST without it would skip the optimistic lock.
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        errors = []
        for name in names:
            if name not in existing:
                try:
                    validate_new_tag(name)
                except forms.ValidationError as error:
                    errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return names

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.editing_user is not None:
            try:
                check_edit(self.editing_user, self.instance.pk, cleaned.get("expected_version"))
            except WorkflowError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, *args, transition: Transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.comment_required:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Reason (shown to the author)")
        if transition.name == "schedule":
            self.fields["publish_at"] = forms.SplitDateTimeField(
                label=_("Publish at (Asia/Almaty)"), widget=AdminSplitDateTime
            )


class RestoreRevisionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class ImportUploadForm(forms.Form):
    """A file of releases uploaded in the admin; imported by a worker."""

    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(
        label=_("Format"),
        # Named as the kinds of import source are: the same formats.
        choices=[
            ("auto", _("Detect")),
            *[(name, ImportSource.Kind(name).label) for name in FORMATS],
        ],
        initial="auto",
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=ImportSource.objects.all(),
        required=False,
        help_text=_("Optional: its default agency and language apply."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PRESSROOM_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        suffix = Path(upload.name).suffix.lower()
        if suffix not in IMPORT_FILE_SUFFIXES:
            raise forms.ValidationError(
                _("Files ending in %(suffix)s cannot be imported; use one of %(allowed)s.")
                % {"suffix": suffix or "(none)", "allowed": ", ".join(IMPORT_FILE_SUFFIXES)},
                code="file_type",
            )
        return upload
