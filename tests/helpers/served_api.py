"""A copy of an API framework's bake served by gunicorn with production settings, and a
signed-in user's session on it, for the served-API and end-to-end API tests."""

import contextlib
import http.client
import http.cookies
import json
import re
import shutil
import urllib.parse

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, run
from tests.helpers.processes import free_port, start_server, stop_server
from tests.helpers.project_commands import project_environment

ADMIN = ("api-admin", "a long served-test password")
# The SECRET_KEY the end-to-end API test serves with, and sends back in a request body.
PLANTED_SECRET_KEY = "e2e-api-planted-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


class ServedApi:
    """The bake answering on a free loopback port, and a signed-in user's session."""

    def __init__(self, project, python, environment, url, sentry):
        self.project, self.python, self.environment = project, python, environment
        self.url, self.sentry = url, sentry
        self.cookies = {}

    @classmethod
    def copy_of(cls, bake, python, folder, sentry=None, **variables):
        """A copy of `bake` in `folder`, to be served on a free port with production
        settings and these `variables`, reporting to `sentry` when given."""
        project = folder / bake.name
        shutil.copytree(bake, project)
        port = free_port()
        environment = project_environment(
            "production",
            **{
                **DEPLOYED_ENVIRONMENT,
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false",
                "SENTRY_TRACES_SAMPLE_RATE": "0",
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                **variables,
            },
        )
        return cls(project, python, environment, f"http://127.0.0.1:{port}", sentry)

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
