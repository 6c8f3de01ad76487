"""List filters the article and translation task admins share."""

from django.contrib import admin

from news import workflow


class WritableAgencyFilter(admin.RelatedFieldListFilter):
    """Offer only the agencies the user may see, not every agency in the country."""

    def field_choices(self, field, request, model_admin):
        agencies = workflow.agencies_writable_by(request.user).filter(articles__isnull=False)
        return [(agency.pk, str(agency)) for agency in agencies.distinct().order_by("name_en")]
