"""Filters for the public article lists and the API, all read from GET parameters.

`region` takes a region's slug and includes its districts. The country's slug
(`kazakhstan`, as in /regions/kazakhstan/ and the API's region list) means national:
articles about the whole country (the importer files national bodies' releases under
Kazakhstan) or about no particular region.
"""

import functools

import django_filters as filters
from django import forms
from django.conf import settings
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency, Region
from news.models import Article

from .search import MAX_QUERY_LENGTH, search_articles


def region_choices() -> list[tuple[str, str]]:
    """National first, then regions and cities by name, each followed by its districts."""
    regions = list(Region.objects.select_related("parent"))
    districts: dict[int, list[Region]] = {}
    for region in regions:
        if region.kind == Region.Kind.DISTRICT:
            districts.setdefault(region.parent_id, []).append(region)
    choices = [
        (region.slug, str(_("Kazakhstan (national level)")))
        for region in regions
        if region.kind == Region.Kind.COUNTRY
    ]
    for region in sorted(
        (r for r in regions if r.kind in (Region.Kind.REGION, Region.Kind.CITY)),
        key=lambda r: r.name,
    ):
        choices.append((region.slug, region.name))
        for district in sorted(districts.get(region.pk, []), key=lambda r: r.name):
            choices.append((district.slug, f"{region.name}: {district.name}"))
    return choices


def agency_choices() -> list[tuple[str, str]]:
    return [(agency.slug, agency.name) for agency in Agency.objects.filter(is_active=True)]


class PublicArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                forms.ValidationError(
                    _("The end date is before the start date."), code="date_range"
                ),
            )
        return cleaned


class SlugFilter(filters.CharFilter):
    field_class = forms.SlugField


class PublicArticleFilter(filters.FilterSet):
    """Published articles by region, agency, tag, language, release date and search words."""

    region = filters.ChoiceFilter(
        label=_("Region"), empty_label=_("All regions"), method="filter_region"
    )
    agency = filters.ChoiceFilter(
        label=_("Agency"),
        empty_label=_("All agencies"),
        method="filter_agency",
    )
    tag = SlugFilter(
        label=_("Tag"),
        method="filter_tag",
        allow_unicode=True,  # tags in Kazakh and Russian keep their letters in their slugs
        widget=forms.TextInput(attrs={"size": 20}),
    )
    language = filters.ChoiceFilter(
        label=pgettext_lazy("of an article", "Language"),
        empty_label=_("All languages"),
        choices=settings.LANGUAGES,
    )
    date_from = filters.DateFilter(
        label=_("Released from"),
        field_name="release_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = filters.DateFilter(
        label=_("Released until"),
        field_name="release_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # Declared last: the search decides whether to try a misspelling's correction by whether
    # anything matches, which must be judged after every other filter has narrowed the list.
    q = filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    class Meta:
        model = Article
        fields = ["region", "agency", "tag", "language", "date_from", "date_to", "q"]
        form = PublicArticleFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # Whatever the caller passes, only published articles are ever listed.
        queryset = (Article.objects.all() if queryset is None else queryset).published()
        super().__init__(data, queryset, request=request, prefix=prefix)
        # Read when the form is shown or a choice is checked, not for a feed or the API's
        # unfiltered list; read once, though a form iterates its choices more than once.
        self.filters["region"].extra["choices"] = lambda: self.section_choices["region"]
        self.filters["agency"].extra["choices"] = lambda: self.section_choices["agency"]

    @functools.cached_property
    def section_choices(self) -> dict[str, list[tuple[str, str]]]:
        """Region and agency choices in the reader's language."""
        return {"region": region_choices(), "agency": agency_choices()}

    def filter_region(self, queryset, name, value):
        # The slug is one of the choices, so the region exists.
        region = Region.objects.prefetch_related("children").get(slug=value)
        return queryset.in_region(region)

    def filter_agency(self, queryset, name, value):
        # By id on the article's own column, as on the agency's page (the subquery is run
        # once): a join on the agency's slug was tested only after the reader-language
        # checks, for every agency's rows.
        return queryset.filter(agency_id=Subquery(Agency.objects.filter(slug=value).values("pk")))

    def filter_tag(self, queryset, name, value):
        return queryset.tagged(value)

    def filter_search(self, queryset, name, value):
        return search_articles(queryset, value, language=self.form.cleaned_data.get("language"))
