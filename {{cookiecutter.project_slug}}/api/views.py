"""The first API routes: a health probe, and a route that fails on purpose for Sentry."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def health(request):
    """For load-balancer probes: 200 while the app and its database answer, else 503.

    Reachable over plain HTTP in production (SECURE_REDIRECT_EXEMPT), as probes use it.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Exempt from CSRF so that any method reaches the raise, as a curl smoke test expects.
@csrf_exempt
def sentry_debug(request):
    """Raise ZeroDivisionError, so one request proves errors reach Sentry.

    With ?log=warning it logs a warning instead, which proves that log records become
    events, and that the INFO line before it arrives as a breadcrumb.

    Off in production unless SENTRY_DEBUG_ROUTE_ENABLED=true: anyone who found it could
    fill the Sentry project's error quota.
    """
    if not settings.SENTRY_DEBUG_ROUTE_ENABLED:
        raise Http404
    logger.info("Sentry debug route called with %s %s", request.method, request.path)
    if request.GET.get("log") == "warning":
        logger.warning("Sentry debug route: a test warning")
        return JsonResponse({"logged": "warning"})
    return JsonResponse({"result": 1 / 0})
