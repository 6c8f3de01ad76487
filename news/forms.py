from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.translation import gettext_lazy as _

from .models import Article
from .workflow import Transition, WorkflowError, check_edit


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form; refuses a save that would overwrite someone else's."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    editing_user = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

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
