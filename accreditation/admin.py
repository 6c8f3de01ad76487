"""The accreditation register in the admin, and what was sent under embargo and opened.

Editors and administrators manage accreditations (migration 0002_roles); the journalists'
distributions and link openings are records, read-only for everyone. The release's form
shows who received it and how often their link was opened (DistributionInline).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Accreditation, Distribution, LinkOpening


class AccreditationForm(forms.ModelForm):
    languages = forms.TypedMultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The languages the journalist reads. Releases are sent in the first of them, in "
            "the order Kazakh, Russian, English, that the release has."
        ),
    )

    class Meta:
        model = Accreditation
        fields = [
            "journalist",
            "outlet",
            "email",
            "languages",
            "is_active",
            "active_until",
            "regions",
            "agencies",
            "tags",
        ]

    def clean_email(self):
        # One journalist, one address: "Aigul@Press.kz" is the accreditation of "aigul@press.kz".
        return self.cleaned_data["email"].strip().lower()

    def clean_languages(self):
        chosen = self.cleaned_data["languages"]
        # The order of preference is the site's order of languages.
        return [code for code, _name in settings.LANGUAGES if code in chosen]


class RecordAdmin(admin.ModelAdmin):
    """Records the system writes: seen, never added or changed by hand. Deleting them is
    left to their permission, which no role has: only a superuser deletes a release that
    journalists received (its records go with it), the others are refused, so what was
    sent before publication and who opened it stays on record."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    form = AccreditationForm
    list_display = ["journalist", "outlet", "email", "is_active", "active_until", "openings"]
    list_filter = ["is_active", "active_until"]
    search_fields = ["journalist", "outlet", "email"]
    filter_horizontal = ["regions", "agencies", "tags"]
    fieldsets = [
        (None, {"fields": ["journalist", "outlet", "email", "languages"]}),
        (_("Accreditation"), {"fields": ["is_active", "active_until"]}),
        (
            _("Follows"),
            {
                "fields": ["regions", "agencies", "tags"],
                "description": _(
                    "Releases scheduled for distribution under embargo reach the journalist "
                    "when they are about one of these regions (or its districts), from one "
                    "of these agencies, or tagged with one of these tags."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(opening_count=Count("openings"))

    def get_deleted_objects(self, objs, request):
        """Django's summary without the rows linking the journalist to what they follow
        ("Accreditation_regions object (1)"): they name nothing a person knows, and go
        with the accreditation."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [
            Accreditation._meta.get_field(name).remote_field.through._meta
            for name in ("regions", "agencies", "tags")
        ]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}:" for opts in links)
        plurals = {str(opts.verbose_name_plural) for opts in links}
        counts = {name: count for name, count in counts.items() if str(name) not in plurals}
        return _without(deleted, prefixes), counts, perms_needed, protected

    @admin.display(description=_("link openings"), ordering="opening_count")
    def openings(self, accreditation):
        url = reverse("admin:accreditation_linkopening_changelist")
        query = urlencode({"accreditation__id__exact": accreditation.pk})
        return format_html('<a href="{}?{}">{}</a>', url, query, accreditation.opening_count)


@admin.register(Distribution)
class DistributionAdmin(RecordAdmin):
    list_display = [
        "article",
        "accreditation",
        "version",
        "embargo_until",
        "sent_at",
        "withdrawn_at",
    ]
    list_filter = ["sent_at", "embargo_until"]
    list_select_related = ["article", "accreditation", "version"]
    search_fields = ["article__title", "accreditation__journalist", "accreditation__outlet"]
    fields = list_display


@admin.register(LinkOpening)
class LinkOpeningAdmin(RecordAdmin):
    list_display = ["opened_at", "accreditation", "article", "kind", "client_address", "user_agent"]
    list_filter = ["kind", "opened_at"]
    list_select_related = ["accreditation", "article"]
    search_fields = ["article__title", "accreditation__journalist", "accreditation__outlet"]
    date_hierarchy = "opened_at"
    fields = list_display


def _without(items: list, prefixes: tuple[str, ...]) -> list:
    """The nested list of Django's deletion summary without the entries starting so."""
    kept = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without(item, prefixes))
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class DistributionInline(admin.TabularInline):
    """On the release's form: who received it under embargo, and their link's openings."""

    model = Distribution
    fk_name = "article"
    fields = ["accreditation", "version", "embargo_until", "sent_at", "withdrawn_at", "openings"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Sent to accredited journalists under embargo")

    def get_queryset(self, request):
        opened = (
            LinkOpening.objects.filter(
                article=OuterRef("article"), accreditation=OuterRef("accreditation")
            )
            .order_by()
            .values("accreditation")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("accreditation", "version")
            .annotate(opening_count=Coalesce(Subquery(opened), 0))
        )

    @admin.display(description=_("link openings"))
    def openings(self, distribution):
        url = reverse("admin:accreditation_linkopening_changelist")
        query = urlencode(
            {
                "article__id__exact": distribution.article_id,
                "accreditation__id__exact": distribution.accreditation_id,
            }
        )
        return format_html('<a href="{}?{}">{}</a>', url, query, distribution.opening_count)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


ARTICLE_ACCREDITATION_INLINES = [DistributionInline]
