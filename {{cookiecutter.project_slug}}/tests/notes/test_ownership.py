"""Notes belong to their author: a caller signed in by session token or by browser session
sees and changes only its own; another user's note is a 404, exactly like a missing one;
a caller nobody signed in is a 401, whatever it sends."""

import pytest
from django.test import Client

from notes.models import Note
from tests.accounts_client import AccountsClient


@pytest.fixture
def ada(make_user):
    return make_user("ada@example.com")


@pytest.fixture
def graces_note(make_user):
    return Note.objects.create(author=make_user("grace@example.com"), title="Grace's", text="hers alone")


@pytest.fixture
def signed_in(accounts, ada):
    """Ada, signed in once as a browser and once as an app."""
    assert accounts.log_in("ada@example.com").status_code == 200
    return accounts


def test_a_caller_writes_reads_changes_and_deletes_its_own_notes(signed_in, ada):
    created = signed_in.post("/api/notes/", {"title": "Mine", "text": "Body"})
    assert created.status_code == 201
    path = f"/api/notes/{created.json()['id']}/"
    assert Note.objects.get().author == ada

    assert signed_in.get(path).json()["title"] == "Mine"
    assert signed_in.call("PUT", path, {"title": "Still mine"}).status_code == 200
    assert signed_in.call("DELETE", path).status_code == 204
    assert not Note.objects.exists()


def test_the_list_holds_only_the_callers_notes(signed_in, ada, graces_note):
    Note.objects.create(author=ada, title="Ada's")

    page = signed_in.get("/api/notes/").json()

    assert page["count"] == 1
    assert "Ada's" in str(page)
    assert "Grace's" not in str(page)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_users_note_is_a_404_like_a_missing_one(signed_in, graces_note, method):
    data = {"title": "Taken over"} if method == "PUT" else None

    theirs = signed_in.call(method, f"/api/notes/{graces_note.pk}/", data)
    missing = signed_in.call(method, "/api/notes/999999/", data)

    assert theirs.status_code == 404
    assert theirs.content == missing.content  # nothing tells the two apart
    graces_note.refresh_from_db()
    assert (graces_note.title, graces_note.text) == ("Grace's", "hers alone")


def test_a_browser_write_without_the_csrf_token_is_refused(ada):
    browser = AccountsClient("browser")
    browser.log_in("ada@example.com")

    response = browser.post("/api/notes/", {"title": "Forged"}, X_CSRFToken="")

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/notes/"), ("POST", "/api/notes/"), ("GET", "{id}"), ("PUT", "{id}"), ("DELETE", "{id}")],
)
def test_a_caller_nobody_signed_in_is_a_401_for_every_operation(graces_note, method, path):
    # A browser's request without a CSRF token as well: 401, not the 403 of a missing token.
    anonymous = Client(enforce_csrf_checks=True)
    path = path.format(id=f"/api/notes/{graces_note.pk}/")

    response = anonymous.generic(method, path, '{"title": "Anonymous"}', content_type="application/json")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert Note.objects.get().title == "Grace's"


def test_a_signed_out_token_is_a_401(ada):
    app = AccountsClient("app")
    app.log_in("ada@example.com")
    token = app.session_token
    app.log_out()
    app.session_token = token

    assert app.get("/api/notes/").status_code == 401
