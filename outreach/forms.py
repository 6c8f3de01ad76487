from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag
from taggit.utils import parse_tags

from agencies.models import Agency, Region

from .models import Subscription
from .subscriptions import Choices

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]
MAX_TAGS = 20


class TagsField(forms.CharField):
    """Tag names separated by commas, each a tag some release carries."""

    def clean(self, value):
        names = parse_tags(super().clean(value) or "")
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                ngettext(
                    "Follow at most %(count)d tag.", "Follow at most %(count)d tags.", MAX_TAGS
                )
                % {"count": MAX_TAGS},
                code="too_many_tags",
            )
        wanted = Q(slug__in=names)
        for name in names:
            wanted |= Q(name__iexact=name)
        found = {}
        for tag in Tag.objects.filter(wanted) if names else ():
            found[tag.name.lower()] = found[tag.slug] = tag
        chosen = []
        for name in names:
            tag = found.get(name.lower()) or found.get(name)
            if tag is None:
                raise forms.ValidationError(
                    _("No release carries the tag “%(tag)s”.") % {"tag": name},
                    code="unknown_tag",
                )
            if tag not in chosen:
                chosen.append(tag)
        return chosen


class FollowForm(forms.Form):
    """What to follow and how often: the subscribe and the manage page."""

    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        help_text=_("A region includes its districts."),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    tags = TagsField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, as shown on releases."),
    )
    release_languages = forms.MultipleChoiceField(
        label=_("Only releases available in"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: releases in any language."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Digest time (Almaty)"), choices=HOURS, coerce=int, initial=8
    )

    def __init__(self, *args, extra_region=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Districts are followed with their region; a district's own page offers it alone.
        regions = Region.objects.exclude(kind=Region.Kind.DISTRICT)
        if extra_region is not None:
            regions = regions | Region.objects.filter(pk=extra_region.pk)
        self.fields["regions"].queryset = regions.order_by("kind", "name_en")
        self.fields["regions"].label_from_instance = lambda region: region.name
        self.fields["agencies"].queryset = Agency.objects.order_by("name_en")
        self.fields["agencies"].label_from_instance = lambda agency: agency.name

    def choices(self, language: str) -> Choices:
        data = self.cleaned_data
        return Choices(
            language=language,
            regions=list(data["regions"]),
            agencies=list(data["agencies"]),
            tags=data["tags"],
            release_languages=data["release_languages"],
            frequency=data["frequency"],
            digest_hour=data["digest_hour"],
        )


class SubscribeForm(FollowForm):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    field_order = ["email"]


def initial_of(choices: Choices) -> dict:
    return {
        "regions": choices.regions,
        "agencies": choices.agencies,
        "tags": ", ".join(tag.name for tag in choices.tags),
        "release_languages": choices.release_languages,
        "frequency": choices.frequency,
        "digest_hour": choices.digest_hour,
    }
