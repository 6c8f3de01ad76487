"""Public site URLs, mounted under the language prefix (/kk/, /ru/, /en/) in config.urls.

Every page and feed is cached for anonymous readers (public.cache); the editors' preview is
not.
"""

from django.urls import path

from . import stats, views
from .cache import cache_public_page as cached
from .feeds import ArticleFeed

app_name = "public"


def feeds(prefix: str, section_kind: str) -> list:
    name = f"{section_kind}_feed" if section_kind else "feed"
    return [
        path(
            f"{prefix}{feed_format}/",
            cached(ArticleFeed(section_kind, feed_format)),
            name=f"{name}_{feed_format}",
        )
        for feed_format in ("atom", "rss")
    ]


def section_view(section_kind: str):
    return views.ArticleListView.as_view(section_kind=section_kind)


urlpatterns = [
    path("", cached(views.home), name="home"),
    path("releases/", cached(section_view("")), name="article_list"),
    path("search/", cached(views.SearchView.as_view()), name="search"),
    *feeds("feeds/", ""),
    path("releases/<slug:slug>/", cached(views.article_detail), name="article_detail"),
    path("regions/", cached(views.region_index), name="region_index"),
    path("regions/<slug:slug>/", cached(section_view("region")), name="region"),
    *feeds("regions/<slug:slug>/", "region"),
    path("agencies/", cached(views.agency_index), name="agency_index"),
    path("agencies/<slug:slug>/", cached(section_view("agency")), name="agency"),
    *feeds("agencies/<slug:slug>/", "agency"),
    path("tags/<str:slug>/", cached(section_view("tag")), name="tag"),
    *feeds("tags/<str:slug>/", "tag"),
    path("archive/", cached(views.archive_index), name="archive_index"),
    path("archive/<year:year>/", cached(views.ArchiveView.as_view()), name="archive_year"),
    path(
        "archive/<year:year>/<month:month>/",
        cached(views.ArchiveView.as_view()),
        name="archive_month",
    ),
    path(
        "archive/<year:year>/<month:month>/<day:day>/",
        cached(views.ArchiveView.as_view()),
        name="archive_day",
    ),
    path("statistics/", cached(stats.weekly_stats), name="stats"),
    path("preview/<id:pk>/", views.article_preview, name="article_preview"),
]
