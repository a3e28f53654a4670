"""Copied into a bake by the template's serving tests: the project's own routes, plus
three that fail as real code would (the debug route is off in production), and one that
works and logs."""

import asyncio
import logging
import time

import sentry_sdk
from django.http import HttpResponse
from django.urls import include, path


def broken(request):
    raise RuntimeError("a real bug")


def hang(request):
    time.sleep(3600)  # a view stuck on something that never answers


async def tagged_failure(request):
    # Awaits between tagging and failing, so concurrent requests interleave here.
    sentry_sdk.set_tag("customer", request.GET["customer"])
    await asyncio.sleep(0.3)
    raise RuntimeError(f"failed for {request.GET['customer']}")


def busy(request):
    # Work the profiler can see (it samples every 10 ms), and lines for Sentry Logs.
    logging.getLogger("api").info("pricing the basket for control-basket-7")
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        sum(range(1000))
    logging.getLogger("api").warning("price feed slow, api_key=planted-served-log-key")
    return HttpResponse("ok")


urlpatterns = [
    path("", include("core.urls")),
    path("broken/", broken),
    path("hang/", hang),
    path("tagged-failure/", tagged_failure),
    path("busy/", busy),
]
