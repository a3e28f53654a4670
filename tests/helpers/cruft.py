"""The template as users clone it (a git repository), and projects created from it with
cruft and committed, as a team starts."""

import shutil
import sys

from tests.helpers.bake import TEMPLATE_DIR, run

GIT = [
    "git",
    "-c",
    "user.name=Template Tests",
    "-c",
    "user.email=tests@example.com",
    "-c",
    "init.defaultBranch=main",
]
CRUFT = [sys.executable, "-m", "cruft"]
NOT_TEMPLATE = shutil.ignore_patterns(".git", ".venv", "build", "__pycache__", ".pytest_cache", ".ruff_cache")


def git(*args, cwd):
    result = run([*GIT, *args], cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit_all(repository, message):
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", message, cwd=repository)


def template_repository(repository):
    """A git repository at `repository` holding this template, as users clone it."""
    shutil.copytree(TEMPLATE_DIR, repository, ignore=NOT_TEMPLATE)
    git("init", "-q", ".", cwd=repository)
    commit_all(repository, "Template as it is")
    return repository


def cruft_project(output_dir, template):
    """A project created in `output_dir` with cruft from `template`, and committed."""
    result = run(
        [*CRUFT, "create", "--no-input", "--output-dir", output_dir, template], cwd=output_dir.parent
    )
    assert result.returncode == 0, result.stdout + result.stderr
    project = output_dir / "averon_backend"
    git("init", "-q", ".", cwd=project)
    commit_all(project, "Start from the template")
    return project
