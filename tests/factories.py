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


class ImageFactory(DjangoModelFactory):
    """A photo's row as the upload service leaves it; no file is stored, which pages never
    read (they name the file's address, media_library.views serves it)."""

    class Meta:
        model = "media_library.Image"

    file = factory.Sequence(lambda n: f"images/{n:032x}.jpg")
    alt_ru = "Аким на встрече с жителями"
    alt_en = "The akim meets residents"
    credit = "Пресс-служба акимата"
    licence = "own"
    width = 1800
    height = 1200
    agency = factory.SubFactory(AgencyFactory)


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = "media_library.Attachment"

    file = factory.Sequence(lambda n: f"documents/{n:032x}.pdf")
    title_ru = "Постановление акимата"
    title_en = "Resolution of the akimat"
    kind = "pdf"
    size = 245_760
    page_count = 3
    agency = factory.SubFactory(AgencyFactory)
