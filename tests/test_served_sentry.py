"""The baked project served for real, under gunicorn (core.wsgi) and uvicorn (core.asgi),
against a capturing Sentry endpoint on loopback, with the debug route off:

- what a hostile client sends makes no event and forges no log line, while a real
  unhandled exception is one event: among it HEAD requests (answered without a body),
  bodies in charsets Django cannot decode (400), a session cookie holding a NUL
  (against PostgreSQL) and connections held past gunicorn's worker timeout, while a
  view that hangs past it is one event;
- under ASGI, errors arrive with their request, concurrent requests keep their own
  tags, and the health probe is answered before Django as under WSGI.
"""

import json
import socket
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, run
from tests.helpers.processes import stop_server, wait_for
from tests.helpers.project_commands import project_environment
from tests.helpers.serving import request, serve

CSRF_COOKIE = "csrftoken=" + "a" * 32
# A page of Django's that reads the session: allauth's answer to who is signed in (401, with
# a JSON body, to anyone who is not).
ACCOUNTS_SESSION = "/_allauth/browser/v1/auth/session"


def connect(url):
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def raw_request(url, line):
    """Send bytes that are not a valid HTTP request; the status line of the answer."""
    with connect(url) as connection:
        connection.sendall(line)
        return connection.recv(200).split(b"\r\n", 1)[0]


