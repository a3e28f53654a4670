"""A copy of an API framework's bake served by gunicorn with production settings, its
mail going to a real SMTP server, and a user who signed up through its accounts API's
app client (the mailed key verified, a session token got by signing in), for the
served-API, accounts and end-to-end API tests."""

import contextlib
import hashlib
import hmac
import http.client
import json
import re
import shutil
import urllib.parse
from collections import namedtuple
from pathlib import Path

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, run
from tests.helpers.processes import free_port, start_server, stop_server
from tests.helpers.project_commands import project_environment
from tests.helpers.smtp_server import SmtpServer

USER = ("ada@example.com", "a long served-test password")
# The SECRET_KEY the end-to-end API test serves with, and sends back in a request body.
PLANTED_SECRET_KEY = "e2e-api-planted-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# The accounts API's app client (the bake's docs/auth.md).
APP = "/_allauth/app/v1"
# Production settings, and each answer naming the worker that gave it (tests/served).
SETTINGS_FILES = ("api_settings.py", "worker_pid.py")
SERVED_FILES = Path(__file__).resolve().parents[1] / "served"

# One answer: its status, its body (parsed, for a JSON call) and the pid of its worker.
Answer = namedtuple("Answer", "status body worker")


class ServedApi:
    """The bake answering on a free loopback port, and a signed-in user's session token."""

    def __init__(self, project, python, environment, url, sentry):
        self.project, self.python, self.environment = project, python, environment
        self.url, self.sentry = url, sentry
        self.smtp = self.user_id = self.token = None

    @classmethod
    def copy_of(cls, bake, python, folder, sentry=None, **variables):
        """A copy of `bake` in `folder`, to be served on a free port with production
        settings and these `variables`, reporting to `sentry` when given."""
        project = folder / bake.name
        shutil.copytree(bake, project)
        for name in SETTINGS_FILES:
            shutil.copy(SERVED_FILES / name, project / name)
        port = free_port()
        environment = project_environment(
            **{
                **DEPLOYED_ENVIRONMENT,
                "DJANGO_SETTINGS_MODULE": "api_settings",
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false",
                "SENTRY_TRACES_SAMPLE_RATE": "0",
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                **variables,
            },
        )
        return cls(project, python, environment, f"http://127.0.0.1:{port}", sentry)

    def call(self, method, path, body=None, headers=None):
        """The Answer to one request, on a connection of its own: its body as bytes."""
        port = urllib.parse.urlsplit(self.url).port
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body, headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.read(), response.headers.get("X-Worker-Pid"))
        finally:
            connection.close()

    def json_call(self, method, path, payload=None, token=None, headers=None):
        """The Answer to one JSON request, sent with the session `token` when given: its
        body parsed when it is JSON."""
        headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            headers["X-Session-Token"] = token
        body = None if payload is None else json.dumps(payload)
        status, content, worker = self.call(method, path, body, headers)
        # A JSON answer parsed; any other (a server error's page) as it came.
        return Answer(status, json.loads(content) if content[:1] in (b"{", b"[") else content, worker)

    def write_headers(self):
        return {"Content-Type": "application/json", "X-Session-Token": self.token}

    def schema(self):
        status, body, _ = self.call("GET", "/api/openapi.json")
        assert status == 200
        return json.loads(body)

    # The accounts API's app client, as a frontend developer's first client uses it.

    def log_in(self, email, password, headers=None):
        return self.json_call(
            "POST", f"{APP}/auth/login", {"email": email, "password": password}, None, headers
        )

    def mailed_key(self, email, page="verify-email"):
        """The key of the newest link to the frontend's `page` mailed to `email`: the
        link's last path segment, URL-quoted in the mail."""
        [*_, message] = [message for message in self.smtp.messages if message.rcpt_tos == [email]]
        frontend = re.escape(self.environment["FRONTEND_URL"])
        link = re.search(rf"{frontend}/account/{page}/(\S+)", message.content.decode())
        return urllib.parse.unquote(link[1])

    def sign_up(self, email, password, headers=None):
        """Sign up, verify the mailed key and sign in, as a new user does, sending these
        `headers` too: the user's id and session token."""
        signup = {"email": email, "password": password}
        signed_up = self.json_call("POST", f"{APP}/auth/signup", signup, None, headers)
        # Signed up, not signed in: the address is still to verify.
        assert (signed_up.status, pending_flows(signed_up)) == (401, {"verify_email"}), signed_up
        key, token = self.mailed_key(email), signed_up.body["meta"]["session_token"]
        verified = self.json_call("POST", f"{APP}/auth/email/verify", {"key": key}, token, headers)
        assert (verified.status, pending_flows(verified)) == (401, set()), verified
        signed_in = self.log_in(email, password, headers)
        assert signed_in.status == 200, signed_in
        return signed_in.body["data"]["user"]["id"], signed_in.body["meta"]["session_token"]


def expected_user_id(served, user_id=None):
    """The user id Sentry must get for the user with this id (USER's by default): an
    HMAC-SHA256 of its primary key under SENTRY_USER_ID_KEY, in 32 hex characters."""
    key = served.environment["SENTRY_USER_ID_KEY"].encode()
    user_id = served.user_id if user_id is None else user_id
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def pending_flows(answer):
    """The flows an accounts API answer says are still to complete."""
    return {flow["id"] for flow in answer.body["data"]["flows"] if flow.get("is_pending")}


def manage(api, *args, **variables):
    result = run([api.python, "manage.py", *args], cwd=api.project, env={**api.environment, **variables})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@contextlib.contextmanager
def signed_in_under_gunicorn(served, log):
    """The bake migrated and its static files collected (the docs page's), served by
    gunicorn with its mail going to a real SMTP server, and USER signed up through it:
    served.token is USER's session token. Stopped at the end."""
    with SmtpServer() as smtp:
        served.smtp = smtp
        served.environment["EMAIL_URL"] = smtp.url()
        manage(served, "collectstatic", "--no-input", "--verbosity", "0")
        manage(served, "migrate", "--no-input")
        command = [served.python, "-m", "gunicorn", "--config", "gunicorn.conf.py", "core.wsgi"]
        gunicorn = start_server(
            command, served.url + "/api/health/", log, cwd=served.project, env=served.environment
        )
        try:
            served.user_id, served.token = served.sign_up(*USER)
            yield
        finally:
            stop_server(gunicorn)
