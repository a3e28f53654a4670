"""Fixtures for the template's suite: bakes, and one virtual environment in which a
baked project's uv.lock is installed, as a user's `make` would."""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from uv import find_uv_bin

from tests.postgres import PostgresCluster
from tests.processes import free_port
from tests.redis_server import RedisServer

TEMPLATE_DIR = Path(__file__).resolve().parent.parent

# What a deployed server must be given; placeholders long enough for check --deploy.
DEPLOYED_ENVIRONMENT = {
    "SECRET_KEY": "placeholder-secret-key-for-template-tests-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "api.example.com",
    "EMAIL_URL": "dummymail://",
    "SENTRY_DSN": "",
}


# The uv of the template's own environment (requirements-dev.txt pins the release the
# generated Makefile installs): on PATH, bakes' Makefiles use it as a user's own uv.
UV = Path(find_uv_bin())
# uv as the generated Makefile sets it up: the machine's Python, bytecode at install.
UV_ENVIRONMENT = {"UV_PYTHON": "python3", "UV_PYTHON_DOWNLOADS": "never", "UV_COMPILE_BYTECODE": "1"}


@pytest.fixture(scope="session", autouse=True)
def uv_on_path(tmp_path_factory):
    """uv alone on PATH: the rest of the template's environment stays out of the bakes'."""
    uv_dir = tmp_path_factory.mktemp("uv-on-path")
    (uv_dir / "uv").symlink_to(UV)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{uv_dir}{os.pathsep}{os.environ['PATH']}")
        yield


def uv_sync(project, environment_dir):
    """`uv sync --locked` of a bake into `environment_dir`, as the Makefile runs it."""
    environment = {**os.environ, **UV_ENVIRONMENT, "UV_PROJECT_ENVIRONMENT": str(environment_dir)}
    command = [UV, "sync", "--locked", "--quiet"]
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return Path(environment_dir) / "bin" / "python"


@pytest.fixture(scope="session", autouse=True)
def temporary_files_stay_in_pytest_temp(tmp_path_factory):
    """Cookiecutter writes each rendered hook to a temporary file and never deletes it:
    point this process and every subprocess at a folder pytest cleans up."""
    scratch = str(tmp_path_factory.mktemp("tmp"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", scratch)
        patch.setattr(tempfile, "tempdir", scratch)
        yield


def bake_ok(cookies, **answers):
    """Bake with these answers and return the project folder, failing loudly if refused."""
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    return Path(result.project_path)


@pytest.fixture(scope="session")
def default_project(cookies_session):
    return bake_ok(cookies_session)


@pytest.fixture(scope="session")
def celery_project(cookies_session):
    return bake_ok(cookies_session, background_jobs="celery")


@pytest.fixture(scope="session")
def drf_project(cookies_session):
    return bake_ok(cookies_session, api_framework="drf")


@pytest.fixture(scope="session")
def no_api_project(cookies_session):
    return bake_ok(cookies_session, api_framework="none")


@pytest.fixture(params=["default", "celery", "drf", "no_api"])
def each_project(request):
    """The default bake (Django Ninja), the one with background jobs, and each other API
    framework choice."""
    return request.getfixturevalue(f"{request.param}_project")


@pytest.fixture(scope="session")
def project_python(cookies_session, tmp_path_factory):
    """A Python with a PostgreSQL bake's uv.lock installed, as `make` would: the SQLite
    lock pins the same versions, less the PostgreSQL driver (tests/test_locks.py)."""
    project = bake_ok(cookies_session, database="postgresql")
    return uv_sync(project, tmp_path_factory.mktemp("generated-project-venv"))


@pytest.fixture(scope="session")
def drf_python(drf_project, tmp_path_factory):
    """A Python with the REST framework bake's uv.lock installed (the default bake's
    Django Ninja is not in it)."""
    return uv_sync(drf_project, tmp_path_factory.mktemp("drf-project-venv"))


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of this test session (one per xdist worker)."""
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def redis():
    """A Redis server of this test session (one per xdist worker), with a password."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def run(command, cwd, env=None, timeout=300):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def cookiecutter_cli(output_dir, *answers):
    """Bake the way a user does, on the command line, with `key=value` answers."""
    return run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--output-dir",
            output_dir,
            TEMPLATE_DIR,
            *answers,
        ],
        cwd=output_dir,
    )


def load_module(path):
    """Import a Python file that is not on sys.path (a hook, a baked project's script)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sentry_local_project(default_project, tmp_path_factory):
    """A copy of the default bake whose own `make sentry-local` runs Bugsink for the
    whole session: installed, migrated and started once, stopped by `make` at the end."""
    project = tmp_path_factory.mktemp("sentry-local") / default_project.name
    shutil.copytree(default_project, project)
    try:
        started = run(["make", "sentry-local", f"SENTRY_LOCAL_PORT={free_port()}"], cwd=project, timeout=900)
        assert started.returncode == 0, started.stdout + started.stderr
        yield project
    finally:
        stopped = run(["make", "sentry-local-stop"], cwd=project)
        assert stopped.returncode == 0, stopped.stderr


def env_file_values(project):
    lines = (project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture(scope="session")
def bugsink(sentry_local_project):
    """The running Bugsink, driven through the baked project's own script, on the port
    of the DSN that `make sentry-local` wrote into the project's .env."""
    port = urllib.parse.urlsplit(env_file_values(sentry_local_project)["SENTRY_DSN"]).port
    script = load_module(sentry_local_project / "scripts" / "sentry_local.py")
    return script.LocalSentry(
        sentry_local_project / ".sentry-local", sentry_local_project / ".venv-sentry", port
    )
