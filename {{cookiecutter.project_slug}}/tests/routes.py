"""Small views that tests of what runs around them serve through `wsgi_client` or
`served_client`: a test module uses them with `from tests.routes import urlpatterns`."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def form_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(len(request.POST)))


def query_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.GET.get("q", ""))


def session_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"visits={request.session.get('visits', 0)}")


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a real bug")


urlpatterns = [
    path("form/", form_view),
    path("query/", query_view),
    path("session/", session_view),
    path("broken/", broken_view),
]
