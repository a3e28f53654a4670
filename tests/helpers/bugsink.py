"""A real Sentry-protocol server (Bugsink, started by the bake's own `make sentry-local`)
read back through its API, and the baked project served to it the way the end-to-end
tests serve it: gunicorn with production settings, or runserver with development ones."""

import urllib.error
import urllib.parse
import urllib.request
import uuid

from tests.helpers.bake import DEPLOYED_ENVIRONMENT
from tests.helpers.processes import free_port, start_server, wait_for
from tests.helpers.project_commands import project_environment

RELEASE = "averon-e2e@1.0.0"
# The server's own secrets, from its environment, most under names no list could hold;
# the client sends them back in fields the project allows, and they must still go.
SERVER_SECRETS = {
    "SECRET_KEY": "e2e-planted-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
    "CACHE_URL": "redis://:e2e-planted-cache-password@127.0.0.1:6379/0",
    "STRIPE_SK": "sk_live_51E2ePlantedStripeKey",
    "GITHUB_PAT": "ghp_E2ePlantedGithubPat0123456789",
}
PLANTED_ENVIRONMENT_SECRETS = [
    SERVER_SECRETS["SECRET_KEY"],
    "e2e-planted-cache-password",
    SERVER_SECRETS["STRIPE_SK"],
    SERVER_SECRETS["GITHUB_PAT"],
]
PROJECT_VALUES_SENT_BACK = {
    f"comment{n}": f"see {value}" for n, value in enumerate(PLANTED_ENVIRONMENT_SECRETS)
}
# What the served project lets through beyond the defaults (observability/privacy/allowlists.py): the
# controls, and the fields the secrets come back in.
ALLOWED = {
    "SENTRY_ALLOWED_HEADERS": "X-Client-Version",
    "SENTRY_ALLOWED_BODY_FIELDS": ",".join(["note", "comment_dsn", *PROJECT_VALUES_SENT_BACK]),
}
# How long Bugsink may take to show what the SDK sent; events usually land in milliseconds.
ARRIVAL_TIMEOUT = 20


class BugsinkProject:
    """A fresh Bugsink project per test, so counts start at zero."""

    def __init__(self, bugsink):
        self.bugsink = bugsink
        self.name = f"e2e-{uuid.uuid4().hex[:8]}"
        self.dsn = bugsink.ensure_project(self.name)
        self.id = self.dsn.rsplit("/", 1)[1]

    def issues(self):
        return self.bugsink.api("GET", f"issues/?project={self.id}")["results"]

    def events(self, issue):
        listed = self.bugsink.api("GET", f"events/?issue={issue['id']}")["results"]
        return [self.bugsink.api("GET", f"events/{event['id']}/")["data"] for event in listed]

    def wait_for_issues(self, count):
        return wait_for(
            lambda: (issues := self.issues()) and len(issues) >= count and issues,
            ARRIVAL_TIMEOUT,
            f"{count} issues in Bugsink",
        )

    def all_event_data(self):
        return [data for issue in self.issues() for data in self.events(issue)]


class ServedProject:
    """The baked project answering real HTTP on a free loopback port."""

    def __init__(self, url, sentry_environment):
        self.url = url
        self.sentry_environment = sentry_environment

    def request(self, path, form=None, headers=None):
        body = urllib.parse.urlencode(form).encode() if form else None
        # As a TLS-terminating load balancer would say, so production does not redirect.
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def serve_with_dsn(kind, project_dir, python, tmp_path, dsn):
    """Start gunicorn (production settings) or runserver (development settings),
    reporting to `dsn` (empty: Sentry off), with the server's secrets and the controls it lets through."""
    port = free_port()
    sentry_environment = f"e2e-{kind}"
    variables = {
        "SENTRY_DSN": dsn,
        "SENTRY_ENVIRONMENT": sentry_environment,
        "SENTRY_RELEASE": RELEASE,
        "SENTRY_DEBUG_ROUTE_ENABLED": "true",
        **SERVER_SECRETS,
        **ALLOWED,
    }
    if kind == "gunicorn":
        command = [
            python,
            "-m",
            "gunicorn",
            "core.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ]
        env = project_environment(
            "production", **{**DEPLOYED_ENVIRONMENT, **variables, "ALLOWED_HOSTS": "127.0.0.1"}
        )
    else:
        command = [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        env = project_environment("development", **variables)
    url = f"http://127.0.0.1:{port}"
    process = start_server(command, url + "/api/health/", tmp_path / f"{kind}.log", cwd=project_dir, env=env)
    return process, ServedProject(url, sentry_environment)
