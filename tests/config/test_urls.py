"""Every route of the URLconf (the public site, the API, the admin) answers hostile values
in its path and query with a 4xx, never a server error.

The routes are read from the URLconf itself, so a new page is swept without being listed
here; the admin's filters and autocomplete fields are read from its registry.
"""

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import timezone

from accreditation import links
from accreditation.models import Accreditation
from media_library import services
from media_library.models import LeadImage
from news.models import ImportRun, ImportSource

from ..factories import AgencyFactory, ArticleFactory
from ..media_library.files import jpeg
from ..public.pages import published

pytestmark = pytest.mark.django_db

# What a careless or hostile client sends, as it appears in a path: a NUL (PostgreSQL
# refuses it), digits of other scripts (superscript two, Arabic-Indic three: isdigit() yet
# not, or not only, ASCII), numbers past every column, a line separator, bytes that are
# not UTF-8, an encoded slash, a long value.
HOSTILE = [
    "%00",
    "a%00b",
    "%C2%B2",
    "%D9%A3",
    "99999999999999999999",
    "-1",
    "%E2%80%A8",
    "%ED%B3%BF",
    "%2F..%2F",
    # Long, yet short enough for a page cache key (public.cache) of the address: past 250
    # characters Django warns that memcached could not store it.
    "x" * 150,
]
# The query sweep's smaller set: one of each kind.
HOSTILE_QUERY = ["\x00", "²", "٣", "99999999999999999999"]
PUBLIC_PARAMETERS = [
    "q", "page", "before", "after", "tag", "agency", "region", "language", "date_from",
    "date_to", "page_size", "p",
]  # fmt: skip
ADMIN_PARAMETERS = ["q", "p", "o", "e", "_changelist_filters", "agency", "region", "state"]
# Third-party admins run Django's generic views, swept through their lists; their
# object pages are Django's own code.
OWN_APPS = ("news", "agencies", "media_library")
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\([^)]*\)")


def routes(patterns=None, prefix: str = ""):
    """Every route as a path, its parameters as `<name>`, and its name."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = "en/"
        elif isinstance(pattern, RoutePattern):
            part = str(pattern._route)
        else:
            part = pattern._regex.removeprefix("^").removesuffix("$")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + part)
        else:
            yield prefix + part, entry.name


def parameters(route: str) -> list[str]:
    return [named or unnamed or "group" for named, unnamed in PLACEHOLDER.findall(route)]


def fill(route: str, values: dict[str, str]) -> str:
    """The route's path with `values` (already as a path writes them) for its parameters."""

    def value(match):
        return values[match.group(1) or match.group(2) or "group"]

    return "/" + PLACEHOLDER.sub(value, route)


def is_swept(route: str) -> bool:
    if not route.startswith("admin/"):
        return True
    return route.count("/") < 3 or route.split("/")[1] in (*OWN_APPS, "r")


@pytest.fixture
def world(agency, editor, settings, tmp_path):
    """One of everything a route can name, so a good value reaches the view."""
    article = published(agency=agency, title="Roads repaired", tags=["roads"])
    settings.MEDIA_ROOT = str(tmp_path)
    photo = services.upload_image(
        data=jpeg(), user=editor, agency=agency, alt_en="Repaired road", licence="own"
    )
    LeadImage.objects.create(article=article, image=photo)
    source = ImportSource.objects.create(name="Feed", kind=ImportSource.Kind.RSS)
    ImportRun.objects.create(source=source, input_name="feed.xml")
    AgencyFactory()
    # A journalist's personal link to a release under embargo (accreditation.links).
    embargoed = ArticleFactory(
        agency=agency, status="scheduled", publish_at=timezone.now() + timedelta(days=1)
    )
    journalist = Accreditation.objects.create(
        journalist="Journalist", outlet="Outlet", email="journalist@example.kz", languages=["en"]
    )
    journalist.agencies.set([agency])
    good = {
        "object_id": str(article.pk),
        "content_type_id": "1",
        "slug": quote(article.slug),
        "id_or_slug": article.slug,
        "pk": str(article.pk),
        "year": "2025",
        "month": "3",
        "day": "1",
        "language": "kk",
        "transition_name": "approve",
        "history_id": str(article.history.first().history_id),
        "section": "articles",
        "app_label": "news",
        "url": "news/",
        "id": str(editor.pk),
        "group": str(article.pk),
        "key": str(photo.key),
        "name": "original.jpg",
        "token": links.make_token(journalist, embargoed, embargoed),
    }
    return good