def raw_exchange(url, method, path):
    """One request on its own connection, read until the server closes it: the status
    line and every byte after the headers."""
    with connect(url) as connection:
        connection.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b"".join(iter(lambda: connection.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0], body


def sent_events(sentry):
    """(logger, exception type, exception value) of each event the endpoint received."""
    summaries = []
    for event in sentry.events():
        exception = event.get("exception", {"values": [{}]})["values"][-1]
        summaries.append((event.get("logger"), exception.get("type"), exception.get("value")))
    return summaries


REAL_BUG = (None, "RuntimeError", "a real bug")


ABUSES = {
    "bad Host header": lambda url: request(url + "/admin/", headers={"Host": "evil.example"}),
    "CSRF failure on the admin login": lambda url: request(url + "/admin/login/", b"username=a&password=b"),
    "3 MB form body": lambda url: request(
        url + "/admin/login/", b"a=" + b"x" * 3_000_000, {"Cookie": CSRF_COOKIE}
    ),
    "1,500 form fields": lambda url: request(
        url + "/admin/login/", "&".join(f"f{n}=1" for n in range(1500)).encode(), {"Cookie": CSRF_COOKIE}
    ),
    "a form in a charset Django cannot decode": lambda url: request(
        url + "/admin/login/",
        b"a=b",
        {"Cookie": CSRF_COOKIE, "Content-Type": "application/x-www-form-urlencoded; charset=utf-7"},
    ),
    "the debug route, off in production": lambda url: request(url + "/api/sentry-debug/"),
    "a malformed request line": lambda url: raw_request(
        url, b"GET /?password=planted-line-secret HTTP/1.1 x\r\n\r\n"
    ),
    "a header gunicorn refuses": lambda url: raw_request(
        url, b"GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"
    ),
}


def test_hostile_requests_make_no_event_and_a_real_500_makes_one(
    served_project, project_python, sentry, tmp_path
):
    log = tmp_path / "gunicorn.log"
    gunicorn, url = serve(served_project, project_python, sentry, log, "gunicorn")
    try:
        answers = {abuse: send(url) for abuse, send in ABUSES.items()}
        assert request(url + "/broken/") == 500  # the control
    finally:
        stop_server(gunicorn)  # SIGTERM: the worker sends what it still holds

    assert all(answer not in (200, b"HTTP/1.1 200 OK") for answer in answers.values()), answers
    assert sent_events(sentry) == [REAL_BUG]
    assert b"planted-line-secret" not in b"".join(sentry.envelopes)


def test_a_newline_in_the_path_cannot_forge_a_log_line(served_project, project_python, sentry, tmp_path):
    log = tmp_path / "gunicorn.log"
    gunicorn, url = serve(served_project, project_python, sentry, log, "gunicorn")
    try:
        request(url + "/no-such-page/%0Aremote=203.0.113.9%20method=GET%20status=200", method="GET")
        wait_for(lambda: "203.0.113.9" in log.read_text(), what="the access log line")
    finally:
        stop_server(gunicorn)

    lines = log.read_text().splitlines()
    assert not [line for line in lines if line.startswith("remote=203.0.113.9")]
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    [access] = [
        entry
        for entry in entries
        if entry["logger"] == "gunicorn.access" and "203.0.113.9" in entry["message"]
    ]
    assert "status=404" in access["message"]
    assert "/no-such-page/\nremote=203.0.113.9" in access["message"]


def test_under_asgi_errors_carry_their_request_and_concurrent_requests_their_own_tags(
    served_project, project_python, sentry, tmp_path
):
    uvicorn, url = serve(
        served_project,
        project_python,
        sentry,
        tmp_path / "uvicorn.log",
        "uvicorn",
        SENTRY_ALLOWED_QUERY_PARAMETERS="customer",  # each event's own query, to tell them apart
    )
    customers = [f"customer-{n}" for n in range(6)]
    try:
        health = urllib.request.urlopen(url + "/api/health/", timeout=10)
        assert json.load(health) == {"status": "ok", "database": "ok"}
        assert health.headers["Cache-Control"] == "no-store"  # edge/health.py's answer, not the view's
        with ThreadPoolExecutor(len(customers)) as clients:
            statuses = list(clients.map(lambda c: request(f"{url}/tagged-failure/?customer={c}"), customers))
        wait_for(lambda: len(sentry.events()) >= len(customers), what="an event per request")
    finally:
        stop_server(uvicorn)

    assert statuses == [500] * len(customers)
    events = sentry.events()
    assert len(events) == len(customers)
    for event in events:
        message = event["exception"]["values"][0]["value"]
        assert message == f"failed for {event['tags']['customer']}"
        assert event["request"]["url"].endswith("/tagged-failure/")
        assert event["request"]["query_string"] == f"customer={event['tags']['customer']}"
        assert event["transaction"] == "/tagged-failure/"
    assert sorted(event["tags"]["customer"] for event in events) == customers
    assert {event["exception"]["values"][0]["mechanism"]["type"] for event in events} == {"django"}


@pytest.mark.parametrize("server", ["gunicorn", "uvicorn"])
def test_head_requests_are_answered_without_a_body_and_make_no_event(
    served_project, project_python, sentry, tmp_path, server
):
    process, url = serve(served_project, project_python, sentry, tmp_path / "server.log", server)
    try:
        heads = [raw_exchange(url, "HEAD", path) for path in (ACCOUNTS_SESSION, "/no-such-page/") * 20]
        get = raw_exchange(url, "GET", ACCOUNTS_SESSION)  # the control: the same page has a body
        assert request(url + "/broken/") == 500
    finally:
        stop_server(process)

    assert set(heads) == {(b"HTTP/1.1 401 Unauthorized", b""), (b"HTTP/1.1 404 Not Found", b"")}
    assert get[0] == b"HTTP/1.1 401 Unauthorized" and b'"flows"' in get[1]
    assert sent_events(sentry) == [REAL_BUG]


def multipart_form(charset):
    """A login form in one part, sent as being in `charset`, with a CSRF cookie."""
    body = b'--b0undary\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n--b0undary--\r\n'
    content_type = f"multipart/form-data; boundary=b0undary; charset={charset}"
    return body, {"Cookie": CSRF_COOKIE, "Content-Type": content_type}


UNDECODABLE_CHARSETS = ("hex", "base64", "rot13", "zlib", "undefined", "idna", "no-such-charset")
UNDECODABLE = {
    **{
        f"a multipart form in charset {charset}": lambda url, charset=charset: request(
            url + "/admin/login/", *multipart_form(charset)
        )
        for charset in UNDECODABLE_CHARSETS
    },
    "a query string in charset hex": lambda url: request(
        url + "/admin/login/?next=/", headers={"Content-Type": "text/plain; charset=hex"}
    ),
    "a Content-Type parameter in charset undefined (RFC 2231)": lambda url: request(
        url + "/admin/login/", headers={"Content-Type": "text/plain; title*=undefined''%41"}
    ),
}


@pytest.mark.parametrize("server", ["gunicorn", "uvicorn"])
def test_requests_in_charsets_django_cannot_decode_are_a_400_a_log_line_and_no_event(
    served_project, project_python, sentry, tmp_path, server
):
    log = tmp_path / "server.log"
    process, url = serve(served_project, project_python, sentry, log, server)
    try:
        answers = {abuse: send(url) for abuse, send in UNDECODABLE.items()}
        # The controls: the same form in UTF-8 and in an alias of Latin-1 is read (the
        # CSRF check fails then, as the form has no token).
        decoded = [
            request(url + "/admin/login/", *multipart_form(charset)) for charset in ("utf-8", "latin1")
        ]
        assert request(url + "/broken/") == 500
    finally:
        stop_server(process)

    assert answers == dict.fromkeys(UNDECODABLE, 400)
    assert decoded == [403, 403]
    assert sent_events(sentry) == [REAL_BUG]
    refusals = [line for line in log.read_text().splitlines() if "in a charset it cannot decode" in line]
    assert len(refusals) == len(UNDECODABLE)


def test_a_session_cookie_holding_a_nul_is_no_session_and_no_event_on_postgresql(
    served_postgresql_project, project_python, postgres, sentry, tmp_path
):
    database_url = postgres.create_database("served_sessions")
    migrated = run(
        [project_python, "manage.py", "migrate", "--no-input"],
        cwd=served_postgresql_project,
        env=project_environment("production", **DEPLOYED_ENVIRONMENT, DATABASE_URL=database_url),
    )
    assert migrated.returncode == 0, migrated.stderr
    log = tmp_path / "gunicorn.log"
    gunicorn, url = serve(
        served_postgresql_project, project_python, sentry, log, "gunicorn", DATABASE_URL=database_url
    )
    nul_cookie = {"Cookie": 'sessionid="\\000' + "a" * 31 + '"'}  # cookie quoting: \000 is NUL
    try:
        statuses = [request(url + ACCOUNTS_SESSION, headers=nul_cookie) for _ in range(20)]
        assert request(url + "/broken/") == 500
    finally:
        stop_server(gunicorn)

    assert statuses == [401] * 20  # not signed in, as anyone without a session
    assert sent_events(sentry) == [REAL_BUG]
    ignored = [line for line in log.read_text().splitlines() if "Ignored a session cookie" in line]
    assert len(ignored) == 20


# What a client holds a sync worker with: each is held past GUNICORN_TIMEOUT, until
# gunicorn aborts the worker and starts another.
HELD_CONNECTIONS = {
    "connected, not a byte sent": b"",
    "half the headers": b"GET /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "half a form body": (
        b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + CSRF_COOKIE.encode() + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=adm"
    ),
    # The control: the client sent it all, and the view never returns.
    "a view that hangs": b"GET /hang/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
}


