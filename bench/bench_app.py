"""Copied into the baked project by bench/run.py: the views the benchmark loads.

`/bench/orm/` does what a typical API view does: one ORM query and one INFO log line.
Everything else is the project's own routes (health, the Sentry debug route).
"""

import logging

from django.contrib.auth.models import User
from django.http import JsonResponse
from django.urls import include, path

logger = logging.getLogger("bench")


def orm_view(request):
    exists = User.objects.filter(pk=1).exists()
    logger.info("looked up user 1: %s", exists)
    return JsonResponse({"exists": exists})


urlpatterns = [
    path("", include("core.urls")),
    path("bench/orm/", orm_view),
]
