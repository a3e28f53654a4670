"""No request an anonymous client can send makes a Sentry event, except a real unhandled
exception in the app: each abuse is sent through Django's WSGI handler, and the events
the SDK hands its transport are counted, with a real 500 as the control."""

import logging

import pytest
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.urls import path


def form_view(request):
    return HttpResponse(str(len(request.POST)))


def broken_view(request):
    raise RuntimeError("a real bug")


urlpatterns = [path("form/", form_view), path("broken/", broken_view)]


@pytest.fixture
def client(settings, module_client):
    settings.SENTRY_DEBUG_ROUTE_ENABLED = False
    return module_client


def served_as_by_a_server(send, *args, **kwargs):
    """Django's own error views read such a body again, and the BadRequest escapes its
    handler: a server answers 500 then, and logs the exception as an error."""
    try:
        return send(*args, **kwargs)
    except BadRequest:
        return 500, b""


ABUSES = {
    "bad Host header": lambda client: client.get("/form/", headers={"Host": "evil.example"}),
    "CSRF failure": lambda client: client.post("/form/", {"name": "x"}),
    "body over DATA_UPLOAD_MAX_MEMORY_SIZE": lambda client: client.post(
        "/form/", "a=" + "x" * 3_000_000, content_type="application/x-www-form-urlencoded"
    ),
    "more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS": lambda client: client.post(
        "/form/", "&".join(f"f{n}=1" for n in range(1500)), content_type="application/x-www-form-urlencoded"
    ),
    "a form in a charset Django cannot decode": lambda client: served_as_by_a_server(
        client.post,
        "/form/",
        "a=b",
        content_type="application/x-www-form-urlencoded; charset=utf-7",
        headers={"Cookie": "csrftoken=" + "a" * 32},
    ),
    "the debug route while it is off": lambda client: client.get("/api/sentry-debug/"),
    "a path that does not exist": lambda client: client.get("/wp-login.php"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("abuse", ABUSES)
def test_abuse_makes_no_event_but_a_real_error_does(start_sentry, client, abuse):
    transport = start_sentry()

    status, _ = ABUSES[abuse](client)

    assert status >= 400
    assert transport.events == []
    assert client.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
def test_a_security_warning_is_still_a_breadcrumb_of_the_next_real_error(start_sentry, client):
    transport = start_sentry()

    logging.getLogger("django.security.csrf").warning("Forbidden (CSRF cookie not set.): /form/")
    logging.getLogger("api").error("a real error")

    [event] = transport.events
    assert "Forbidden (CSRF cookie not set.): /form/" in [
        crumb.get("message") for crumb in event["breadcrumbs"]["values"]
    ]
