"""The example resource, /api/notes/: every endpoint for a signed-in caller, its refusals,
and what reaches Sentry. Who may see which note: test_ownership.py."""

import pytest
from django.db import connection
from django.test import RequestFactory

from notes.models import Note
from tests.accounts_client import AccountsClient
from tests.conftest import WsgiClient

{%- if cookiecutter.api_framework == "ninja" %}

# django-ninja's answers: 422 for invalid input.
INVALID = 422
PAGE_ITEMS = "items"
BAD_PAGE = 422
DETAIL_ROUTE = "/api/notes/{note_id}/"
{%- else %}

# REST framework's answers: 400 for invalid input.
INVALID = 400
PAGE_ITEMS = "results"
BAD_PAGE = 404  # "Invalid page."
DETAIL_ROUTE = "/api/notes/{pk}/"
{%- endif %}


@pytest.fixture
def ada(make_user):
    return make_user("ada@example.com")


@pytest.fixture
def signed_in(ada):
    """Ada's app, signed in: its calls send her session token."""
    app = AccountsClient("app")
    app.log_in("ada@example.com")
    return app


@pytest.fixture
def note(ada):
    return Note.objects.create(author=ada, title="First", text="Hello")


def test_notes_are_listed_newest_first_a_page_at_a_time(signed_in, ada):
    for number in range(25):
        Note.objects.create(author=ada, title=f"note {number:02}")

    first_page = signed_in.get("/api/notes/").json()
    second_page = signed_in.get("/api/notes/?page=2").json()

    assert first_page["count"] == 25
    assert [item["title"] for item in first_page[PAGE_ITEMS]][:2] == ["note 24", "note 23"]
    assert len(first_page[PAGE_ITEMS]) == 20
    assert len(second_page[PAGE_ITEMS]) == 5


@pytest.mark.parametrize("page_size", [5, 50, 100])
def test_a_page_holds_as_many_notes_as_asked(signed_in, ada, page_size):
    Note.objects.bulk_create(Note(author=ada, title=f"note {number}") for number in range(120))

    page = signed_in.get(f"/api/notes/?page_size={page_size}").json()

    assert len(page[PAGE_ITEMS]) == page_size


def test_a_page_holds_at_most_100_notes(signed_in, ada):
    Note.objects.bulk_create(Note(author=ada, title=f"note {number}") for number in range(120))

    response = signed_in.get("/api/notes/?page_size=101")
{%- if cookiecutter.api_framework == "ninja" %}

    assert response.status_code == 422  # Django Ninja refuses it as invalid input
{%- else %}

    assert len(response.json()[PAGE_ITEMS]) == 100  # REST framework gives the most it may
{%- endif %}


def test_the_ordering_parameter_sorts_the_list(signed_in, ada):
    for title in ("b", "c", "a"):
        Note.objects.create(author=ada, title=title)

    by_title = signed_in.get("/api/notes/?ordering=title").json()[PAGE_ITEMS]
    by_title_descending = signed_in.get("/api/notes/?ordering=-title").json()[PAGE_ITEMS]

    assert [item["title"] for item in by_title] == ["a", "b", "c"]
    assert [item["title"] for item in by_title_descending] == ["c", "b", "a"]


def test_a_note_is_read_by_its_id(signed_in, note):
    response = signed_in.get(f"/api/notes/{note.pk}/")

    assert response.status_code == 200
    assert response.json()["title"] == "First"
    assert response.json()["text"] == "Hello"


def test_a_missing_note_is_a_404_with_a_json_body(signed_in):
    response = signed_in.get("/api/notes/999/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_note_is_created(signed_in):
    response = signed_in.post("/api/notes/", {"title": "New", "text": "Body"})

    assert response.status_code == 201
    created = Note.objects.get(pk=response.json()["id"])
    assert (created.title, created.text) == ("New", "Body")


def test_a_note_is_updated(signed_in, note):
    response = signed_in.call("PUT", f"/api/notes/{note.pk}/", {"title": "Renamed", "text": ""})

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    note.refresh_from_db()
    assert note.title == "Renamed"


def test_a_note_is_deleted(signed_in, note):
    assert signed_in.call("DELETE", f"/api/notes/{note.pk}/").status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()
    assert signed_in.call("DELETE", f"/api/notes/{note.pk}/").status_code == 404


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
    response = signed_in.post("/api/notes/", payload)

    assert response.status_code == INVALID
    assert "title" in response.content.decode()
    assert not Note.objects.exists()


def test_refused_requests_are_answers_and_never_sentry_events(start_sentry, signed_in, ada, note):
    transport = start_sentry()
    browser = AccountsClient("browser")
    browser.log_in("ada@example.com")
    session_cookie = f"sessionid={browser.http.cookies['sessionid'].value}"
    factory, server = RequestFactory(), WsgiClient()

    def answer(method, path, body, **headers):
        request = factory.generic(method, path, body, content_type="application/json", **headers)
        return server.serve(request.environ)[0]

    token = {"HTTP_X_SESSION_TOKEN": signed_in.session_token}
    statuses = [
        answer("POST", "/api/notes/", '{"title": ""}', **token),
        answer("POST", "/api/notes/", '{"title": ', **token),
        answer("POST", "/api/notes/", '{"title": "anonymous"}'),
        answer("PUT", f"/api/notes/{note.pk}/", '{"title": "no CSRF token"}', HTTP_COOKIE=session_cookie),
        answer("GET", "/api/notes/999/", "", **token),
        answer("GET", "/api/notes/?page=0", "", **token),
        answer("GET", "/api/notes/", "", HTTP_X_SESSION_TOKEN="not-a-session-token"),
    ]

    assert statuses == [INVALID, 400, 401, 403, 404, BAD_PAGE, 401]
    assert transport.events == []


def test_an_unhandled_error_is_one_event_named_by_its_route(start_sentry, signed_in):
    transport = start_sentry()
    # A real failure, as a lost table or a broken migration gives: the query fails.
    # The test's transaction brings the table back. (No note is written first: PostgreSQL
    # will not drop a table with a row whose foreign key it has yet to check.)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE notes_note")

    status, _ = WsgiClient().get("/api/notes/7/", HTTP_X_SESSION_TOKEN=signed_in.session_token)

    assert status == 500
    [event] = transport.events
    assert event["transaction"] == DETAIL_ROUTE
    assert event["exception"]["values"][-1]["mechanism"]["handled"] is False
