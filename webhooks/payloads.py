"""The body of an event: Standard Webhooks' envelope around the API's article detail.

The article is rendered by the API's own schema and renderer (public.api.ArticleDetail,
api.renderer), so a partner's webhook and `GET /api/v1/articles/{id}` cannot drift apart.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from news.models import Article
from public.api import ArticleDetail, api
from public.selectors import PUBLIC_AT, RELEASE_MEDIA, TAGS


class SiteRequest(HttpRequest):
    """A request as if made to the public site (PRESSROOM_SITE_URL): the API's schema makes
    its absolute links from a request, and there is none in a worker."""

    def __init__(self, site_url: str):
        super().__init__()
        parts = urlsplit(site_url)
        self._site_scheme = parts.scheme or "http"
        self._site_host = parts.netloc
        self.path = self.path_info = "/"
        self.method = "GET"

    def _get_scheme(self):
        return self._site_scheme

    def get_host(self):
        # The operator's setting, not a client's Host header: nothing to validate.
        return self._site_host


def site_request() -> SiteRequest:
    return SiteRequest(settings.PRESSROOM_SITE_URL)


def article_for_payload(pk: int) -> Article | None:
    """The article with what its detail shows, loaded as the API loads it, whatever its
    status (an unpublished release is described too)."""
    return (
        Article.objects.select_related("agency", "region", "lead_image__image")
        .prefetch_related(TAGS, *RELEASE_MEDIA)
        .annotate(public_at=PUBLIC_AT)
        .filter(pk=pk)
        .first()
    )


def article_detail(article: Article, request: HttpRequest) -> dict:
    """The article as the API's detail describes it (before JSON encoding)."""
    return ArticleDetail.from_orm(article, context={"request": request}).model_dump()


def event_body(event_type: str, created_at: datetime, data: dict, request: HttpRequest) -> str:
    """The JSON text of an event, encoded by the API's renderer."""
    envelope = {"type": event_type, "timestamp": created_at, "data": data}
    return api.renderer.render(request, envelope, response_status=200)
