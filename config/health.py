"""Liveness check for load balancers, container health checks and the site benchmark."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """200 while the web process serves requests. It touches neither the database nor the
    cache, so an outage of either does not get healthy web workers restarted."""
    return HttpResponse("ok\n", content_type="text/plain")
