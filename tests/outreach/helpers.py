from datetime import timedelta

from django.utils import timezone

from news import workflow
from news.models import Article
from tests.factories import ArticleFactory


def publish(editor, **kwargs) -> Article:
    """A release taken to published through the workflow, as an editor does."""
    article = ArticleFactory(status=Article.Status.APPROVED, **kwargs)
    return workflow.apply_transition("publish", article=article, user=editor)


def published_since(hours: float, **kwargs) -> Article:
    """A release public for `hours` (no workflow step: nobody is told of it at once)."""
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=hours),
        **kwargs,
    )


def translate(original: Article, language: str, **kwargs) -> Article:
    """A published version of `original` in `language`, translated by a person."""
    from news.models import Translation

    version = ArticleFactory(
        language=language,
        translation_group=original.translation_group,
        agency=original.agency,
        region=original.region,
        status=Article.Status.PUBLISHED,
        published_at=original.published_at or timezone.now(),
        **kwargs,
    )
    Translation.objects.create(
        article=version,
        original=original,
        method=Translation.Method.PERSON,
        state=Translation.State.REVIEWED,
        original_version=1,
    )
    return version
