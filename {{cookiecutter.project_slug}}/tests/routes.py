"""Small views that tests of what runs around them serve through `wsgi_client` or
`served_client`: a test module uses them with `from tests.routes import urlpatterns`."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

logger = logging.getLogger("ops")


def form_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(len(request.POST)))


def query_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.GET.get("q", ""))


def session_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"visits={request.session.get('visits', 0)}")


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a real bug")


def working_then_broken_view(request: HttpRequest) -> HttpResponse:
    """A query, a log line, then a bug: one request gives a span of its own, a Sentry Log
    (at SENTRY_LOGS_LEVEL=INFO) and an event."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    logger.info("about to fail")
    raise RuntimeError("a real bug")


urlpatterns = [
    path("form/", form_view),
    path("query/", query_view),
    path("session/", session_view),
    path("broken/", broken_view),
    path("working-then-broken/", working_then_broken_view),
]
