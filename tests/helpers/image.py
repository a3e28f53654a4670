"""The generated project's image as the image tests build and run it: a bake with what
must never reach a layer planted beside its .env, the variables and volume a server
gives the container, and waiting until it serves."""

import secrets
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass

from tests.helpers.bake import bake_ok
from tests.helpers.docker_engine import build, docker
from tests.helpers.processes import free_port, wait_for
from tests.helpers.serving import request as status

# The Sentry release the image is built with, which its events must carry.
RELEASE = "averon-backend@image-test"

# Planted beside the bake's own .env (and its SECRET_KEY): none may reach a layer.
PLANTED_ENV_SECRET = f"planted-env-file-secret-{secrets.token_hex(8)}"
PLANTED_DATABASE_ROW = f"planted-database-row-{secrets.token_hex(8)}"
NEVER_IN_A_LAYER = {".env", ".env.production", ".git", "db.sqlite3", ".venv", ".sentry-local"}
# The controls: a file the image must hold, with a value that must be found in it.
CONTROL_VALUE = f"control-value-{secrets.token_hex(8)}"


def bake_with_planted_files(cookies, database):
    """A bake with what must stay out of the image planted beside its .env: a git
    repository, a SQLite database, another env file, local environments; and a control."""
    project = bake_ok(cookies, database=database)
    subprocess.run(["git", "init", "-q", project], check=True)
    (project / "db.sqlite3").write_text(PLANTED_DATABASE_ROW)
    (project / ".env.production").write_text(f"SECRET_KEY={PLANTED_ENV_SECRET}\n")
    for local_folder in (".venv", ".sentry-local"):
        (project / local_folder).mkdir()
        (project / local_folder / "planted.txt").write_text(PLANTED_ENV_SECRET)
    (project / "ops" / "control.txt").write_text(CONTROL_VALUE)
    return project


@dataclass
class Deployment:
    """What a server gives the container: variables, and where its database lives."""

    environment: dict
    options: list

    def listening(self, **variables):
        """The environment with a port of its own on 127.0.0.1, and its URL."""
        port = free_port()
        environment = {**self.environment, "GUNICORN_BIND": f"127.0.0.1:{port}", **variables}
        return environment, f"http://127.0.0.1:{port}"


def logs(name):
    result = docker("logs", name)
    return result.stdout + result.stderr


def wait_until_serving(name, url):
    def answering():
        try:
            return status(url + "/api/health/") == 200
        except OSError:
            state = docker("inspect", "--format", "{{.State.Status}}", name).stdout.strip()
            assert state == "running", f"the container is {state}:\n{logs(name)[-3000:]}"
            return False

    wait_for(answering, timeout=90, what="the container's health route")


@contextmanager
def built_image(project, base, *build_args, label=""):
    """The project's image, built on `base` with these build arguments; its tag, and the
    image removed at the end."""
    tag = f"averon-template-test-image:{label}{secrets.token_hex(4)}"
    build(project, tag, base, *build_args)
    try:
        yield tag
    finally:
        docker("image", "rm", "--force", tag, check=False)
