"""edge/json_depth.py: a body nested deeper than MAX_DEPTH is a 400 and no event, on
allauth's endpoints{% if cookiecutter.api_framework != "none" %}, the API's{% endif %} and a view of the project's own, whatever its
Content-Type says; one at the limit, or with brackets inside its strings, reaches the
view; an upload is left to Django."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from core.urls import urlpatterns as project_urlpatterns
from edge.json_depth import MAX_DEPTH
from tests.routes import urlpatterns as test_urlpatterns


@csrf_exempt
def parse_view(request: HttpRequest) -> HttpResponse:
    """Parses the body as REST framework does (in the charset the request names) or as
    `json.loads(bytes)` does (UTF-8, UTF-16 or UTF-32); invalid JSON is a 422."""
    body = request.body.decode(request.encoding) if request.encoding else request.body
    try:
        return HttpResponse(type(json.loads(body)).__name__)
    except ValueError:
        return HttpResponse("invalid", status=422)


@csrf_exempt
def size_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(len(request.body)))


@csrf_exempt
def upload_view(request: HttpRequest) -> HttpResponse:
    [upload] = request.FILES.getlist("file")
    return HttpResponse(str(upload.size))


urlpatterns = [
    path("parse/", parse_view),
    path("size/", size_view),
    path("upload/", upload_view),
    *test_urlpatterns,
    *project_urlpatterns,
]


def nested(depth, opener="[", closer="]"):
    return opener * depth + closer * depth


def deep_object(depth):
    return '{"a":' * depth + "1" + "}" * depth


DEEP = {
    "array": nested(50_000),
    "object": deep_object(50_000),
    "array in an object": '{"email": "ada@example.com", "password": ' + nested(5_000) + "}",
}
ENDPOINTS = ["/_allauth/app/v1/auth/login", "/_allauth/browser/v1/auth/signup", "/parse/"]
CONTENT_TYPES = [
    "application/json",
    "application/vnd.api+json",
    "text/plain",
    "multipart/form-data; boundary=x",
]


def post(client, path, body, content_type="application/json", **headers):
    request = RequestFactory().generic("POST", path, body, content_type=content_type, **headers)
    return client.serve(request.environ)


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", DEEP)
def test_a_deep_body_is_a_400_and_no_event(start_sentry, served_client, caplog, body, endpoint, content_type):
    transport = start_sentry()

    status, answer = post(served_client, endpoint, DEEP[body], content_type)

    assert status == 400
    assert transport.events == []
    assert json.loads(answer) == {"detail": f"The request body is nested deeper than {MAX_DEPTH} levels."}
    assert "edge.json_depth" in [record.name for record in caplog.records]
    assert served_client.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
def test_a_deep_body_to_an_allowed_origin_says_so(served_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    request = RequestFactory().post(
        "/_allauth/app/v1/auth/login",
        nested(50_000),
        "application/json",
        HTTP_ORIGIN="https://app.example.com",
    )
    answer: dict[str, str] = {}

    served_client.application(
        request.environ,
        lambda status, headers: answer.update(
            {name.lower(): value for name, value in [("status", status), *headers]}
        ),
    )

    assert answer["status"] == "400 Bad Request"
    assert answer["access-control-allow-origin"] == "https://app.example.com"
{%- if cookiecutter.api_framework != "none" %}


@pytest.mark.django_db
def test_a_deep_note_is_a_400_and_no_event(start_sentry, served_client, make_user, session_token):
    from notes.models import Note

    ada = make_user("ada@example.com")
    token = {"HTTP_X_SESSION_TOKEN": session_token("ada@example.com")}
    note = Note.objects.create(author=ada, title="A note")
    transport = start_sentry()
    deep_note = '{"title": "deep", "text": ' + nested(50_000) + "}"

    statuses = [
        post(served_client, "/api/notes/", deep_note, **token)[0],
        served_client.serve(
            RequestFactory().put(f"/api/notes/{note.pk}/", deep_note, "application/json", **token).environ
        )[0],
    ]

    assert statuses == [400, 400]
    assert transport.events == []
{%- endif %}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (nested(MAX_DEPTH), 200),
        (nested(MAX_DEPTH + 1), 400),
        ('[{"a":' * (MAX_DEPTH // 2) + "1" + "}]" * (MAX_DEPTH // 2), 200),
        (deep_object(MAX_DEPTH), 200),
        (deep_object(MAX_DEPTH + 1), 400),
        ("  \n" + nested(MAX_DEPTH + 1), 400),
        ("\ufeff" + nested(MAX_DEPTH + 1), 400),
    ],
    ids=["array at the limit", "array past it", "mixed at the limit", "object at the limit",
         "object past it", "after whitespace", "after a byte order mark"],
)  # fmt: skip
def test_a_body_at_the_limit_passes_and_one_past_it_is_refused(served_client, body, status):
    answer = post(served_client, "/parse/", body.encode())

    assert answer[0] == status


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"title": nested(5_000)}),
        json.dumps({"title": "[" * 5_000}),
        json.dumps({"title": 'say "' + nested(5_000) + '" and \\ "' + nested(5_000) + '"'}),
        json.dumps([{"title": "]" * 5_000 + "}" * 5_000}] * 3),
        json.dumps({"notes": [{"id": n, "tags": ["a", "b"]} for n in range(2_000)]}),
    ],
    ids=[
        "brackets in a string",
        "unclosed in a string",
        "after escaped quotes",
        "closers in strings",
        "many shallow",
    ],
)
def test_brackets_inside_strings_are_not_counted(served_client, body):
    assert post(served_client, "/parse/", body.encode()) == (200, type(json.loads(body)).__name__.encode())


@pytest.mark.parametrize(
    "body",
    [
        '["\\\\", ' + nested(5_000) + "]",  # an escaped backslash closes no string
        '["\\"' + nested(5_000) + '", ' + nested(5_000) + "]",
        '["unterminated ' + nested(5_000),
    ],
    ids=["after an escaped backslash", "after a string holding brackets", "an unterminated string"],
)
def test_brackets_after_a_string_are_counted(served_client, body):
    status, _ = post(served_client, "/parse/", body.encode())

    # An unterminated string holds the rest: the decoder stops there, and so does the scan.
    assert status == (422 if "unterminated" in body else 400)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (nested(50_000).encode("utf-16-le"), "application/json"),
        (nested(50_000).encode("utf-16"), "application/json"),
        (nested(50_000).encode("utf-32-be"), "application/json"),
        # In Shift_JIS, "ソ" ends in the byte of a backslash: read as UTF-8, the quote after it
        # would be escaped, and the brackets that follow inside a string.
        (('["ソ", ' + nested(50_000) + "]").encode("shift_jis"), "application/json; charset=shift_jis"),
    ],
    ids=["UTF-16-LE", "UTF-16 with a byte order mark", "UTF-32-BE", "the charset it names"],
)
def test_a_body_is_read_in_every_encoding_a_parser_may_read(served_client, body, content_type):
    status, _ = post(served_client, "/parse/", body, content_type)

    assert status == 400


@pytest.mark.parametrize(
    ("body", "content_type", "view"),
    [
        ("a=" + "[" * 5_000, "application/x-www-form-urlencoded", "/size/"),
        ("email=" + nested(5_000), "text/plain", "/size/"),
        ('"' + nested(5_000) + '"', "application/json", "/parse/"),
    ],
    ids=["a form", "text", "a JSON string"],
)
def test_a_body_that_opens_no_array_or_object_is_not_scanned(served_client, body, content_type, view):
    assert post(served_client, view, body, content_type)[0] == 200


@pytest.mark.parametrize("size", [10_000, 200_000], ids=["within DATA_UPLOAD_MAX_MEMORY_SIZE", "past it"])
def test_an_upload_full_of_brackets_reaches_the_view(served_client, settings, size):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    brackets = SimpleUploadedFile("brackets.json", b"[" * size, content_type="application/json")
    upload = RequestFactory().post("/upload/", {"file": brackets})

    assert served_client.serve(upload.environ) == (200, str(size).encode())


@pytest.mark.django_db
def test_a_body_past_DATA_UPLOAD_MAX_MEMORY_SIZE_is_still_djangos_400(start_sentry, served_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    transport = start_sentry()

    statuses = [
        post(served_client, "/parse/", nested(20_000))[0],
        post(served_client, "/_allauth/app/v1/auth/login", json.dumps({"email": "a" * 20_000}))[0],
    ]

    assert statuses == [400, 400]
    assert transport.events == []
