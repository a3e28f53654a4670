"""scripts/sentry_local.py stop signals only the Bugsink server it started itself, and
puts back the SENTRY_DSN line start replaced unless someone changed it since."""

import json
import sys

import pytest

from tests.helpers.bake import run


def stop(project, data_dir, *args):
    return run(
        [sys.executable, "scripts/sentry_local.py", "stop", "--data-dir", data_dir, *args], cwd=project
    )


@pytest.mark.parametrize("pid_file", ["{pid}\n", "{pid} 1\n"])  # an old-style file; a start time that differs
def test_stop_leaves_alone_a_process_it_did_not_start(default_project, tmp_path, impostor, pid_file):
    data_dir = tmp_path / ".sentry-local"
    data_dir.mkdir()
    (data_dir / "bugsink.pid").write_text(pid_file.format(pid=impostor.pid))

    result = stop(default_project, data_dir)

    assert result.returncode == 0, result.stderr
    assert "was not running" in result.stdout
    assert impostor.poll() is None  # still running


LOCAL_DSN = "http://local-key@127.0.0.1:8001/1"
TEAMS_DSN = "https://team-key@o123.ingest.sentry.io/456"


@pytest.mark.parametrize(
    "dsn_now, dsn_after",
    [
        (LOCAL_DSN, TEAMS_DSN),  # the line start wrote: the replaced one comes back
        ("https://edited-since@o9.ingest.sentry.io/9", "https://edited-since@o9.ingest.sentry.io/9"),
    ],
)
def test_stop_puts_back_the_dsn_start_replaced_unless_it_was_changed_since(
    default_project, tmp_path, dsn_now, dsn_after
):
    data_dir = tmp_path / ".sentry-local"
    data_dir.mkdir()
    (data_dir / "written-dsn.json").write_text(json.dumps({"written": LOCAL_DSN, "replaced": TEAMS_DSN}))
    env_file = tmp_path / ".env"
    env_file.write_text(f"SECRET_KEY=kept-as-it-was\nSENTRY_DSN={dsn_now}\nDEBUG=true\n")

    result = stop(default_project, data_dir, "--env-file", env_file)

    assert result.returncode == 0, result.stderr
    assert env_file.read_text() == f"SECRET_KEY=kept-as-it-was\nSENTRY_DSN={dsn_after}\nDEBUG=true\n"
    assert ("Put back the SENTRY_DSN line" in result.stdout) == (dsn_now == LOCAL_DSN)
