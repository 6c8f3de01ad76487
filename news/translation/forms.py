from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from news.forms import BodyEditor
from news.models import Article


class TranslationForm(forms.Form):
    """A translation's text in the side-by-side view; the rest follows its original."""

    title = forms.CharField(
        label=_("Title"),
        max_length=Article._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )
    lead = forms.CharField(
        label=_("Lead"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=capfirst(Article._meta.get_field("body").verbose_name),
        required=False,
        widget=BodyEditor,
    )
    # The version the page showed (0: no translation yet). Checked by the service, which
    # refuses a form without it and keeps the person's text on the page.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def content(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in ("title", "lead", "body")}
