"""The generated project's image, built and run for real, for a SQLite and a PostgreSQL
bake: it installs the lock and only what serving needs, serves and passes Docker's health
check given only environment variables, runs gunicorn as PID 1 and not as root, reports
to Sentry under the release it was built with, stops gracefully sending what it still
holds, refuses to start without SECRET_KEY, leaves migrations to their own command, and
none of its layers holds what was planted beside the project's .env.

Each bake's image is built once (the base image once per machine, tests/helpers/docker_engine.py)
and most checks share one container. Containers use the host's network and 127.0.0.1.
"""

import json
import re
import subprocess
import threading
import tomllib
import urllib.request
from pathlib import PurePosixPath

import pytest

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, env_file_values, envelope_server
from tests.helpers.docker_engine import container, docker, image_files, run_once
from tests.helpers.image import (
    CONTROL_VALUE,
    NEVER_IN_A_LAYER,
    PLANTED_DATABASE_ROW,
    PLANTED_ENV_SECRET,
    RELEASE,
    logs,
    wait_until_serving,
)
from tests.helpers.processes import wait_for
from tests.helpers.serving import request as status

# One worker builds and runs all of these, with one Docker daemon (--dist loadgroup).
pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("docker")]

# gunicorn.conf.py's default GUNICORN_GRACEFUL_TIMEOUT, in seconds.
GRACEFUL_TIMEOUT = 30
# What a load balancer that terminates TLS adds: the debug route is not redirected.
HTTPS = {"X-Forwarded-Proto": "https"}

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


def test_image_builds_from_the_lock_with_only_what_serving_needs(image, image_project):
    locked = {
        normalized(package["name"]): package["version"]
        for package in tomllib.loads((image_project / "uv.lock").read_text())["package"]
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


def test_given_only_variables_it_serves_health_and_docker_reports_it_healthy(served_image):
    name, url, _ = served_image

    with urllib.request.urlopen(url + "/api/health/", timeout=10) as response:
        assert (response.status, json.load(response)) == (200, {"status": "ok", "database": "ok"})

    def health():
        return docker("inspect", "--format", "{{.State.Health.Status}}", name).stdout.strip() == "healthy"

    wait_for(health, timeout=60, what="Docker's health check passing")


def test_gunicorn_is_pid_1_and_no_process_runs_as_root(served_image):
    name, _, _ = served_image

    processes = json.loads(docker("exec", name, "python3", "-c", PROCESSES).stdout)

    gunicorns = {pid for pid, process in processes.items() if "gunicorn" in map(program, process["argv"][:2])}
    assert "1" in gunicorns
    assert len(gunicorns) == 3  # the master and its two workers
    assert [p for p in processes.values() if p["uid"] == 0] == []


def test_one_request_to_the_debug_route_makes_one_event_with_the_built_in_release(served_image):
    _, url, sentry = served_image

    assert status(url + "/api/sentry-debug/", headers=HTTPS) == 500

    [event] = wait_for(sentry.events, what="the event at the capturing endpoint")
    assert event["release"] == RELEASE
    assert event["environment"] == "production"
    assert event["exception"]["values"][0]["type"] == "ZeroDivisionError"


@pytest.mark.usefixtures("served_image")
def test_migrate_is_a_command_of_its_own_that_serving_never_runs(image, image_deployment):
    environment, _ = image_deployment.listening()

    def manage(*args):
        return run_once(image, environment, "python3", "manage.py", *args, options=image_deployment.options)

    pending = manage("migrate", "--check")  # with the server up: it applied none
    migrated = manage("migrate", "--no-input")
    applied = manage("migrate", "--check")

    assert pending.returncode == 1, pending.stdout + pending.stderr
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert applied.returncode == 0, applied.stdout + applied.stderr


def test_docker_stop_ends_gunicorn_within_its_graceful_timeout_and_queued_events_arrive(
    image, image_deployment, image_project
):
    endpoint = envelope_server(image_project)

    class HeldEnvelopes(endpoint.EnvelopeHandler):
        """Accepts no envelope until the test lets them through, so they are still
        queued in the workers when SIGTERM arrives."""

        def do_POST(self):
            self.server.let_through.wait(timeout=60)
            super().do_POST()

    with endpoint.EnvelopeServer() as sentry:
        sentry.RequestHandlerClass = HeldEnvelopes
        sentry.let_through = threading.Event()
        environment, url = image_deployment.listening(
            SENTRY_DSN=sentry.dsn(), SENTRY_DEBUG_ROUTE_ENABLED="true"
        )
        try:
            with container(image, environment, *image_deployment.options) as name:
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


def test_without_secret_key_the_container_exits_with_one_line_naming_it(image, image_deployment):
    environment, _ = image_deployment.listening()
    del environment["SECRET_KEY"]

    result = run_once(image, environment, options=image_deployment.options)

    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("ImproperlyConfigured: SECRET_KEY is not set"), line


def test_no_layer_holds_env_files_git_local_databases_or_the_secret_key(image, image_project, tmp_path):
    planted = {env_file_values(image_project)["SECRET_KEY"], PLANTED_ENV_SECRET, PLANTED_DATABASE_ROW}
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
