import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.models import Subscription


class SubscriptionFactory(DjangoModelFactory):
    """A confirmed subscription to every release, sent at once."""

    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"journalist{n}@example.kz")
    language = "en"
    confirmed_at = factory.LazyFunction(timezone.now)
    digest_through = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def regions(self, create, regions, **kwargs):
        if create and regions:
            self.regions.set(regions)
            Subscription.objects.filter(pk=self.pk).update(follows_everything=False)
            self.follows_everything = False

    @factory.post_generation
    def agencies(self, create, agencies, **kwargs):
        if create and agencies:
            self.agencies.set(agencies)
            Subscription.objects.filter(pk=self.pk).update(follows_everything=False)
            self.follows_everything = False

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.set(tags)
            Subscription.objects.filter(pk=self.pk).update(follows_everything=False)
            self.follows_everything = False
