"""observability/user_id.py: the event, the spans and the Sentry Logs of a signed-in
caller, by session cookie or by session token, carry a keyed pseudonym as the user id,
checked in what the SDK sent for real requests."""

import pytest
import sentry_sdk
from django.conf import settings

from core.urls import urlpatterns as project_urlpatterns
from observability.user_id import pseudonym
from tests.conftest import TEST_USER_ID_KEY
from tests.routes import urlpatterns as shared_urlpatterns

urlpatterns = [*shared_urlpatterns, *project_urlpatterns]

FAILING_PATH = "/working-then-broken/"
# What runs before the caller is known: the session's row (cookie or token), and with a
# cookie the user's row that AuthenticationMiddleware reads. These spans end before the
# middleware can set the user id, and a streamed span is sent as it ends.
CALLER_LOOKUP_TABLES = ('FROM "django_session"', 'FROM "users_user"')


@pytest.fixture
def sign_in(client, session_token):
    """sign_in(user, by) gives the headers of a request by that user: its session cookie
    (by="cookie", as the browser client) or its session token (by="token", the app client)."""

    def headers(user, by):
        if by == "token":
            return {"X-Session-Token": session_token(user.email)}
        client.force_login(user)
        cookie = settings.SESSION_COOKIE_NAME
        return {"Cookie": f"{cookie}={client.cookies[cookie].value}"}

    return headers


def start(start_sentry, **variables):
    return start_sentry(SENTRY_TRACES_SAMPLE_RATE="1", SENTRY_LOGS_LEVEL="INFO", **variables)


def fail_as(wsgi_client, headers):
    assert wsgi_client.get(FAILING_PATH, headers=headers)[0] == 500


def user_ids(transport):
    """The user id of each event, span and log sent, in that order (None: no user)."""
    return (
        [(event.get("user") or {}).get("id") for event in transport.events],
        [span["attributes"].get("user.id") for span in transport.spans],
        [log["attributes"].get("user.id") for log in transport.logs],
    )


def the_one_user_id(transport):
    """The user id that every event, span and Sentry Log sent carries, but the spans of
    the queries that find out who the caller is."""
    spans = transport.spans
    lookups = [span for span in spans if span["name"].split(" WHERE ")[0].endswith(CALLER_LOOKUP_TABLES)]
    events, _, logs = user_ids(transport)
    carried = {*events, *logs, *(span["attributes"].get("user.id") for span in spans if span not in lookups)}
    assert len(carried) == 1, carried
    assert {span["attributes"].get("user.id") for span in lookups} == {None}
    return carried.pop()


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["cookie", "token"])
def test_everything_a_signed_in_user_causes_carries_its_pseudonym(
    start_sentry, wsgi_client, make_user, sign_in, by
):
    user = make_user()
    headers = sign_in(user, by)
    transport = start(start_sentry)

    fail_as(wsgi_client, headers)

    [event] = transport.events
    assert event["user"] == {"id": pseudonym(TEST_USER_ID_KEY, user.pk)}
    [segment] = transport.segments()
    [query] = [span for span in transport.spans if span["name"] == "SELECT 1"]  # the view's own
    assert segment["attributes"]["user.id"] == query["attributes"]["user.id"] == event["user"]["id"]
    assert [log["attributes"]["user.id"] for log in transport.logs if log["body"] == "about to fail"] == [
        event["user"]["id"]
    ]
    assert the_one_user_id(transport) == event["user"]["id"]


@pytest.mark.django_db
def test_the_pseudonym_is_stable_for_a_user_whatever_the_client_and_differs_between_users(
    start_sentry, wsgi_client, make_user, sign_in
):
    ada, bob = make_user("ada@example.com"), make_user("bob@example.com")
    requests = [sign_in(ada, "cookie"), sign_in(ada, "token"), sign_in(bob, "token")]
    transport = start(start_sentry)

    ids = []
    for headers in requests:
        transport.envelopes.clear()
        fail_as(wsgi_client, headers)
        ids.append(the_one_user_id(transport))

    ada_by_cookie, ada_by_token, bob_by_token = ids
    assert ada_by_cookie == ada_by_token
    assert bob_by_token != ada_by_token


@pytest.mark.django_db
def test_the_pseudonym_gives_away_neither_the_primary_key_the_email_nor_the_username(
    start_sentry, wsgi_client, make_user, sign_in
):
    user = make_user("grace.hopper@example.com", id=918273645)
    headers = sign_in(user, "token")
    transport = start(start_sentry)

    fail_as(wsgi_client, headers)

    user_id = the_one_user_id(transport)
    assert len(user_id) == 32
    for personal in (str(user.pk), user.email, user.get_username(), "grace.hopper"):
        assert personal not in user_id
        assert personal.encode() not in transport.sent_bytes
    # Keyed: without SENTRY_USER_ID_KEY, nobody can compute it from the primary key.
    assert user_id != pseudonym("another-key-of-at-least-32-characters", user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Session-Token": "not-a-session-token"}, {"Cookie": f"sessionid={'0' * 32}"}],
    ids=["no credentials", "unknown token", "unknown session"],
)
def test_an_anonymous_request_carries_no_user(start_sentry, wsgi_client, headers):
    transport = start(start_sentry)

    fail_as(wsgi_client, headers)

    events, spans, logs = user_ids(transport)
    assert events == [None] and logs and spans
    assert set(spans) == set(logs) == {None}


@pytest.mark.django_db
def test_with_personal_data_on_the_sdk_sends_its_own_user_and_no_pseudonym(
    start_sentry, wsgi_client, make_user, sign_in
):
    user = make_user()
    headers = sign_in(user, "cookie")
    transport = start(start_sentry, SENTRY_SEND_PERSONAL_DATA="true")

    fail_as(wsgi_client, headers)

    [event] = transport.events
    assert event["user"]["id"] == str(user.pk)
    assert event["user"]["email"] == user.email
    [segment] = transport.segments()
    assert segment["attributes"]["user.id"] == str(user.pk)
    assert pseudonym(TEST_USER_ID_KEY, user.pk).encode() not in transport.sent_bytes


@pytest.mark.django_db
def test_with_sentry_off_no_session_token_is_looked_up(
    wsgi_client, make_user, sign_in, django_assert_num_queries
):
    headers = sign_in(make_user(), "token")
    assert not sentry_sdk.get_client().is_active()

    with django_assert_num_queries(0):
        assert wsgi_client.get("/query/", {"q": "ok"}, headers=headers) == (200, b"ok")
