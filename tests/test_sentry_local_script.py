"""scripts/sentry_local.py stop signals only the Bugsink server it started itself."""

import sys

import pytest

from tests.helpers.bake import run


def stop(project, data_dir):
    return run([sys.executable, "scripts/sentry_local.py", "stop", "--data-dir", data_dir], cwd=project)


@pytest.mark.parametrize("pid_file", ["{pid}\n", "{pid} 1\n"])  # an old-style file; a start time that differs
def test_stop_leaves_alone_a_process_it_did_not_start(default_project, tmp_path, impostor, pid_file):
    data_dir = tmp_path / ".sentry-local"
    data_dir.mkdir()
    (data_dir / "bugsink.pid").write_text(pid_file.format(pid=impostor.pid))

    result = stop(default_project, data_dir)

    assert result.returncode == 0, result.stderr
    assert "was not running" in result.stdout
    assert impostor.poll() is None  # still running
