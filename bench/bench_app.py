"""Copied into the baked project by bench/run.py: the views the benchmark loads.

- `/bench/orm/` does what a small API view does: one ORM query and one INFO log line.
- `/bench/api/` does what a real endpoint does: 20 ORM queries over the 300 users
  `seed` creates, serialised to JSON.
- `/bench/json/` parses its JSON body into a variable, and fails on one without items
  (privacy_cost.py).
Everything else is the project's own routes (health, the Sentry debug route).
"""

import json
import logging

from django.contrib.auth.models import Group, User
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("bench")

USERS = 300
PAGES = 20


def orm_view(request):
    exists = User.objects.filter(pk=1).exists()
    logger.info("looked up user 1: %s", exists)
    return JsonResponse({"exists": exists})


def api_view(request):
    page_size = USERS // PAGES
    pages = [
        list(
            User.objects.filter(pk__gt=page * page_size)
            .order_by("pk")
            .values("pk", "username", "email")[:page_size]
        )
        for page in range(PAGES - 1)
    ]
    groups = list(Group.objects.values("name", "user__username")[:USERS])
    logger.info("listed %d users in %d groups", sum(map(len, pages)), len(groups))
    return JsonResponse({"pages": pages, "groups": groups})


@csrf_exempt  # as an API view that takes JSON from other services is
def json_view(request):
    order = json.loads(request.body)
    return JsonResponse({"items": len(order["items"])})


def seed():
    """300 users spread over 3 groups (run once, after migrate)."""
    groups = Group.objects.bulk_create(Group(name=f"team-{n}") for n in range(3))
    users = User.objects.bulk_create(
        User(username=f"user{n}", email=f"user{n}@example.com", first_name=f"User {n}") for n in range(USERS)
    )
    for n, user in enumerate(users):
        user.groups.add(groups[n % len(groups)])


urlpatterns = [
    path("", include("core.urls")),
    path("bench/orm/", orm_view),
    path("bench/api/", api_view),
    path("bench/json/", json_view),
]
