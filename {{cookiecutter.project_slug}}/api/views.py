"""The first API routes: a health probe, and a route that fails on purpose for Sentry."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    return JsonResponse({"status": "ok"})


# Exempt from CSRF so that any method reaches the raise, as a curl smoke test expects.
@csrf_exempt
def sentry_debug(request):
    """Raise ZeroDivisionError, so one request proves errors reach Sentry.

    Off in production unless SENTRY_DEBUG_ROUTE_ENABLED=true: anyone who found it could
    fill the Sentry project's error quota.
    """
    if not settings.SENTRY_DEBUG_ROUTE_ENABLED:
        raise Http404
    return JsonResponse({"result": 1 / 0})