def test_a_client_holding_a_worker_past_its_timeout_makes_no_event_but_a_hanging_view_makes_one(
    served_project, project_python, sentry, tmp_path
):
    log = tmp_path / "gunicorn.log"
    gunicorn, url = serve(served_project, project_python, sentry, log, "gunicorn", GUNICORN_TIMEOUT="2")

    def logged(text):
        return log.read_text().count(text)

    try:
        for held, sent in enumerate(HELD_CONNECTIONS.values(), start=1):
            with connect(url) as connection:
                connection.sendall(sent)
                # gunicorn aborts the worker and logs the SystemExit (the SDK has it then).
                wait_for(lambda n=held: logged("Error handling request") >= n, timeout=30, what="the abort")
            # Closed, so the worker stops waiting to drain the connection and exits by
            # itself, sending what the SDK holds; its replacement starts after that.
            wait_for(lambda n=held: logged("Booting worker") > n, timeout=30, what="the next worker")
        assert request(url + "/broken/") == 500
    finally:
        stop_server(gunicorn)

    assert logged("WORKER TIMEOUT") == len(HELD_CONNECTIONS)
    assert logged("SIGKILL") == 0  # every aborted worker exited by itself, its events sent
    assert sent_events(sentry) == [(None, "SystemExit", "1"), REAL_BUG]
    [hung, _] = sentry.events()
    assert hung["request"]["url"].endswith("/hang/")


def test_logs_profiles_and_traces_reach_the_sentry_endpoint_without_secrets(
    served_project, project_python, sentry, tmp_path
):
    gunicorn, url = serve(
        served_project,
        project_python,
        sentry,
        tmp_path / "gunicorn.log",
        "gunicorn",
        SENTRY_TRACES_SAMPLE_RATE="1",
        SENTRY_PROFILE_SESSION_SAMPLE_RATE="1",
        SENTRY_LOGS_LEVEL="INFO",
    )
    try:
        assert request(url + "/busy/") == 200
        assert request(url + "/no-such-page/") == 404  # neither a log nor a trace of its code
        # The profiler sends its chunk once no traced request runs; a graceful stop then
        # sends the spans and logs the SDK still holds in its batches.
        chunks = wait_for(lambda: sentry.items("profile_chunk"), what="a profile chunk")
    finally:
        stop_server(gunicorn)

    sent_logs = [log for batch in sentry.items("log") for log in batch["items"]]
    # The app's own lines (the server's lifecycle lines may be logs too).
    logs = [log["body"] for log in sent_logs if log["attributes"]["logger.name"]["value"] == "api"]
    segments = [span for batch in sentry.items("span") for span in batch["items"] if span["is_segment"]]
    assert logs == ["pricing the basket for control-basket-7", "price feed slow, api_key=[Filtered]"]
    assert [span["name"] for span in segments if span["name"] == "/busy/"] == ["/busy/"]
    assert chunks and "busy" in {
        frame.get("function") for chunk in chunks for frame in chunk["profile"]["frames"]
    }
    assert "planted-served-log-key" not in json.dumps([sent_logs, segments])
    assert not [log for log in sent_logs if "Not Found" in log["body"]]
