"""The baked project served for real, under gunicorn (core.wsgi) and uvicorn (core.asgi),
against a capturing Sentry endpoint on loopback, with the debug route off:

- what a hostile client sends makes no event and forges no log line, while a real
  unhandled exception is one event;
- under ASGI, errors arrive with their request, concurrent requests keep their own
  tags, and the health probe is answered before Django as under WSGI.
"""

import json
import shutil
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, load_module
from tests.processes import free_port, start_server, stop_server, wait_for
from tests.test_generated_project import project_environment

SERVED_FILES = Path(__file__).parent / "served"
CSRF_COOKIE = "csrftoken=" + "a" * 32


@pytest.fixture(scope="module")
def project(default_project, tmp_path_factory):
    """A copy of the default bake with the failing routes of tests/served."""
    project = tmp_path_factory.mktemp("served") / default_project.name
    shutil.copytree(default_project, project)
    for name in ("served_routes.py", "served_settings.py"):
        shutil.copy(SERVED_FILES / name, project / name)
    return project


@pytest.fixture
def sentry(project):
    with load_module(project / "tests" / "envelope_server.py").EnvelopeServer() as server:
        yield server


def serve(project, python, sentry, log, server, settings_module="served_settings", **variables):
    """Serve the project under `server` with `settings_module` (production settings and
    test routes) and these `variables`; the process, and its base URL."""
    port = free_port()
    variables = {
        **DEPLOYED_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SENTRY_DSN": sentry.dsn(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        **variables,
    }
    if server == "gunicorn":
        command = [python, "-m", "gunicorn", "--config", "gunicorn.conf.py", "core.wsgi"]
    else:
        command = [python, "-m", "uvicorn", "core.asgi:application", "--port", str(port), "--no-access-log"]
    url = f"http://127.0.0.1:{port}"
    process = start_server(
        command, url + "/api/health/", log, cwd=project, env=project_environment(**variables)
    )
    return process, url


def request(url, data=None, headers=None, method=None):
    """The HTTP status of one request."""
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data, headers=headers or {}, method=method), timeout=30
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def raw_request(url, line):
    """Send bytes that are not a valid HTTP request; the status line of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(line)
        return connection.recv(200).split(b"\r\n", 1)[0]


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


def test_hostile_requests_make_no_event_and_a_real_500_makes_one(project, project_python, sentry, tmp_path):
    log = tmp_path / "gunicorn.log"
    gunicorn, url = serve(project, project_python, sentry, log, "gunicorn")
    try:
        answers = {abuse: send(url) for abuse, send in ABUSES.items()}
        assert request(url + "/broken/") == 500  # the control
    finally:
        stop_server(gunicorn)  # SIGTERM: the worker sends what it still holds

    assert all(answer not in (200, b"HTTP/1.1 200 OK") for answer in answers.values()), answers
    sent = [
        (event.get("logger"), event.get("exception", {"values": [{}]})["values"][0].get("value"))
        for event in sentry.events()
    ]
    assert sent == [(None, "a real bug")]
    assert b"planted-line-secret" not in b"".join(sentry.envelopes)


def test_a_newline_in_the_path_cannot_forge_a_log_line(project, project_python, sentry, tmp_path):
    log = tmp_path / "gunicorn.log"
    gunicorn, url = serve(project, project_python, sentry, log, "gunicorn")
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
    project, project_python, sentry, tmp_path
):
    uvicorn, url = serve(project, project_python, sentry, tmp_path / "uvicorn.log", "uvicorn")
    customers = [f"customer-{n}" for n in range(6)]
    try:
        health = urllib.request.urlopen(url + "/api/health/", timeout=10)
        assert json.load(health) == {"status": "ok", "database": "ok"}
        assert health.headers["Cache-Control"] == "no-store"  # core/health.py's answer, not the view's
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
