"""No request an anonymous client can send makes a Sentry event, except a real unhandled
exception in the app: each abuse is sent through Django's WSGI handler, and the events
the SDK hands its transport are counted, with a real 500 as the control."""

import logging

import pytest
from django.core.exceptions import BadRequest
from django.core.signals import request_finished
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from core.wsgi import application
from tests.conftest import WsgiClient


def form_view(request):
    return HttpResponse(str(len(request.POST)))


def query_view(request):
    return HttpResponse(request.GET.get("q", ""))


def session_view(request):
    return HttpResponse(f"visits={request.session.get('visits', 0)}")


def broken_view(request):
    raise RuntimeError("a real bug")


urlpatterns = [
    path("form/", form_view),
    path("query/", query_view),
    path("session/", session_view),
    path("broken/", broken_view),
]


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
    logging.getLogger("ops").error("a real error")

    [event] = transport.events
    assert "Forbidden (CSRF cookie not set.): /form/" in [
        crumb.get("message") for crumb in event["breadcrumbs"]["values"]
    ]


@pytest.fixture
def served(settings, client):
    """Requests through core.wsgi, as gunicorn sends them, with this module's routes."""
    return WsgiClient(application)


def sent_in(served, content_type):
    """A GET of /query/?q=x through core.wsgi, with this Content-Type header."""
    environ = served.factory.get("/query/", {"q": "x"}).environ
    environ["CONTENT_TYPE"] = content_type
    return served.serve(environ)


UNDECODABLE_CHARSETS = ["hex", "base64", "rot13", "zlib", "undefined", "idna", "no-such-charset"]


@pytest.mark.django_db
@pytest.mark.parametrize("charset", UNDECODABLE_CHARSETS)
def test_a_request_in_a_charset_django_cannot_decode_is_a_400_a_log_line_and_no_event(
    start_sentry, served, caplog, charset
):
    transport = start_sentry()

    status, _ = sent_in(served, f"text/plain; charset={charset}")

    assert status == 400
    assert transport.events == []
    assert [record.name for record in caplog.records] == ["edge.charset"]
    assert served.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; title*=undefined''%41",  # UnicodeError
        "text/plain; charset*=hex",  # LookupError: read as charset=hex
        "text/plain; title*=x; title*0*=y",  # TypeError in the parser itself
    ],
)
def test_a_content_type_whose_rfc_2231_parameters_django_cannot_read_is_a_400(served, content_type):
    # RFC 2231 lets any parameter name its charset; Django decodes it while it reads the
    # request's headers, before any middleware.
    assert sent_in(served, content_type)[0] == 400


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "latin1", "windows-1252", "shift_jis"])
def test_a_request_in_a_text_charset_is_read(served, charset):
    assert sent_in(served, f"text/plain; charset={charset}") == (200, b"x")


NUL_SESSION_COOKIE = 'sessionid="\\000' + "a" * 31 + '"'  # cookie quoting: \000 is a NUL


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine",
    ["db", "cache", "cached_db", "file", "signed_cookies"],
)
def test_a_session_cookie_that_cannot_be_a_key_is_no_session_and_no_event(
    start_sentry, served, settings, caplog, tmp_path, engine
):
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    settings.SESSION_FILE_PATH = str(tmp_path)
    transport = start_sentry()

    with CaptureQueriesContext(connection) as queries:
        answer = WsgiClient().get("/session/", HTTP_COOKIE=NUL_SESSION_COOKIE)

    assert answer == (200, b"visits=0")
    assert not [query for query in queries if "\x00" in query["sql"]]
    assert transport.events == []
    assert "edge.session_cookie" in [record.name for record in caplog.records]
    assert served.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
def test_a_session_cookie_shaped_like_a_key_is_looked_up(client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    with CaptureQueriesContext(connection) as queries:
        answer = WsgiClient().get("/session/", HTTP_COOKIE="sessionid=" + "a" * 32)

    assert answer == (200, b"visits=0")
    assert [query for query in queries if "a" * 32 in query["sql"]]


@pytest.mark.django_db
def test_a_head_request_is_answered_without_a_body(start_sentry, served):
    transport = start_sentry()
    finished = []

    def record_finished(**kwargs):
        finished.append(kwargs)

    request_finished.connect(record_finished)
    try:
        head = served.serve(served.factory.head("/query/", {"q": "x"}).environ)
    finally:
        request_finished.disconnect(record_finished)

    assert head == (200, b"")
    assert len(finished) == 1  # closed as a server closes it, so Django ended the request
    assert served.get("/query/", {"q": "x"}) == (200, b"x")  # the control: GET has the body
    assert transport.events == []
