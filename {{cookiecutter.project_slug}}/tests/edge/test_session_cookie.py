"""edge/session_cookie.py: a session cookie that cannot be a session key is no session
(no query holding it, no event), whatever the session engine; one shaped like a key is
looked up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.routes import urlpatterns  # noqa: F401 (served_client serves this module's routes)

NUL_SESSION_COOKIE = 'sessionid="\\000' + "a" * 31 + '"'  # cookie quoting: \000 is a NUL


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine",
    ["db", "cache", "cached_db", "file", "signed_cookies"],
)
def test_a_session_cookie_that_cannot_be_a_key_is_no_session_and_no_event(
    start_sentry, served_client, settings, caplog, tmp_path, engine
):
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    settings.SESSION_FILE_PATH = str(tmp_path)
    transport = start_sentry()

    with CaptureQueriesContext(connection) as queries:
        answer = served_client.get("/session/", HTTP_COOKIE=NUL_SESSION_COOKIE)

    assert answer == (200, b"visits=0")
    assert not [query for query in queries if "\x00" in query["sql"]]
    assert transport.events == []
    assert "edge.session_cookie" in [record.name for record in caplog.records]
    assert served_client.get("/broken/")[0] == 500
    assert len(transport.events) == 1


@pytest.mark.django_db
def test_a_session_cookie_shaped_like_a_key_is_looked_up(served_client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    with CaptureQueriesContext(connection) as queries:
        answer = served_client.get("/session/", HTTP_COOKIE="sessionid=" + "a" * 32)

    assert answer == (200, b"visits=0")
    assert [query for query in queries if "a" * 32 in query["sql"]]
