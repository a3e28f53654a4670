"""The operational routes: the health probes, and a route that fails on purpose for Sentry."""

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from edge.health import health_status

logger = logging.getLogger(__name__)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The health probe through Django, for the test client and any server that does
    not load core.wsgi; servers that do answer it in edge/health.py without Django's
    middleware. Reachable over plain HTTP in production (SECURE_REDIRECT_EXEMPT)."""
    status, payload = health_status()
    return JsonResponse(payload, status=status)


@require_GET
def liveness(request: HttpRequest) -> JsonResponse:
    """The liveness probe through Django, as health() is: it asks nothing."""
    return JsonResponse({"status": "ok"})


# Exempt from CSRF so that any method reaches the raise, as a curl smoke test expects.
@csrf_exempt
def sentry_debug(request: HttpRequest) -> JsonResponse:
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
