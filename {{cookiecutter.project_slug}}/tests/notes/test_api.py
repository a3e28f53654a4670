"""The example resource, /api/notes/: every endpoint, its refusals, and what reaches Sentry."""

import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, RequestFactory

from notes.models import Note
from tests.conftest import WsgiClient

{%- if cookiecutter.api_framework == "ninja" %}

# django-ninja's answers: 422 for invalid input, 401 without a session.
INVALID = 422
UNAUTHENTICATED = 401
PAGE_ITEMS = "items"
BAD_PAGE = 422
DETAIL_ROUTE = "/api/notes/{note_id}/"
{%- else %}

# REST framework's answers: 400 for invalid input, 403 without a session.
INVALID = 400
UNAUTHENTICATED = 403
PAGE_ITEMS = "results"
BAD_PAGE = 404  # "Invalid page."
DETAIL_ROUTE = "/api/notes/{pk}/"
{%- endif %}
# A CSRF secret as Django's cookie holds it, and the same as the header a browser sends.
CSRF_SECRET = "a" * 32

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return User.objects.create_user("ada", password="a long test password")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def note():
    return Note.objects.create(title="First", text="Hello")


def send_json(client, method, path, data):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def test_anyone_lists_the_notes_newest_first_a_page_at_a_time(client):
    for number in range(25):
        Note.objects.create(title=f"note {number:02}")

    first_page = client.get("/api/notes/").json()
    second_page = client.get("/api/notes/", {"page": 2}).json()

    assert first_page["count"] == 25
    assert [item["title"] for item in first_page[PAGE_ITEMS]][:2] == ["note 24", "note 23"]
    assert len(first_page[PAGE_ITEMS]) == 20
    assert len(second_page[PAGE_ITEMS]) == 5


@pytest.mark.parametrize("page_size", [5, 50, 100])
def test_a_page_holds_as_many_notes_as_asked(client, page_size):
    Note.objects.bulk_create(Note(title=f"note {number}") for number in range(120))

    page = client.get("/api/notes/", {"page_size": page_size}).json()

    assert len(page[PAGE_ITEMS]) == page_size


def test_a_page_holds_at_most_100_notes(client):
    Note.objects.bulk_create(Note(title=f"note {number}") for number in range(120))

    response = client.get("/api/notes/", {"page_size": 101})
{%- if cookiecutter.api_framework == "ninja" %}

    assert response.status_code == 422  # Django Ninja refuses it as invalid input
{%- else %}

    assert len(response.json()[PAGE_ITEMS]) == 100  # REST framework gives the most it may
{%- endif %}


def test_the_ordering_parameter_sorts_the_list(client):
    for title in ("b", "c", "a"):
        Note.objects.create(title=title)

    by_title = client.get("/api/notes/", {"ordering": "title"}).json()[PAGE_ITEMS]
    by_title_descending = client.get("/api/notes/", {"ordering": "-title"}).json()[PAGE_ITEMS]

    assert [item["title"] for item in by_title] == ["a", "b", "c"]
    assert [item["title"] for item in by_title_descending] == ["c", "b", "a"]


def test_anyone_reads_a_note(client, note):
    response = client.get(f"/api/notes/{note.pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == "First"
    assert response.json()["text"] == "Hello"


def test_a_missing_note_is_a_404_with_a_json_body(client):
    response = client.get("/api/notes/999/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_signed_in_user_creates_a_note(signed_in):
    response = send_json(signed_in, "post", "/api/notes/", {"title": "New", "text": "Body"})

    assert response.status_code == 201
    created = Note.objects.get(pk=response.json()["id"])
    assert (created.title, created.text) == ("New", "Body")


def test_a_signed_in_user_updates_a_note(signed_in, note):
    response = send_json(signed_in, "put", f"/api/notes/{note.pk}/", {"title": "Renamed", "text": ""})

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    note.refresh_from_db()
    assert note.title == "Renamed"


def test_a_signed_in_user_deletes_a_note(signed_in, note):
    assert signed_in.delete(f"/api/notes/{note.pk}/").status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()
    assert signed_in.delete(f"/api/notes/{note.pk}/").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"title": "nul \x00 inside"},
        {"title": "lone \ud800"},
        {"text": "no title"},
    ],
    ids=["empty", "too long", "NUL", "lone surrogate", "missing"],
)
def test_an_invalid_note_is_refused_with_the_reasons(signed_in, payload):
    response = send_json(signed_in, "post", "/api/notes/", payload)

    assert response.status_code == INVALID
    assert "title" in response.content.decode()
    assert not Note.objects.exists()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_without_a_session_are_refused(client, note, method):
    path = "/api/notes/" if method == "post" else f"/api/notes/{note.pk}/"

    response = send_json(client, method, path, {"title": "Anonymous"})

    assert response.status_code == UNAUTHENTICATED
    assert "detail" in response.json()
    assert list(Note.objects.values_list("title", flat=True)) == ["First"]


def test_writes_without_the_csrf_token_are_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = send_json(browser, "post", "/api/notes/", {"title": "Forged"})

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Note.objects.exists()


def test_refused_requests_are_answers_and_never_sentry_events(start_sentry, user, note):
    transport = start_sentry()
    signed_in = Client()
    signed_in.force_login(user)
    session = f"sessionid={signed_in.cookies['sessionid'].value}; csrftoken={CSRF_SECRET}"
    factory, server = RequestFactory(), WsgiClient()

    def answer(method, path, body, **headers):
        request = factory.generic(method, path, body, content_type="application/json", **headers)
        return server.serve(request.environ)[0]

    signed = {"HTTP_COOKIE": session, "HTTP_X_CSRFTOKEN": CSRF_SECRET}
    anonymous = {"HTTP_COOKIE": f"csrftoken={CSRF_SECRET}", "HTTP_X_CSRFTOKEN": CSRF_SECRET}
    statuses = [
        answer("POST", "/api/notes/", '{"title": ""}', **signed),
        answer("POST", "/api/notes/", '{"title": ', **signed),
        answer("POST", "/api/notes/", '{"title": "anonymous"}', **anonymous),
        answer("PUT", f"/api/notes/{note.pk}/", '{"title": "no token"}', HTTP_COOKIE=session),
        answer("GET", "/api/notes/999/", ""),
        answer("GET", "/api/notes/?page=0", ""),
    ]

    assert statuses == [INVALID, 400, UNAUTHENTICATED, 403, 404, BAD_PAGE]
    assert transport.events == []


def test_an_unhandled_error_is_one_event_named_by_its_route(start_sentry, note):
    transport = start_sentry()
    # A real failure, as a lost table or a broken migration gives: the query fails.
    # The test's transaction brings the table back.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE notes_note")

    status, _ = WsgiClient().get(f"/api/notes/{note.pk}/")

    assert status == 500
    [event] = transport.events
    assert event["transaction"] == DETAIL_ROUTE
    assert event["exception"]["values"][-1]["mechanism"]["handled"] is False
