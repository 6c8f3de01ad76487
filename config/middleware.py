"""Requests the site refuses before any view reads them."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# PostgreSQL cannot store or compare text holding a NUL character: any query that used such
# a value failed with a server error, wherever the value came from (a path, a filter, a
# search, an autocomplete term).
UNSTORABLE = "\x00"
API_PREFIX = "/api/"
UNREADABLE_REQUEST = "unreadable_request"


def is_unreadable(request) -> bool:
    """Whether the path or a query parameter (name or value) holds what no page can use."""
    return UNSTORABLE in request.path or any(
        UNSTORABLE in name or any(UNSTORABLE in value for value in values)
        for name, values in request.GET.lists()
    )


class RejectUnreadableRequestMiddleware:
    """Answers 400 to a request whose address holds a value no page can use.

    It runs after the middleware that only reads the address to look up a cached page or
    the language, so the page has the reader's language and the headers of every page.
    Form data needs no such check: Django's form fields refuse NUL characters themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_unreadable(request):
            return self.get_response(request)
        message = _("The address contains a character that no page can use.")
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": message, "code": UNREADABLE_REQUEST}, status=400)
        context = {"message": message, "code": UNREADABLE_REQUEST}
        # Not 400.html: Django renders that one without the request (for a disallowed host
        # too), and the site's page needs it.
        return render(request, "bad_request.html", context, status=400)
