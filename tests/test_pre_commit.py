"""The generated .pre-commit-config.yaml in a git-initialised bake: clean on a new
project, and it stops a lint error and a staged .env."""

from tests.helpers.bake import run
from tests.helpers.project_commands import GIT, project_environment


def pre_commit(repository, tmp_path, *args):
    # pre-commit keeps its own state in PRE_COMMIT_HOME; this one is the test's.
    environment = project_environment(PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    return run([repository / ".venv/bin/pre-commit", "run", *args], cwd=repository, env=environment)


def test_a_new_project_passes_every_hook(staged_repository, tmp_path):
    result = pre_commit(staged_repository, tmp_path, "--all-files")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff check" in result.stdout and ".env is never committed" in result.stdout


def test_a_lint_error_fails_the_hooks(staged_repository, tmp_path):
    planted = staged_repository / "core/planted.py"
    planted.write_text('"""A module with a lint error."""\n\nimport os\n')
    try:
        assert run([*GIT, "add", planted], cwd=staged_repository).returncode == 0

        result = pre_commit(staged_repository, tmp_path)

        assert result.returncode == 1
        assert "F401" in result.stdout
    finally:
        run([*GIT, "rm", "-q", "--cached", planted], cwd=staged_repository)
        planted.unlink()


def test_a_staged_env_file_fails_the_hooks(staged_repository, tmp_path):
    # .env is git-ignored: committing it takes a forced add, which the hook still stops.
    assert run([*GIT, "add", "--force", ".env"], cwd=staged_repository).returncode == 0
    try:
        result = pre_commit(staged_repository, tmp_path)

        assert result.returncode == 1
        assert ".env is never committed" in result.stdout and "Failed" in result.stdout
    finally:
        run([*GIT, "rm", "-q", "--cached", ".env"], cwd=staged_repository)
