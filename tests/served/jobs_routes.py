"""Copied into a Celery bake by the template's background-job tests: the project's own
routes, plus routes that queue its tasks the way the project's own views would, and
routes that keep and read a session."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from jobs_tasks import hold_until_released
from ops.tasks import clear_expired_sessions, send_email


def queue_clean_up(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"id": clear_expired_sessions.delay().id}, status=202)


def queue_email(request: HttpRequest) -> JsonResponse:
    task = send_email.delay(
        to_email=request.GET["to"], subject=request.GET["subject"], body=request.GET["body"]
    )
    return JsonResponse({"id": task.id}, status=202)


def queue_hold(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"id": hold_until_released.delay(folder=request.GET["folder"]).id}, status=202)


def remember(request: HttpRequest) -> JsonResponse:
    request.session["cart"] = "control-cart"
    return JsonResponse({"remembered": True})


def recall_and_fail(request: HttpRequest) -> JsonResponse:
    raise RuntimeError(f"could not check out {request.session.get('cart')}")


urlpatterns = [
    path("", include("core.urls")),
    path("queue/clean-up/", queue_clean_up),
    path("queue/email/", queue_email),
    path("queue/hold/", queue_hold),
    path("session/remember/", remember),
    path("session/fail/", recall_and_fail),
]
