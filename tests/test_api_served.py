"""Each API framework's bake served for real under gunicorn (production settings, docs
on), against a capturing Sentry endpoint on loopback:

- every operation of its OpenAPI schema answers over HTTP, for a user signed in with
  the accounts API's session token;
- schemathesis, run against the served schema with that token, finds no server error
  and no answer that breaks the schema, and makes no Sentry event;
- the docs page loads in a real headless browser (Debian's chromium), shows the
  example's operations and asks nothing of any other server;
- mail goes through EMAIL_URL to a real SMTP server, without and with a login.

Django Ninja's bake runs on the suite's PostgreSQL, REST framework's on SQLite.
"""

import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers.served_api import manage
from tests.helpers.smtp_server import SmtpServer

# One served bake per framework for both modules (conftest.py: served_api).
pytestmark = pytest.mark.xdist_group("served-api")


def operations(schema):
    """Every (method, path) of the schema: creation first, deletion last."""
    order = {"post": 0, "get": 1, "put": 2, "patch": 3, "delete": 4}
    found = [(method, path) for path, item in schema["paths"].items() for method in item if method in order]
    return sorted(found, key=lambda operation: order[operation[0]])


def test_every_operation_of_the_schema_answers_over_http(served_api):
    schema = served_api.schema()
    events_before = len(served_api.sentry.events())
    note = {"title": "Served note", "text": "over real HTTP"}
    status, body, _ = served_api.call("POST", "/api/notes/", json.dumps(note), served_api.write_headers())
    assert status == 201, body
    note_id = json.loads(body)["id"]

    answers = {}
    for method, path in operations(schema):
        concrete = re.sub(r"\{[^}]+\}", str(note_id), path)
        payload = (
            json.dumps({**note, "title": f"{method} {path}"}) if method in ("post", "put", "patch") else None
        )
        answers[(method, path)] = served_api.call(
            method.upper(), concrete, payload, served_api.write_headers()
        )[0]

    assert {"get", "post", "put", "delete"} <= {method for method, _ in answers}
    assert len(answers) >= 5
    assert {operation: status for operation, status in answers.items() if not 200 <= status < 300} == {}
    assert len(served_api.sentry.events()) == events_before


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema_and_makes_no_event(served_api, tmp_path):
    events_before = len(served_api.sentry.events())
    command = [
        Path(sys.executable).parent / "schemathesis",
        "run",
        f"{served_api.url}/api/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        "30",
        "--seed",
        "1",
        "--header",
        f"X-Session-Token: {served_api.token}",
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert len(served_api.sentry.events()) == events_before


def requested_urls(driver):
    messages = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return [
        message["params"]["request"]["url"]
        for message in messages
        if message["method"] == "Network.requestWillBeSent"
    ]


def test_the_docs_page_shows_the_operations_in_a_browser_and_asks_no_other_server(served_api, browser):
    browser.get(served_api.url + "/api/docs/")
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".opblock"))

    shown = {
        element.text.replace("\u200b", "")
        for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    methods = {
        element.text.lower() for element in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-method")
    }
    assert {path for _, path in operations(served_api.schema())} <= shown
    assert {"get", "post", "put", "delete"} <= methods
    urls = requested_urls(browser)
    assert any(url.startswith(served_api.url + "/static/") and url.endswith(".js") for url in urls)
    network = [url for url in urls if urllib.parse.urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    assert [url for url in network if not url.startswith(served_api.url + "/")] == []


@pytest.mark.parametrize("login", [None, ("mailer", "planted-smtp-password")], ids=["no login", "login"])
def test_mail_goes_through_email_url_to_a_real_smtp_server(served_api, login):
    with SmtpServer(login) as smtp:
        manage(
            served_api,
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
