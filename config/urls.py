from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from config.health import healthz, readyz
from public.api import api
from public.cache import cache_public_page
from public.sitemaps import sitemaps
from public.views import favicon, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Photos and files of releases, served once their release is public (media_library.access).
    path("files/", include("media_library.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's among them).
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.index),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_public_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

# The public site carries its language in the URL; `/` and any unprefixed page redirect
# to the visitor's language (LocaleMiddleware, from the Accept-Language header).
urlpatterns += i18n_patterns(
    # Accredited journalists' personal links to releases under embargo.
    path("embargoed/", include("accreditation.urls")),
    path("", include("public.urls")),
)
urlpatterns += i18n_patterns(path("subscribe/", include("outreach.urls")))
