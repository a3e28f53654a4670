"""The generated .pre-commit-config.yaml in a git-initialised bake: clean on a new
project, and it stops a lint error and a staged .env."""

import pytest

from tests.conftest import bake_ok, run
from tests.project_commands import GIT, make
from tests.test_generated_project import project_environment


@pytest.fixture(scope="module")
def repository(cookies_session, tmp_path_factory):
    project = bake_ok(cookies_session)
    installed = make("install", project)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert run([*GIT, "init", "-q", "."], cwd=project).returncode == 0
    assert run([*GIT, "add", "-A"], cwd=project).returncode == 0
    return project


def pre_commit(repository, tmp_path, *args):
    # pre-commit keeps its own state in PRE_COMMIT_HOME; this one is the test's.
    environment = project_environment(PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    return run([repository / ".venv/bin/pre-commit", "run", *args], cwd=repository, env=environment)


def test_a_new_project_passes_every_hook(repository, tmp_path):
    result = pre_commit(repository, tmp_path, "--all-files")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff check" in result.stdout and ".env is never committed" in result.stdout


def test_a_lint_error_fails_the_hooks(repository, tmp_path):
    planted = repository / "core/planted.py"
    planted.write_text('"""A module with a lint error."""\n\nimport os\n')
    try:
        assert run([*GIT, "add", planted], cwd=repository).returncode == 0

        result = pre_commit(repository, tmp_path)

        assert result.returncode == 1
        assert "F401" in result.stdout
    finally:
        run([*GIT, "rm", "-q", "--cached", planted], cwd=repository)
        planted.unlink()


def test_a_staged_env_file_fails_the_hooks(repository, tmp_path):
    # .env is git-ignored: committing it takes a forced add, which the hook still stops.
    assert run([*GIT, "add", "--force", ".env"], cwd=repository).returncode == 0
    try:
        result = pre_commit(repository, tmp_path)

        assert result.returncode == 1
        assert ".env is never committed" in result.stdout and "Failed" in result.stdout
    finally:
        run([*GIT, "rm", "-q", "--cached", ".env"], cwd=repository)
