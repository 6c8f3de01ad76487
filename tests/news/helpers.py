from datetime import timedelta

from django.utils import timezone

from news.models import Article

from ..factories import ArticleFactory

Status = Article.Status


def article_in(status: str, **kwargs) -> Article:
    """An article already in `status`, with the dates that state requires."""
    now = timezone.now()
    if status == Status.SCHEDULED:
        kwargs.setdefault("publish_at", now + timedelta(days=1))
    if status in (Status.PUBLISHED, Status.UNPUBLISHED):
        kwargs.setdefault("published_at", now - timedelta(days=1))
    return ArticleFactory(status=status, **kwargs)


def transition_kwargs(name: str) -> dict:
    kwargs = {"comment": "Because the figures need a source."}
    if name == "schedule":
        kwargs["publish_at"] = timezone.now() + timedelta(hours=2)
    return kwargs
