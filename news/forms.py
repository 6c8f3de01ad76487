from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media
from taggit.models import Tag, TaggedItem

from . import editing
from .html import BODY_EDITOR_EXTENSIONS
from .importing.formats import FORMATS
from .models import Article, ImportSource
from .validators import validate_new_tag
from .workflow import Transition, WorkflowError


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default; no warning until then
    return db_field.formfield(**kwargs)


IMPORT_FILE_SUFFIXES = (".txt", ".xml", ".rss", ".atom", ".json")


class BodyEditor(AdminProseEditorWidget):
    """An article body's rich-text editor, with the extensions news.html allows."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs, config={"extensions": BODY_EDITOR_EXTENSIONS}, preset="configurable"
        )

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["news/body_editor.css"]})


def with_csp_nonce(media: forms.Media, request) -> Media:
    """`media` whose tags carry the request's CSP nonce: the editor's import map is an inline
    script, which the site's policy (config.settings) allows only with it."""
    return Media.from_media(media, nonce=getattr(request, "csp_nonce", ""))


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form; refuses a save that would overwrite someone else's."""

    # Hidden, but its row and label are in the page: they say what it is in every language.
    expected_version = forms.IntegerField(
        label=_("Version you edited"), widget=forms.HiddenInput, required=False
    )

    editing_user = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - ArticleAdmin's fieldsets choose what is shown
        formfield_callback = _formfield
        widgets = {"body": BodyEditor}

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
            # The edit's own checks, to show a refusal on the form; the row stays locked
            # until ArticleAdmin.save_model saves the edit in the same transaction.
            try:
                editing.check_update(
                    article=self.instance,
                    user=self.editing_user,
                    **self.edit(),
                )
            except WorkflowError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned

    def edit(self) -> dict:
        """The changes this form makes to the article, as news.editing takes them."""
        names = {field.name for field in Article._meta.concrete_fields}
        cleaned = self.cleaned_data
        return {
            "changes": {
                name: cleaned[name]
                for name in self.changed_data
                if name in names and name in cleaned
            },
            "tags": cleaned["tags"] if "tags" in self.changed_data and "tags" in cleaned else None,
            "expected_version": cleaned.get("expected_version"),
        }


def embargo_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Distribute under embargo to accredited journalists"),
        required=False,
        help_text=_(
            "They receive the full text now, marked as embargoed until the publication time."
        ),
    )


class TransitionForm(forms.Form):
    """A workflow step's page: its comment, a time to schedule, and when the release has
    pre-publish warnings (news.checks), the choice to go ahead anyway with a reason."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    # A refusal of news.workflow shown on the field it is about.
    ERROR_FIELDS = {
        "invalid_publish_at": "publish_at",
        "comment_required": "comment",
        "prepublish_warnings": "override_reason",
    }

    def __init__(self, *args, transition: Transition, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.comment_required:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Reason (shown to the author)")
        if transition.name == "schedule":
            self.fields["publish_at"] = forms.SplitDateTimeField(
                label=_("Publish at (Asia/Almaty)"), widget=AdminSplitDateTime
            )
            self.fields["distribute_under_embargo"] = embargo_field()
        if warnings:
            self.fields["go_ahead"] = forms.BooleanField(
                label=_("Go ahead despite the warnings"), required=False
            )
            self.fields["override_reason"] = forms.CharField(
                label=_("Why it can go ahead as it is"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
                help_text=_("Recorded in the workflow history with the warnings."),
            )

    def clean(self):
        cleaned = super().clean()
        if "go_ahead" in self.fields:
            reason = cleaned.get("override_reason", "").strip()
            if not cleaned.get("go_ahead"):
                self.add_error(
                    "go_ahead",
                    _(
                        "Put the warnings right in the article first, or choose to go ahead "
                        "despite them and say why."
                    ),
                )
            elif not reason:
                self.add_error(
                    "override_reason", _("Say why the release can go ahead despite the warnings.")
                )
        return cleaned

    @property
    def override_reason(self) -> str:
        if not self.cleaned_data.get("go_ahead"):
            return ""
        return self.cleaned_data.get("override_reason", "").strip()

    def add_refusal(self, error: WorkflowError) -> None:
        """Show a refusal of the step on the form, by the field it concerns if it has one."""
        field = self.ERROR_FIELDS.get(error.code)
        self.add_error(field if field in self.fields else None, error.message)


class RestoreRevisionForm(forms.Form):
    expected_version = forms.IntegerField(label=_("Version you edited"), widget=forms.HiddenInput)
    # Required by news.revisions for a published or scheduled release; the page says why.
    confirm_public_change = forms.BooleanField(
        required=False, label=_("I understand the live page changes now")
    )


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


class MergeTagsForm(forms.Form):
    """Merge the tags chosen in the tag list into one tag, new or existing."""

    new_tag_name = forms.CharField(
        label=_("Merge into the tag"),
        max_length=Tag._meta.get_field("name").max_length,
        help_text=_("A new tag name, or the name of an existing tag."),
    )

    def __init__(self, *args, tag_ids, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [int(tag_id) for tag_id in tag_ids if str(tag_id).isdigit()]
        self.tags = Tag.objects.filter(pk__in=ids).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not self.tags.exists():
            raise forms.ValidationError(
                _("Choose the tags to merge in the list of tags first."), code="no_tags"
            )
        return cleaned

    @transaction.atomic
    def save(self) -> Tag:
        """Move every use of the chosen tags to the target tag; returns the target."""
        target, _created = Tag.objects.get_or_create(name=self.cleaned_data["new_tag_name"])
        for item in TaggedItem.objects.filter(tag__in=self.tags.exclude(pk=target.pk)):
            tagged_already = TaggedItem.objects.filter(
                tag=target, content_type_id=item.content_type_id, object_id=item.object_id
            ).exists()
            if tagged_already:
                item.delete()
            else:
                item.tag = target
                item.save(update_fields=["tag"])
        return target


class RescheduleForm(forms.Form):
    """A scheduled release's new publication time, typed on the calendar (Asia/Almaty)."""

    publish_at = forms.SplitDateTimeField(
        label=_("New publication time"),
        # The browser's own date and time pickers, which phones show well; they send ISO
        # dates and 24-hour times, which Django reads in every language.
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": _("Date")},
            time_attrs={"type": "time", "aria-label": _("Time")},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
    )


class ScheduleForm(RescheduleForm):
    """An approved release's publication time, typed on the calendar, and when it has
    pre-publish warnings (news.checks), why it may go ahead despite them."""

    # A refusal of news.workflow shown on the field it is about.
    ERROR_FIELDS = {
        "invalid_publish_at": "publish_at",
        "prepublish_warnings": "override_reason",
    }

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].label = _("Publish at (Asia/Almaty)")
        self.fields["distribute_under_embargo"] = embargo_field()
        if warnings:
            self.fields["override_reason"] = forms.CharField(
                label=_("Reason to go ahead despite the warnings")
            )

    @property
    def override_reason(self) -> str:
        return self.cleaned_data.get("override_reason", "").strip()

    def add_refusal(self, error: WorkflowError) -> None:
        """Show a refusal of the step on the form, by the field it concerns if it has one."""
        field = self.ERROR_FIELDS.get(error.code)
        self.add_error(field if field in self.fields else None, error.message)
