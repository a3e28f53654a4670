"""Fixtures shared by the suite: Sentry with a capturing transport, users who can sign
in, and a way to run the project in a fresh process under any settings module."""

import os
{%- if cookiecutter.background_jobs == "celery" %}
import socket
{%- endif %}
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.test.client import MULTIPART_CONTENT
from sentry_sdk.transport import Transport

from observability.sentry import init_sentry
from tests.accounts_client import CLIENTS, PASSWORD, AccountsClient

PROJECT_DIR = Path(__file__).resolve().parent.parent

# A well-formed DSN that is never contacted: CapturingTransport keeps everything.
TEST_DSN = "https://public-key@sentry.invalid/42"
# The key of Sentry's user pseudonyms while the tests run Sentry (observability/user_id.py).
TEST_USER_ID_KEY = "test-user-id-key-0123456789abcdefghijklmnopqrstuvwxyz"

# What a deployed server must be given; placeholders, long enough for check --deploy.
DEPLOYED_ENVIRONMENT = {
    "SECRET_KEY": "placeholder-secret-key-for-tests-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver,localhost",
    "EMAIL_URL": "dummymail://",  # sends nothing
    "FRONTEND_URL": "https://app.example.com",
{%- if cookiecutter.background_jobs == "celery" %}
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",  # never contacted by these tests
{%- endif %}
}


class CapturingTransport(Transport):
    """Keeps every envelope the SDK hands over, exactly as it would have been sent."""

    def __init__(self):
        super().__init__()
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def items(self, item_type):
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == item_type
        ]

    @property
    def events(self):
        return self.items("event")

    def batched(self, item_type):
        """Spans and logs: the SDK buffers them and sends batches from a thread of its
        own, so what it holds is flushed first."""
        sentry_sdk.flush()
        # Attributes are sent as {"value": ..., "type": ...}; tests read the values.
        return [
            {
                **entry,
                "attributes": {name: typed["value"] for name, typed in entry.get("attributes", {}).items()},
            }
            for batch in self.items(item_type)
            for entry in batch["items"]
        ]

    @property
    def spans(self):
        return self.batched("span")

    @property
    def logs(self):
        return self.batched("log")

    def segments(self):
        """The root span of each trace: a request's, a task's."""
        return [span for span in self.spans if span["is_segment"]]

    @property
    def sent_bytes(self):
        return b"".join(envelope.serialize() for envelope in self.envelopes)


@pytest.fixture
def start_sentry(monkeypatch):
    """Start Sentry through observability.sentry as a settings module would, with the
    given environment variables, and return the transport that captures what it sends."""

    def start(environment="test", **variables):
        variables = {
            "SENTRY_DSN": TEST_DSN,
            "SENTRY_USER_ID_KEY": TEST_USER_ID_KEY,
            "SENTRY_TRACES_SAMPLE_RATE": "0",
            **variables,
        }
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        transport = CapturingTransport()
        init_sentry(environment, transport=transport)
        return transport

    yield start
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.fixture
def make_user(db):
    """make_user(email) gives a user who can sign in: the address verified, as after
    following the mailed link, and the password PASSWORD."""

    def make(email="ada@example.com", password=PASSWORD, **fields):
        user = get_user_model().objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def session_token(db):
    """session_token(email) signs in as allauth's app client does and gives the token to
    send in X-Session-Token (docs/auth.md)."""

    def sign_in(email, password=PASSWORD):
        app = AccountsClient("app")
        response = app.log_in(email, password)
        assert response.status_code == 200, response.content
        return app.session_token

    return sign_in


@pytest.fixture(params=CLIENTS)
def accounts(request, db):
    """A client of the accounts API (tests/accounts_client.py): the test runs once as a
    browser and once as an app."""
    return AccountsClient(request.param)


class WsgiClient:
    """Requests served in this thread through a WSGI application (Django's own handler by
    default), the way a server calls it, so the SDK's instrumentation of it runs: the
    response is finished, and its transaction sent, when a call returns. Each call gives
    (status code, body).

    Django's test Client skips the WSGI handler, and with it the SDK's request scope.
    Like the test Client, it keeps the request from closing the database connection,
    which holds the test's transaction.
    """

    def __init__(self, application=None):
        self.factory = RequestFactory()
        self.application = application

    def get(self, path, data=None, **extra):
        return self.serve(self.factory.get(path, data, **extra).environ)

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, **extra):
        return self.serve(self.factory.post(path, data, content_type, **extra).environ)

    def generic(self, method, path, **extra):
        return self.serve(self.factory.generic(method, path, **extra).environ)

    def serve(self, environ):
        # Django's handler loads MIDDLEWARE when it is made: at the first request, after
        # a test has changed the settings.
        self.application = self.application or WSGIHandler()
        answer: dict[str, str] = {}
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.application(environ, lambda status, headers: answer.update(status=status))
            body = b"".join(response)
            getattr(response, "close", lambda: None)()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return int(answer["status"].split()[0]), body


@pytest.fixture
def wsgi_client(settings, request):
    """A WsgiClient for the urlpatterns of the test module that asks for it (pytest-django's
    own `client` skips the WSGI handler, and with it what Sentry instruments)."""
    settings.ROOT_URLCONF = request.module.__name__
    settings.ALLOWED_HOSTS = ["testserver"]
    return WsgiClient()


@pytest.fixture
def served_client(wsgi_client):
    """The same, through core.wsgi as a server calls it: edge/ first, then Django."""
    from core.wsgi import application

    wsgi_client.application = application
    return wsgi_client


{%- if cookiecutter.background_jobs == "celery" %}


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
{%- endif %}


def clean_environment(**variables):
    """This process's environment without Django or Sentry settings, plus `variables`."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "SENTRY_"))
        and name not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    }
    return {**inherited, "SENTRY_DSN": "", **variables}


def run_project(args, settings_module, cwd=PROJECT_DIR, timeout=120, **variables):
    """Run `python <args>` in a fresh process, as a server or a developer would."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=clean_environment(DJANGO_SETTINGS_MODULE=f"core.settings.{settings_module}", **variables),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_django(code, settings_module, **variables):
    """Run `code` after django.setup() in a fresh process under `settings_module`, and
    return the last line it printed (the app's own log lines go to stdout too)."""
    result = run_project(["-c", "import django\ndjango.setup()\n" + code], settings_module, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]
