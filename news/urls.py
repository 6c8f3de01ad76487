"""Public site URLs, mounted under the language prefix (/kk/, /ru/, /en/) in config.urls.

Every page and feed is cached for anonymous readers (news.cache); the editors' preview is
not.
"""

from django.urls import path

from . import stats, views
from .cache import cache_public_page as cached
from .feeds import AgencyFeed, ArticleFeed, RegionFeed, TagFeed, atom

app_name = "news"


def feeds(prefix: str, feed_class, name: str) -> list:
    return [
        path(f"{prefix}rss/", cached(feed_class()), name=f"{name}_rss"),
        path(f"{prefix}atom/", cached(atom(feed_class)()), name=f"{name}_atom"),
    ]


urlpatterns = [
    path("", cached(views.home), name="home"),
    path("releases/", cached(views.AllArticlesView.as_view()), name="article_list"),
    *feeds("feeds/", ArticleFeed, "feed"),
    path("releases/<slug:slug>/", cached(views.article_detail), name="article_detail"),
    path("regions/", cached(views.region_index), name="region_index"),
    path("regions/<slug:slug>/", cached(views.RegionView.as_view()), name="region"),
    *feeds("regions/<slug:slug>/", RegionFeed, "region_feed"),
    path("agencies/", cached(views.agency_index), name="agency_index"),
    path("agencies/<slug:slug>/", cached(views.AgencyView.as_view()), name="agency"),
    *feeds("agencies/<slug:slug>/", AgencyFeed, "agency_feed"),
    path("tags/<str:slug>/", cached(views.TagView.as_view()), name="tag"),
    *feeds("tags/<str:slug>/", TagFeed, "tag_feed"),
    path("archive/", cached(views.archive_index), name="archive_index"),
    path("archive/<int:year>/", cached(views.ArchiveView.as_view()), name="archive_year"),
    path(
        "archive/<int:year>/<int:month>/",
        cached(views.ArchiveView.as_view()),
        name="archive_month",
    ),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        cached(views.ArchiveView.as_view()),
        name="archive_day",
    ),
    path("statistics/", cached(stats.weekly_stats), name="stats"),
    path("preview/<int:pk>/", views.article_preview, name="article_preview"),
]
