import factory
from factory.django import DjangoModelFactory

from accreditation.models import Accreditation


class AccreditationFactory(DjangoModelFactory):
    class Meta:
        model = Accreditation
        skip_postgeneration_save = True

    journalist = factory.Sequence(lambda n: f"Journalist {n}")
    outlet = "Kazinform"
    email = factory.Sequence(lambda n: f"journalist{n}@press.example.kz")
    languages = factory.LazyFunction(lambda: ["ru"])

    @factory.post_generation
    def regions(self, create, regions, **kwargs):
        if create and regions:
            self.regions.set(regions)

    @factory.post_generation
    def agencies(self, create, agencies, **kwargs):
        if create and agencies:
            self.agencies.set(agencies)

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.set(tags)
