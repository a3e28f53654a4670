"""The generated project's image, built and run for real, for a SQLite and a PostgreSQL
bake: it installs the lock and only what serving needs, serves and passes Docker's health
check given only environment variables, runs gunicorn as PID 1 and not as root, reports
to Sentry under the release it was built with, stops gracefully sending what it still
holds, refuses to start without SECRET_KEY, leaves migrations to their own command, and
none of its layers holds what was planted beside the project's .env.

Each bake's image is built once (the base image once per machine, tests/docker_engine.py)
and most checks share one container. Containers use the host's network and 127.0.0.1.
"""

import json
import re
import secrets
import subprocess
import threading
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import PurePosixPath

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, TEMPLATE_DIR, bake_ok, env_file_values, load_module
from tests.docker_engine import (
    base_image,
    build,
    container,
    debian_release,
    docker,
    docker_daemon,
    image_files,
    run_once,
)
from tests.processes import free_port, wait_for
from tests.test_served_sentry import request as status

# One worker builds and runs all of these, with one Docker daemon (--dist loadgroup).
pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("docker")]

RELEASE = "averon-backend@image-test"
# gunicorn.conf.py's default GUNICORN_GRACEFUL_TIMEOUT, in seconds.
GRACEFUL_TIMEOUT = 30
# What a load balancer that terminates TLS adds: the debug route is not redirected.
HTTPS = {"X-Forwarded-Proto": "https"}

# Planted beside the bake's own .env (and its SECRET_KEY): none may reach a layer.
PLANTED_ENV_SECRET = f"planted-env-file-secret-{secrets.token_hex(8)}"
PLANTED_DATABASE_ROW = f"planted-database-row-{secrets.token_hex(8)}"
NEVER_IN_A_LAYER = {".env", ".env.production", ".git", "db.sqlite3", ".venv", ".sentry-local"}
# The controls: a file the image must hold, with a value that must be found in it.
CONTROL_VALUE = f"control-value-{secrets.token_hex(8)}"

# Run inside the image: what is installed, and what is there besides.
INSTALLED = """
import importlib.metadata, json, os
print(json.dumps({
    "installed": {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()},
    "app": sorted(os.listdir("/app")),
    "uv": os.path.exists("/opt/uv"),
}))
"""
# Run inside the container: every process's user (a /proc entry belongs to its process's
# effective user) and command line.
PROCESSES = """
import json, pathlib
processes = {}
for proc in pathlib.Path("/proc").glob("[0-9]*"):
    try:
        argv = (proc / "cmdline").read_text().split("\\0")
        processes[proc.name] = {"uid": proc.stat().st_uid, "argv": argv}
    except FileNotFoundError:
        pass  # ended meanwhile, as a health check does
print(json.dumps(processes))
"""


def program(path):
    return PurePosixPath(path).name


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


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


@pytest.fixture(scope="module")
def docker_ready(tmp_path_factory):
    with docker_daemon(tmp_path_factory.mktemp("dockerd")):
        yield