def sweep_paths(client: Client, good: dict[str, str]) -> list[str]:
    failures = []
    for route, _name in routes():
        names = parameters(route)
        if not names or not is_swept(route):
            continue
        for name in dict.fromkeys(names):
            for value in HOSTILE:
                path = fill(route, {**good, name: value})
                status = client.get(path).status_code
                if status >= 500:
                    failures.append(f"{status} GET {path[:120]}")
    return failures


def sweep_query(client: Client, path: str, names) -> list[str]:
    failures = []
    for name in names:
        for value in HOSTILE_QUERY:
            status = client.get(path, {name: value}).status_code
            if status >= 500:
                failures.append(f"{status} GET {path}?{urlencode({name: value})[:100]}")
    return failures


def list_routes(prefix: str) -> list[str]:
    return [
        "/" + route
        for route, _name in routes()
        if route.startswith(prefix) and not parameters(route) and "openapi" not in route
    ]


def changelists(client: Client) -> list[tuple[str, list[str]]]:
    """Each admin list the client may open, with the parameters of its filters."""
    found = []
    for model in admin.site._registry:
        opts = model._meta
        path = f"/admin/{opts.app_label}/{opts.model_name}/"
        response = client.get(path)
        if response.status_code != 200:
            continue
        filters = [
            name for spec in response.context["cl"].filter_specs
            for name in spec.expected_parameters()
        ]  # fmt: skip
        if opts.app_label not in OWN_APPS:
            filters = filters[:2]
        found.append((path, [*ADMIN_PARAMETERS, *filters]))
    return found


def autocomplete_fields() -> list[dict[str, str]]:
    return [
        {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": f}
        for model, model_admin in admin.site._registry.items()
        for f in model_admin.autocomplete_fields
    ]


def sweep_autocomplete(client: Client) -> list[str]:
    failures = []
    for field in autocomplete_fields():
        for value in [*HOSTILE_QUERY, "x" * 2000]:
            for name in ("term", "page"):
                response = client.get("/admin/autocomplete/", {**field, name: value})
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} autocomplete {field} {name}")
    return failures


def report(failures: list[str]) -> str:
    return f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def signed_in(request, editor, press_officer):
    client = Client(raise_request_exception=False)
    client.force_login({"editor": editor, "press officer": press_officer}[request.param])
    return client


def test_every_route_is_swept():
    swept = {route for route, _name in routes() if parameters(route) and is_swept(route)}
    assert "en/archive/<year:year>/<month:month>/<day:day>/" in swept
    assert "api/v1/articles/<id_or_slug>" in swept
    assert "admin/news/article/<path:object_id>/revisions/<id:history_id>/" in swept
    assert "admin/agencies/agency/<path:object_id>/change/" in swept
    assert {"admin/auth/user/<path:object_id>/change/"}.isdisjoint(swept)


def test_hostile_paths_and_queries_are_never_a_server_error_for_readers(anonymous, world):
    failures = sweep_paths(anonymous, world)
    for path in [*list_routes("en/"), *list_routes("api/v1/"), "/sitemap.xml"]:
        failures += sweep_query(anonymous, path, PUBLIC_PARAMETERS)

    assert not failures, report(failures)


@pytest.mark.parametrize("signed_in", ["editor", "press officer"], indirect=True)
def test_hostile_paths_and_queries_are_never_a_server_error_in_the_admin(signed_in, world):
    failures = sweep_paths(signed_in, world)
    for path, names in changelists(signed_in):
        failures += sweep_query(signed_in, path, names)
    failures += sweep_query(signed_in, "/admin/news/article/translations/", ADMIN_PARAMETERS)
    failures += sweep_autocomplete(signed_in)

    assert not failures, report(failures)
