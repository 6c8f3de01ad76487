import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from webhooks.models import RELEASE_EVENTS, Delivery, DeliveryAttempt, Endpoint, Event


class EndpointFactory(DjangoModelFactory):
    class Meta:
        model = Endpoint
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n}")
    url = "https://partner.example.kz/hooks"
    events = factory.LazyFunction(lambda: [str(event) for event in RELEASE_EVENTS])

    @factory.post_generation
    def regions(self, create, regions, **kwargs):
        if regions:
            self.regions.set(regions)

    @factory.post_generation
    def agencies(self, create, agencies, **kwargs):
        if agencies:
            self.agencies.set(agencies)


class DeliveryFactory(DjangoModelFactory):
    """A delivery of a release.published event; `failed_with=503` logs that many failed
    attempts (`attempts`) and leaves it waiting for the next."""

    class Meta:
        model = Delivery
        skip_postgeneration_save = True

    class Params:
        article = None

    endpoint = factory.SubFactory(EndpointFactory)
    event = factory.LazyAttribute(
        lambda delivery: Event.objects.create(
            type="release.published",
            article=delivery.article,
            body='{"type": "release.published", "data": {}}',
            created_at=timezone.now(),
        )
    )
    created_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, failed_with=None, **kwargs):
        delivery = super()._create(model_class, *args, **kwargs)
        if failed_with:
            for number in range(1, delivery.attempts + 1):
                DeliveryAttempt.objects.create(
                    delivery=delivery,
                    number=number,
                    started_at=timezone.now(),
                    status_code=failed_with,
                    duration_ms=120,
                    error_code="status",
                )
            delivery.last_status_code = failed_with
            delivery.last_duration_ms = 120
            delivery.last_error_code = "status"
            delivery.save()
        return delivery
