"""`make sentry-local` and `make sentry-local-stop` in a baked project: a local Bugsink
that receives the project's events, safe to start twice, stopped by its PID."""

import urllib.error
import urllib.request

import pytest

from tests.helpers.bake import env_file_values, run
from tests.helpers.project_commands import project_environment

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("bugsink")]


def make(target, project, bugsink):
    result = run(["make", target, f"SENTRY_LOCAL_PORT={bugsink.port}"], cwd=project, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_sentry_local_writes_only_the_dsn_into_env(sentry_local_project, default_project):
    written = env_file_values(sentry_local_project)
    original = env_file_values(default_project)

    assert written["SENTRY_DSN"].startswith("http://")
    assert {**written, "SENTRY_DSN": ""} == original


def test_the_login_token_and_data_are_owner_only(sentry_local_project, bugsink):
    bugsink.api("GET", "projects/")  # creates the API token file if it is not there yet
    data_dir = sentry_local_project / ".sentry-local"

    assert data_dir.stat().st_mode & 0o777 == 0o700
    for name in ("login", "api-token", "bugsink.pid"):
        assert (data_dir / name).stat().st_mode & 0o777 == 0o600, name
    assert (sentry_local_project / ".env").stat().st_mode & 0o777 == 0o600


def test_sentry_local_prints_where_to_log_in(sentry_local_project, bugsink):
    output = make("sentry-local", sentry_local_project, bugsink)

    assert f"runs at http://127.0.0.1:{bugsink.port}" in output
    assert f"login:      {(sentry_local_project / '.sentry-local' / 'login').read_text().strip()}" in output


def test_events_sent_with_the_written_dsn_arrive(sentry_local_project, project_python, bugsink):
    # No SENTRY_DSN in the environment: the project reads the one sentry-local put in .env.
    environment = project_environment("development")
    environment.pop("SENTRY_DSN", None)

    result = run([project_python, "manage.py", "sentry_check"], cwd=sentry_local_project, env=environment)

    assert result.returncode == 0, result.stderr
    [project] = [p for p in bugsink.api("GET", "projects/")["results"] if p["name"] == "averon_backend"]
    assert project["dsn"] == env_file_values(sentry_local_project)["SENTRY_DSN"]
    issues = bugsink.api("GET", f"issues/?project={project['id']}")["results"]
    assert sorted(issue["calculated_type"] for issue in issues) == ["Log Message", "ZeroDivisionError"]


def test_starting_twice_keeps_the_same_server_and_dsn(sentry_local_project, bugsink):
    pid, env_text = bugsink.running_pid(), (sentry_local_project / ".env").read_text()

    make("sentry-local", sentry_local_project, bugsink)

    assert pid is not None
    assert bugsink.running_pid() == pid
    assert (sentry_local_project / ".env").read_text() == env_text


def test_stop_ends_the_server_and_start_brings_back_the_same_project(sentry_local_project, bugsink):
    dsn = env_file_values(sentry_local_project)["SENTRY_DSN"]
    pid = bugsink.running_pid()

    assert f"Stopped local Sentry (PID {pid})" in make("sentry-local-stop", sentry_local_project, bugsink)
    assert bugsink.running_pid() is None
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(bugsink.url, timeout=5)
    assert "was not running" in make("sentry-local-stop", sentry_local_project, bugsink)

    make("sentry-local", sentry_local_project, bugsink)

    assert bugsink.running_pid() not in (None, pid)
    assert env_file_values(sentry_local_project)["SENTRY_DSN"] == dsn
