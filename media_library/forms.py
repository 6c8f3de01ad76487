"""Upload forms of the media library, and the article form's choice of media."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import safety, services
from .models import Attachment, Image


class UploadForm(forms.ModelForm):
    """Reads the upload within its size limit and has media_library.safety check it; the
    admin hands the result (`checked`) to media_library.services. A subclass names the
    setting of its size limit and checks the bytes in `check`."""

    uploading_user = None  # set per request by the admin's get_form
    checked = None
    data_bytes = b""
    max_bytes_setting = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.data_bytes = safety.read_limited(upload, getattr(settings, self.max_bytes_setting))
        except safety.UnsafeFile as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and self.data_bytes:
            try:
                self.checked = self.check(self.data_bytes)
            except safety.UnsafeFile as error:
                self.add_error("file", forms.ValidationError(error.message, code=error.code))
        return cleaned


class ImageForm(UploadForm):
    max_bytes_setting = "PRESSROOM_MEDIA_MAX_IMAGE_BYTES"

    class Meta:
        model = Image
        fields = "__all__"  # noqa: DJ007 - ImageAdmin's fieldsets choose what is shown
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={
                    "accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
                }
            ),
            "caption_kk": forms.Textarea(attrs={"rows": 2}),
            "caption_ru": forms.Textarea(attrs={"rows": 2}),
            "caption_en": forms.Textarea(attrs={"rows": 2}),
        }

    def check(self, data: bytes):
        keep = self.cleaned_data.get("keep_metadata", False)
        if keep and not services.may_keep_metadata(self.uploading_user):
            keep = self.cleaned_data["keep_metadata"] = False
        return safety.check_image(data, keep_metadata=keep)


class AttachmentForm(UploadForm):
    max_bytes_setting = "PRESSROOM_MEDIA_MAX_DOCUMENT_BYTES"

    class Meta:
        model = Attachment
        fields = "__all__"  # noqa: DJ007 - AttachmentAdmin's fieldsets choose what is shown
        widgets = {
            "file": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt"}),
        }

    def check(self, data: bytes):
        return safety.check_document(data)


class ArticleImageForm(forms.ModelForm):
    """A photo chosen for a release must be described in the release's language: readers
    of that version who cannot see it hear the alt text."""

    def clean(self):
        cleaned = super().clean()
        image, article = cleaned.get("image"), cleaned.get("article")
        if image is not None and article is not None and not image.alt_in(article.language):
            self.add_error(
                "image",
                forms.ValidationError(
                    _(
                        "The photo has no alt text in %(language)s, the language of this "
                        "release: add it in the media library first."
                    )
                    % {"language": article.get_language_display()},
                    code="alt_missing",
                ),
            )
        return cleaned


class MediaUseFormSet(forms.BaseInlineFormSet):
    def save(self, commit=True):
        saved = super().save(commit)
        if self.has_changed():
            services.article_media_changed(self.instance)
        return saved


class PhotoDescriptionsForm(forms.Form):
    """A release's photos described in one language, on the side-by-side translation page
    beside the original's descriptions. A field left empty leaves the description as it is:
    a photo must keep one in some language."""

    prefix = "photos"

    def __init__(self, *args, images: list[Image], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.images, self.language = images, language
        for image in images:
            self.fields[f"alt_{image.pk}"] = forms.CharField(
                label=_("Alt text"),
                max_length=Image._meta.get_field(f"alt_{language}").max_length,
                required=False,
                initial=image.alt_in(language),
            )
            self.fields[f"caption_{image.pk}"] = forms.CharField(
                label=_("Caption"),
                required=False,
                initial=getattr(image, f"caption_{language}"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """Each photo with its two fields, for the template."""
        return [
            (image, self[f"alt_{image.pk}"], self[f"caption_{image.pk}"]) for image in self.images
        ]

    def descriptions(self) -> dict[Image, tuple[str, str]]:
        return {
            image: (self.cleaned_data[f"alt_{image.pk}"], self.cleaned_data[f"caption_{image.pk}"])
            for image in self.images
        }
