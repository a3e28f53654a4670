"""A bake served for real under gunicorn (core.wsgi) or uvicorn (core.asgi), with
production settings, the failing routes of tests/served and a capturing Sentry endpoint,
and the one-request client the serving tests send with."""

import shutil
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, run
from tests.helpers.processes import free_port, start_server
from tests.helpers.project_commands import project_environment

# Files the serving tests copy into a bake: routes that fail as real code would, the
# settings that serve them, and the Celery bake's job routes, settings and task.
SERVED_FILES = Path(__file__).resolve().parents[1] / "served"


def with_served_routes(bake, python, destination, **variables):
    """A copy of `bake` in `destination` with the failing routes of tests/served, and its
    static files collected as a deployed project has them (the admin's pages link them)."""
    project = destination / bake.name
    shutil.copytree(bake, project)
    for name in ("served_routes.py", "served_settings.py"):
        shutil.copy(SERVED_FILES / name, project / name)
    collected = run(
        [python, "manage.py", "collectstatic", "--no-input"],
        cwd=project,
        env=project_environment("production", **DEPLOYED_ENVIRONMENT, **variables),
    )
    assert collected.returncode == 0, collected.stderr
    return project


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
