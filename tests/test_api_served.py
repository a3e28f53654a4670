"""Each API framework's bake served for real under gunicorn (production settings, docs
on), against a capturing Sentry endpoint on loopback:

- every operation of its OpenAPI schema answers over HTTP, for a signed-in user;
- schemathesis, run against the served schema, finds no server error and no answer
  that breaks the schema, and makes no Sentry event;
- the docs page loads in a real headless browser (Debian's chromium), shows the
  example's operations and asks nothing of any other server;
- mail goes through EMAIL_URL to a real SMTP server, without and with a login.

Django Ninja's bake runs on the suite's PostgreSQL, REST framework's on SQLite.
"""

import contextlib
import http.client
import http.cookies
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import DEPLOYED_ENVIRONMENT, load_module, run
from tests.processes import free_port, start_server, stop_server
from tests.smtp_server import SmtpServer
from tests.test_generated_project import project_environment

ADMIN = ("api-admin", "a long served-test password")
# Debian's chromium, headless, on a machine whose network is closed: nothing of its own
# may call out (updates, sync, QUIC probes), and each run gets a fresh profile.
CHROMIUM_ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ServedApi:
    """The bake answering on a free loopback port, and a signed-in user's session."""

    def __init__(self, project, python, environment, url, sentry):
        self.project, self.python, self.environment = project, python, environment
        self.url, self.sentry = url, sentry
        self.cookies = {}

    def call(self, method, path, body=None, headers=None):
        """(status, body) of one request, sending the session's cookies; keeps new ones."""
        connection = http.client.HTTPConnection("127.0.0.1", urllib.parse.urlsplit(self.url).port, timeout=30)
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection.request(method, path, body, {**({"Cookie": cookie} if cookie else {}), **(headers or {})})
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update(
                {name: morsel.value for name, morsel in http.cookies.SimpleCookie(header).items()}
            )
        answer = response.status, response.read()
        connection.close()
        return answer

    def sign_in(self):
        """Through the admin's login form, as a browser would: a session and a CSRF token."""
        _, page = self.call("GET", "/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        form = urllib.parse.urlencode(
            {"username": ADMIN[0], "password": ADMIN[1], "csrfmiddlewaretoken": token, "next": "/admin/"}
        )
        status, _ = self.call(
            "POST", "/admin/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302 and "sessionid" in self.cookies, status

    def write_headers(self):
        return {"Content-Type": "application/json", "X-CSRFToken": self.cookies["csrftoken"]}

    def schema(self):
        status, body = self.call("GET", "/api/openapi.json")
        assert status == 200
        return json.loads(body)


def manage(api, *args, **variables):
    result = run([api.python, "manage.py", *args], cwd=api.project, env={**api.environment, **variables})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@contextlib.contextmanager
def signed_in_under_gunicorn(served, log):
    """The bake migrated, its static files collected (the admin's login page) and a user
    made, served by gunicorn with that user signed in; stopped at the end."""
    manage(served, "collectstatic", "--no-input", "--verbosity", "0")
    manage(served, "migrate", "--no-input")
    manage(
        served,
        "createsuperuser",
        "--no-input",
        "--username",
        ADMIN[0],
        "--email",
        "a@example.com",
        DJANGO_SUPERUSER_PASSWORD=ADMIN[1],
    )
    command = [served.python, "-m", "gunicorn", "--config", "gunicorn.conf.py", "core.wsgi"]
    gunicorn = start_server(
        command, served.url + "/api/health/", log, cwd=served.project, env=served.environment
    )
    try:
        served.sign_in()
        yield
    finally:
        stop_server(gunicorn)


@pytest.fixture(scope="module", params=["ninja", "drf"])
def api(request, tmp_path_factory):
    """A copy of the framework's bake, migrated, its static files collected and a user
    made, served by gunicorn; stopped at the end."""
    framework = request.param
    if framework == "ninja":
        source, python = request.getfixturevalue("default_project"), request.getfixturevalue("project_python")
        database_url = request.getfixturevalue("postgres").create_database(f"served_api_{free_port()}")
    else:
        source, python = request.getfixturevalue("drf_project"), request.getfixturevalue("drf_python")
        database_url = ""  # the bake's SQLite file
    folder = tmp_path_factory.mktemp(f"served-api-{framework}")
    project = folder / source.name
    shutil.copytree(source, project)
    port = free_port()
    with load_module(project / "tests" / "envelope_server.py").EnvelopeServer() as sentry:
        environment = project_environment(
            "production",
            **{
                **DEPLOYED_ENVIRONMENT,
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false",
                "API_DOCS_ENABLED": "true",
                "DATABASE_URL": database_url,
                "SENTRY_DSN": sentry.dsn(),
                "SENTRY_TRACES_SAMPLE_RATE": "0",
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "2",
            },
        )
        served = ServedApi(project, python, environment, f"http://127.0.0.1:{port}", sentry)
        with signed_in_under_gunicorn(served, folder / "gunicorn.log"):
            yield served


def operations(schema):
    """Every (method, path) of the schema: creation first, deletion last."""
    order = {"post": 0, "get": 1, "put": 2, "patch": 3, "delete": 4}
    found = [(method, path) for path, item in schema["paths"].items() for method in item if method in order]
    return sorted(found, key=lambda operation: order[operation[0]])


def test_every_operation_of_the_schema_answers_over_http(api):
    schema = api.schema()
    events_before = len(api.sentry.events())
    note = {"title": "Served note", "text": "over real HTTP"}
    status, body = api.call("POST", "/api/notes/", json.dumps(note), api.write_headers())
    assert status == 201, body
    note_id = json.loads(body)["id"]

    answers = {}
    for method, path in operations(schema):
        concrete = re.sub(r"\{[^}]+\}", str(note_id), path)
        payload = (
            json.dumps({**note, "title": f"{method} {path}"}) if method in ("post", "put", "patch") else None
        )
        answers[(method, path)] = api.call(method.upper(), concrete, payload, api.write_headers())[0]

    assert {"get", "post", "put", "delete"} <= {method for method, _ in answers}
    assert len(answers) >= 5
    assert {operation: status for operation, status in answers.items() if not 200 <= status < 300} == {}
    assert len(api.sentry.events()) == events_before


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema_and_makes_no_event(api, tmp_path):
    events_before = len(api.sentry.events())
    cookie = "; ".join(f"{name}={value}" for name, value in api.cookies.items())
    command = [
        Path(sys.executable).parent / "schemathesis",
        "run",
        f"{api.url}/api/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        "30",
        "--seed",
        "1",
        "--header",
        f"Cookie: {cookie}",
        "--header",
        f"X-CSRFToken: {api.cookies['csrftoken']}",
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert len(api.sentry.events()) == events_before


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in [*CHROMIUM_ARGUMENTS, f"--user-data-dir={tmp_path / 'chromium-profile'}"]:
        options.add_argument(argument)
    # Chromium's DevTools log of every request the page makes, answered or not.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    yield driver
    driver.quit()


def requested_urls(driver):
    messages = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return [
        message["params"]["request"]["url"]
        for message in messages
        if message["method"] == "Network.requestWillBeSent"
    ]


def test_the_docs_page_shows_the_operations_in_a_browser_and_asks_no_other_server(api, browser):
    browser.get(api.url + "/api/docs/")
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".opblock"))

    shown = {
        element.text.replace("\u200b", "")
        for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    methods = {
        element.text.lower() for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-method")
    }
    assert {path for _, path in operations(api.schema())} <= shown
    assert {"get", "post", "put", "delete"} <= methods
    urls = requested_urls(browser)
    assert any(url.startswith(api.url + "/static/") and url.endswith(".js") for url in urls)
    network = [url for url in urls if urllib.parse.urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    assert [url for url in network if not url.startswith(api.url + "/")] == []


@pytest.mark.parametrize("login", [None, ("mailer", "planted-smtp-password")], ids=["no login", "login"])
def test_mail_goes_through_email_url_to_a_real_smtp_server(api, login):
    with SmtpServer(login) as smtp:
        manage(
            api,
            "sendtestemail",
            "ada@example.com",
            EMAIL_URL=smtp.url(),
            DEFAULT_FROM_EMAIL="team@example.com",
        )

    [message] = smtp.messages
    assert message.rcpt_tos == ["ada@example.com"]
    assert message.mail_from == "team@example.com"
    assert b"Subject: Test email from" in message.content
    assert smtp.logged_in == ([login[0]] if login else [])