@pytest.fixture(scope="module")
def base(docker_ready, tmp_path_factory):
    release = debian_release(TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "Dockerfile")
    return base_image(release, tmp_path_factory.mktemp("base-image"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request):
    return request.param


@pytest.fixture(scope="module")
def project(cookies_session, database):
    """A bake with what must stay out of the image planted beside its .env: a git
    repository, a SQLite database, another env file, local environments; and a control."""
    project = bake_ok(cookies_session, database=database)
    subprocess.run(["git", "init", "-q", project], check=True)
    (project / "db.sqlite3").write_text(PLANTED_DATABASE_ROW)
    (project / ".env.production").write_text(f"SECRET_KEY={PLANTED_ENV_SECRET}\n")
    for local_folder in (".venv", ".sentry-local"):
        (project / local_folder).mkdir()
        (project / local_folder / "planted.txt").write_text(PLANTED_ENV_SECRET)
    (project / "ops" / "control.txt").write_text(CONTROL_VALUE)
    return project


@pytest.fixture(scope="module")
def image(project, base):
    tag = f"averon-template-test-image:{secrets.token_hex(4)}"
    build(project, tag, base, f"SENTRY_RELEASE={RELEASE}")
    yield tag
    docker("image", "rm", "--force", tag, check=False)


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


@pytest.fixture(scope="module")
def deployment(database, request):
    """Secrets and hosts, two workers; a PostgreSQL bake's database on the suite's server,
    a SQLite bake's on a volume, as the project's README says to run it."""
    environment = {**DEPLOYED_ENVIRONMENT, "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "2"}
    if database == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"image_{secrets.token_hex(4)}")
        yield Deployment({**environment, "DATABASE_URL": url}, [])
        return
    volume = docker("volume", "create").stdout.strip()
    try:
        yield Deployment(environment, [f"--volume={volume}:/app/data"])
    finally:
        docker("volume", "rm", "--force", volume, check=False)


@pytest.fixture(scope="module")
def sentry(project):
    with load_module(project / "tests" / "envelope_server.py").EnvelopeServer() as server:
        yield server


@pytest.fixture(scope="module")
def served(image, deployment, sentry):
    """The image's own command, Sentry pointed at the capturing endpoint, the debug route
    on; Docker probes its health every second instead of every 30."""
    environment, url = deployment.listening(SENTRY_DSN=sentry.dsn(), SENTRY_DEBUG_ROUTE_ENABLED="true")
    with container(image, environment, *deployment.options, "--health-interval=1s") as name:
        wait_until_serving(name, url)
        yield name, url


def test_image_builds_from_the_lock_with_only_what_serving_needs(image, project):
    locked = {
        normalized(package["name"]): package["version"]
        for package in tomllib.loads((project / "uv.lock").read_text())["package"]
    }

    result = run_once(image, {}, "python3", "-c", INSTALLED)

    assert result.returncode == 0, result.stderr
    contents = json.loads(result.stdout)
    installed = {normalized(name): version for name, version in contents["installed"].items()}
    assert installed.items() <= locked.items()
    assert {"django", "gunicorn", "sentry-sdk", "whitenoise"} <= installed.keys()
    assert {"pytest", "ruff", "mypy", "coverage", "uv"} & installed.keys() == set()
    assert {"tests", "docs", "scripts", "Makefile", ".github"} & set(contents["app"]) == set()
    assert contents["uv"] is False


def test_given_only_variables_it_serves_health_and_docker_reports_it_healthy(served):
    name, url = served

    with urllib.request.urlopen(url + "/api/health/", timeout=10) as response:
        assert (response.status, json.load(response)) == (200, {"status": "ok", "database": "ok"})

    def health():
        return docker("inspect", "--format", "{{.State.Health.Status}}", name).stdout.strip() == "healthy"

    wait_for(health, timeout=60, what="Docker's health check passing")


def test_gunicorn_is_pid_1_and_no_process_runs_as_root(served):
    name, _ = served

    processes = json.loads(docker("exec", name, "python3", "-c", PROCESSES).stdout)

    gunicorns = {pid for pid, process in processes.items() if "gunicorn" in map(program, process["argv"][:2])}
    assert "1" in gunicorns
    assert len(gunicorns) == 3  # the master and its two workers
    assert [p for p in processes.values() if p["uid"] == 0] == []


def test_one_request_to_the_debug_route_makes_one_event_with_the_built_in_release(served, sentry):
    _, url = served

    assert status(url + "/api/sentry-debug/", headers=HTTPS) == 500

    [event] = wait_for(sentry.events, what="the event at the capturing endpoint")
    assert event["release"] == RELEASE
    assert event["environment"] == "production"
    assert event["exception"]["values"][0]["type"] == "ZeroDivisionError"


@pytest.mark.usefixtures("served")
def test_migrate_is_a_command_of_its_own_that_serving_never_runs(image, deployment):
    environment, _ = deployment.listening()

    def manage(*args):
        return run_once(image, environment, "python3", "manage.py", *args, options=deployment.options)

    pending = manage("migrate", "--check")  # with the server up: it applied none
    migrated = manage("migrate", "--no-input")
    applied = manage("migrate", "--check")

    assert pending.returncode == 1, pending.stdout + pending.stderr
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert applied.returncode == 0, applied.stdout + applied.stderr


def test_docker_stop_ends_gunicorn_within_its_graceful_timeout_and_queued_events_arrive(
    image, deployment, project
):
    envelope_server = load_module(project / "tests" / "envelope_server.py")

    class HeldEnvelopes(envelope_server.EnvelopeHandler):
        """Accepts no envelope until the test lets them through, so they are still
        queued in the workers when SIGTERM arrives."""

        def do_POST(self):
            self.server.let_through.wait(timeout=60)
            super().do_POST()

    with envelope_server.EnvelopeServer() as sentry:
        sentry.RequestHandlerClass = HeldEnvelopes
        sentry.let_through = threading.Event()
        environment, url = deployment.listening(SENTRY_DSN=sentry.dsn(), SENTRY_DEBUG_ROUTE_ENABLED="true")
        try:
            with container(image, environment, *deployment.options) as name:
                wait_until_serving(name, url)
                statuses = [status(url + "/api/sentry-debug/", headers=HTTPS) for _ in range(3)]
                stop = ["docker", "stop", "-t", str(GRACEFUL_TIMEOUT), name]
                with subprocess.Popen(stop, stdout=subprocess.DEVNULL) as stopping:
                    wait_for(lambda: "Handling signal: term" in logs(name), what="gunicorn handling SIGTERM")
                    sentry.let_through.set()
                    stopping.wait(timeout=GRACEFUL_TIMEOUT + 30)
                # 0 is gunicorn's own exit; after the timeout Docker kills it (137).
                exit_code = docker("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
        finally:
            sentry.let_through.set()

    assert statuses == [500, 500, 500]
    assert exit_code == "0"
    assert len(sentry.events()) == 3


def test_without_secret_key_the_container_exits_with_one_line_naming_it(image, deployment):
    environment, _ = deployment.listening()
    del environment["SECRET_KEY"]

    result = run_once(image, environment, options=deployment.options)

    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("ImproperlyConfigured: SECRET_KEY is not set"), line


def test_no_layer_holds_env_files_git_local_databases_or_the_secret_key(image, project, tmp_path):
    planted = {env_file_values(project)["SECRET_KEY"], PLANTED_ENV_SECRET, PLANTED_DATABASE_ROW}
    leaked_paths, leaked_values, controls = [], set(), set()

    for path, content in image_files(image, tmp_path):
        if NEVER_IN_A_LAYER & set(PurePosixPath(path).parts):
            leaked_paths.append(path)
        leaked_values |= {value for value in planted if value.encode() in content}
        if path == "app/.env.example":
            controls.add(".env.example")
        if CONTROL_VALUE.encode() in content:
            controls.add(path)

    assert leaked_paths == []
    assert leaked_values == set()
    assert controls == {".env.example", "app/ops/control.txt"}


@pytest.fixture(scope="module")
def jobs_image(cookies_session, base):
    tag = f"averon-template-test-image:jobs-{secrets.token_hex(4)}"
    build(bake_ok(cookies_session, background_jobs="celery"), tag, base)
    yield tag
    docker("image", "rm", "--force", tag, check=False)


def test_the_same_image_runs_a_celery_worker_that_runs_queued_tasks(jobs_image, redis):
    volume = docker("volume", "create").stdout.strip()
    environment = {**DEPLOYED_ENVIRONMENT, "ALLOWED_HOSTS": "127.0.0.1", "CELERY_BROKER_URL": redis.url(2)}
    options = [f"--volume={volume}:/app/data"]
    worker_command = ["celery", "--app", "core", "worker", "--loglevel", "INFO", "--concurrency", "1"]
    queue = "from ops.tasks import clear_expired_sessions; print(clear_expired_sessions.delay().id)"
    try:
        migrated = run_once(jobs_image, environment, "python3", "manage.py", "migrate", options=options)
        assert migrated.returncode == 0, migrated.stderr
        with container(
            jobs_image, environment, *options, "--no-healthcheck", command=worker_command
        ) as worker:
            wait_for(lambda: "ready." in logs(worker), timeout=90, what="the worker")
            queued = run_once(
                jobs_image, environment, "python3", "manage.py", "shell", "-c", queue, options=options
            )
            assert queued.returncode == 0, queued.stderr
            task_id = queued.stdout.split()[-1]

            wait_for(lambda: f"{task_id}] succeeded" in logs(worker), timeout=60, what="the task")
            processes = json.loads(docker("exec", worker, "python3", "-c", PROCESSES).stdout)
    finally:
        docker("volume", "rm", "--force", volume, check=False)

    assert "celery" in map(program, processes["1"]["argv"][:2])
    assert [p for p in processes.values() if p["uid"] == 0] == []
