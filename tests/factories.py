import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from agencies.models import Agency, AgencyMembership, Region
from news.models import Article


def seeded_region(iso_code: str) -> Region:
    """Regions come from the data migration; tests use them rather than inventing more."""
    return Region.objects.get(iso_code=iso_code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.kz")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))
        if create:
            self.save()


class DistrictFactory(DjangoModelFactory):
    """A district of a seeded region (the seed data has none)."""

    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    kind = Region.Kind.DISTRICT
    parent = factory.LazyFunction(lambda: seeded_region("KZ-79"))
    slug = factory.Sequence(lambda n: f"test-district-{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")
    name_ru = factory.Sequence(lambda n: f"Тестовый район {n}")
    name_kk = factory.Sequence(lambda n: f"Сынақ ауданы {n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"test-agency-{n}")
    name_en = factory.Sequence(lambda n: f"Test Agency {n}")
    name_ru = factory.Sequence(lambda n: f"Тестовое ведомство {n}")
    name_kk = factory.Sequence(lambda n: f"Сынақ мекемесі {n}")
    kind = Agency.Kind.AKIMAT
    region = factory.LazyFunction(lambda: seeded_region("KZ-79"))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = AgencyMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Press release number {n}")
    lead = "A short lead."
    body = "<p>The body of the release.</p>"
    language = "en"
    agency = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda article: article.agency.region)
    author = None

    @factory.post_generation
    def tags(self, create, names, **kwargs):
        if create and names:
            self.tags.add(*names)
