"""The media library in the admin: photos and files, and the article form's inlines that
pick them. Press officers see and use their own agencies' media only, as with articles
(media_library.access); every upload goes through media_library.services."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from news import workflow

from . import access, services
from .forms import ArticleImageForm, AttachmentForm, ImageForm, MediaUseFormSet
from .models import (
    ArticleAttachment,
    Attachment,
    GalleryImage,
    Image,
    LeadImage,
    Rendition,
)


class OwnAgencyFilter(admin.RelatedFieldListFilter):
    """Offer only the agencies the user may see that have media of this kind."""

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.get_accessor_name()
        agencies = workflow.agencies_writable_by(request.user).filter(
            **{f"{related}__isnull": False}
        )
        return [(agency.pk, str(agency)) for agency in agencies.distinct().order_by("name_en")]


class HasRenditionsFilter(admin.SimpleListFilter):
    title = _("renditions")
    parameter_name = "renditions"

    def lookups(self, request, model_admin):
        return [("yes", _("made")), ("no", _("not yet"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_renditions=self.value() == "yes")
        return queryset


def thumbnail(url: str, alt: str, kind: str = "photo"):
    return format_html(
        '<img class="media-thumbnail media-thumbnail--{}" src="{}" alt="{}" width="96" '
        'height="96" loading="lazy">',
        kind,
        url,
        alt,
    )


class ScopedMediaAdmin(admin.ModelAdmin):
    """Scope, permissions and agency choices every media admin shares."""

    list_select_related = ["agency"]
    list_per_page = 50
    show_full_result_count = False
    # The file's own link is on the form; "view on site" would open it the same way.
    view_on_site = False

    class Media:
        css = {"all": ["media_library/admin.css"]}

    def get_queryset(self, request):
        return access.media_visible_to(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or access.may_see_in_admin(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.may_see_in_admin(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.may_see_in_admin(request.user, obj))

    def delete_model(self, request, obj):
        services.delete_media([obj])

    def delete_queryset(self, request, queryset):
        services.delete_media(queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = workflow.agencies_writable_by(request.user)
            writable = list(kwargs["queryset"][:2])
            if len(writable) == 1:
                kwargs["initial"] = writable[0]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.uploading_user = request.user
        return form


@admin.register(Image)
class ImageAdmin(ScopedMediaAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt_text", "agency", "licence", "has_renditions", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    list_filter = [
        ("agency", OwnAgencyFilter),
        "licence",
        "created_at",
        HasRenditionsFilter,
    ]
    search_fields = [
        "alt_kk",
        "alt_ru",
        "alt_en",
        "caption_kk",
        "caption_ru",
        "caption_en",
        "credit",
    ]
    date_hierarchy = "created_at"
    actions = ["make_renditions"]

    def get_queryset(self, request):
        renditions = Rendition.objects.filter(image=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(has_renditions=Exists(renditions))
            .prefetch_related("renditions")
        )

    def get_fieldsets(self, request, obj=None):
        upload = ["file"] if obj is None else ["preview"]
        if obj is None and services.may_keep_metadata(request.user):
            upload.append("keep_metadata")
        return [
            (
                None,
                {
                    "fields": [*upload, "agency", "alt_kk", "alt_ru", "alt_en"],
                    "description": _(
                        "Alt text tells readers who cannot see the photo what it shows. "
                        "Write it at least in the language of the releases that will use "
                        "the photo; a release needs it in its own language."
                    ),
                },
            ),
            (
                _("Caption, credit and licence"),
                {"fields": ["caption_kk", "caption_ru", "caption_en", "credit", "licence"]},
            ),
            (_("Crops"), {"fields": ["focal_x", "focal_y"]}),
            *(
                []
                if obj is None
                else [
                    (
                        _("Record"),
                        {
                            "fields": [
                                "dimensions",
                                "keep_metadata",
                                "uploaded_by",
                                "created_at",
                                "rendition_list",
                            ]
                        },
                    )
                ]
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "preview",
            "dimensions",
            "keep_metadata",
            "uploaded_by",
            "created_at",
            "rendition_list",
        ]

    @admin.display(description=_("photo"))
    def thumbnail(self, image):
        return thumbnail(image.url_of("thumbnail", "webp"), image.alt)

    @admin.display(description=_("alt text"))
    def alt_text(self, image):
        return image.alt

    @admin.display(description=_("photo"))
    def preview(self, image):
        return format_html(
            '<a href="{}"><img class="media-preview" src="{}" alt="{}"></a>',
            image.get_absolute_url(),
            image.best_url(800),
            image.alt,
        )

    @admin.display(description=_("size in pixels"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}"

    @admin.display(description=_("renditions"), boolean=True, ordering="has_renditions")
    def has_renditions(self, image):
        return image.has_renditions

    @admin.display(description=_("renditions"))
    def rendition_list(self, image):
        renditions = sorted(image.renditions.all(), key=lambda each: (each.size, each.format))
        if not renditions:
            return _("Not made yet: pages show the original meanwhile.")
        return format_html(
            "<ul class='rendition-list'>{}</ul>",
            format_html(
                "".join(
                    format_html('<li><a href="{}">{}</a></li>', each.url, str(each))
                    for each in renditions
                )
            ),
        )

    @admin.action(description=_("Make renditions of the selected photos"))
    def make_renditions(self, request, queryset):
        for image in queryset:
            services.request_renditions(image)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Renditions of %(count)d photo were requested.",
                "Renditions of %(count)d photos were requested.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            services.save_image(obj, form.checked, user=request.user)
            return
        super().save_model(request, obj, form, change)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            services.request_renditions(obj)


@admin.register(Attachment)
class AttachmentAdmin(ScopedMediaAdmin):
    form = AttachmentForm
    list_display = ["first_page", "title", "kind", "file_size", "page_count", "agency"]
    list_display_links = ["first_page", "title"]
    list_filter = [("agency", OwnAgencyFilter), "kind", "created_at"]
    search_fields = ["title_kk", "title_ru", "title_en"]
    date_hierarchy = "created_at"

    def get_fieldsets(self, request, obj=None):
        first = ["file"] if obj is None else ["download"]
        record = [] if obj is None else ["kind", "file_size", "page_count", "uploaded_by"]
        return [(None, {"fields": [*first, "agency", "title_kk", "title_ru", "title_en", *record]})]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["download", "kind", "file_size", "page_count", "uploaded_by"]

    @admin.display(description=_("title"))
    def title(self, attachment):
        return attachment.title

    @admin.display(description=_("first page"))
    def first_page(self, attachment):
        url = attachment.preview_url()
        return thumbnail(url, attachment.title, kind="page") if url else "—"

    @admin.display(description=_("file"))
    def download(self, attachment):
        return format_html(
            '<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.get_kind_display()
        )

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, attachment):
        return filesizeformat(attachment.size)

    def save_model(self, request, obj, form, change):
        if not change:
            services.save_attachment(obj, form.checked, form.data_bytes, user=request.user)
            return
        super().save_model(request, obj, form, change)


# --- on the article form ----------------------------------------------------------------


class ArticleMediaInline(admin.TabularInline):
    """Media a release uses, picked from the library of the officer's agencies (the "+"
    beside the field uploads a new one). Changed only while the article may be edited."""

    formset = MediaUseFormSet
    extra = 0

    class Media:
        css = {"all": ["media_library/admin.css"]}

    def _may_edit(self, request, article) -> bool:
        return article is None or workflow.can_edit(request.user, article)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("image", "attachment"):
            kwargs["queryset"] = access.media_visible_to(
                request.user, db_field.related_model.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ImagePreviewMixin:
    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("image__renditions")

    @admin.display(description=_("photo"))
    def preview(self, used):
        if used.image_id is None:
            return ""
        return thumbnail(used.image.url_of("thumbnail", "webp"), used.image.alt)


class LeadImageInline(ImagePreviewMixin, ArticleMediaInline):
    model = LeadImage
    form = ArticleImageForm
    fields = ["image", "preview"]
    readonly_fields = ["preview"]
    autocomplete_fields = ["image"]
    max_num = 1
    can_delete = True


class GalleryImageInline(ImagePreviewMixin, ArticleMediaInline):
    model = GalleryImage
    form = ArticleImageForm
    fields = ["position", "image", "preview"]
    readonly_fields = ["preview"]
    autocomplete_fields = ["image"]


class ArticleAttachmentInline(ArticleMediaInline):
    model = ArticleAttachment
    fields = ["position", "attachment"]
    autocomplete_fields = ["attachment"]


ARTICLE_MEDIA_INLINES = [LeadImageInline, GalleryImageInline, ArticleAttachmentInline]
