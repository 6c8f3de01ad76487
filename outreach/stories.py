"""Releases as subscribers receive them: a story is one translation group, with its public
language versions, and who follows it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.db.models.functions import Coalesce

from agencies.models import Region
from news.models import Article

from .models import Subscription

PUBLIC_TIME = Coalesce("published_at", "publish_at")


@dataclass
class Story:
    key: Article  # the original: deliveries are recorded against it, once per story
    versions: dict[str, Article]  # the public versions by language
    region_ids: frozenset[int]  # its region and, for a district, the region it is part of
    agency_id: int | None
    tag_ids: frozenset[int]
    first_public: datetime

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.versions)

    def version_for(self, language: str) -> tuple[Article, bool]:
        """The version in `language`, else the original (else any public one), and whether
        it is in another language than asked."""
        if language in self.versions:
            return self.versions[language], False
        fallback = self.versions.get(self.key.language) or next(iter(self.versions.values()))
        return fallback, True


def public_versions():
    return (
        Article.objects.published()
        .annotate(public_time=PUBLIC_TIME)
        .select_related("agency", "region", "lead_image__image")
        .prefetch_related("tags")
    )


def _country_id() -> int | None:
    return Region.objects.filter(kind=Region.Kind.COUNTRY).values_list("pk", flat=True).first()


def _region_ids(article: Article, country_id: int | None) -> frozenset[int]:
    # As Article.objects.in_region: a district's releases are its region's; a release with
    # no region is the country's (a national body's).
    region = article.region
    if region is None:
        return frozenset({country_id} if country_id else ())
    return frozenset(pk for pk in (region.pk, region.parent_id) if pk)


def build(versions: list[Article], country_id: int | None) -> Story:
    """A story from the public versions of one translation group (annotated public_time)."""
    by_language = {version.language: version for version in versions}
    originals = [v for v in versions if v.is_original]
    main = originals[0] if originals else min(versions, key=lambda v: v.pk)
    return Story(
        key=main,
        versions=by_language,
        region_ids=_region_ids(main, country_id),
        agency_id=main.agency_id,
        tag_ids=frozenset(tag.pk for version in versions for tag in version.tags.all()),
        first_public=min(version.public_time for version in versions),
    )


def story_of(article_id: int) -> Story | None:
    """The story of a public release; None once it is no longer public."""
    group = (
        Article.objects.published()
        .filter(pk=article_id)
        .values_list("translation_group", flat=True)
        .first()
    )
    if group is None:
        return None
    versions = list(
        public_versions().filter(translation_group=group).select_related("translation_record")
    )
    story = build(versions, _country_id())
    key = (
        Article.objects.filter(translation_group=group, translation_record__isnull=True)
        .order_by("pk")
        .first()
    )
    if key is not None:  # the original, even while only a translation is public
        story.key = key
    return story


def stories_first_public_between(start: datetime, end: datetime) -> list[Story]:
    """Stories whose first public version became public in [start, end), oldest first."""
    groups = (
        Article.objects.published()
        .annotate(public_time=PUBLIC_TIME)
        .filter(public_time__gte=start, public_time__lt=end)
        .values("translation_group")
    )
    versions: dict = {}
    for version in (
        public_versions()
        .filter(translation_group__in=groups)
        .select_related("translation_record")
        .order_by("pk")
    ):
        versions.setdefault(version.translation_group, []).append(version)
    country_id = _country_id()
    stories = [build(group, country_id) for group in versions.values()]
    return sorted(
        (story for story in stories if start <= story.first_public < end),
        key=lambda story: story.first_public,
    )


def immediate_subscribers(story: Story):
    """Confirmed subscriptions sent each release at once that follow the story."""
    follows = (
        Q(follows_everything=True)
        | Q(
            pk__in=Subscription.regions.through.objects.filter(
                region_id__in=story.region_ids
            ).values("subscription_id")
        )
        | Q(
            pk__in=Subscription.tags.through.objects.filter(tag_id__in=story.tag_ids).values(
                "subscription_id"
            )
        )
    )
    if story.agency_id:
        follows |= Q(
            pk__in=Subscription.agencies.through.objects.filter(agency_id=story.agency_id).values(
                "subscription_id"
            )
        )
    languages = Q(release_languages="")
    for code in story.languages:
        languages |= Q(release_languages__contains=code)
    return (
        Subscription.objects.confirmed()
        .filter(frequency=Subscription.Frequency.IMMEDIATE)
        .filter(follows)
        .filter(languages)
    )


@dataclass(frozen=True)
class Follows:
    """What one subscription follows, as ids, to match stories in Python."""

    everything: bool
    region_ids: frozenset[int]
    agency_ids: frozenset[int]
    tag_ids: frozenset[int]
    languages: frozenset[str]

    def match(self, story: Story) -> bool:
        if self.languages and not self.languages & story.languages:
            return False
        return (
            self.everything
            or bool(self.region_ids & story.region_ids)
            or story.agency_id in self.agency_ids
            or bool(self.tag_ids & story.tag_ids)
        )


def follows_of(subscriptions: list[Subscription]) -> dict[int, Follows]:
    """Each subscription's follows, in three queries for the lot."""
    ids = [s.pk for s in subscriptions]
    sets: dict[str, dict[int, set]] = {}
    for name, column in (("regions", "region_id"), ("agencies", "agency_id"), ("tags", "tag_id")):
        through = getattr(Subscription, name).through
        found: dict[int, set] = {}
        for subscription_id, target in through.objects.filter(subscription_id__in=ids).values_list(
            "subscription_id", column
        ):
            found.setdefault(subscription_id, set()).add(target)
        sets[name] = found
    return {
        s.pk: Follows(
            everything=s.follows_everything,
            region_ids=frozenset(sets["regions"].get(s.pk, ())),
            agency_ids=frozenset(sets["agencies"].get(s.pk, ())),
            tag_ids=frozenset(sets["tags"].get(s.pk, ())),
            languages=frozenset(s.languages),
        )
        for s in subscriptions
    }
