"""A bake as a user or CI has it: the user's shell environment, a git checkout (so no
.env), its make targets run with or without uv on PATH, and its own test suite."""

import os
import subprocess
from pathlib import Path

from tests.helpers.bake import run

GIT = ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]


def project_environment(settings_module=None, **variables):
    """The user's shell environment, without any Django or Sentry settings of ours, nor
    the state of the `make test` that runs this suite (a bake's make would print its
    folders as a sub-make does, and share the outer make's jobs)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "SENTRY_")) and name not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")
    }
    if settings_module:
        inherited["DJANGO_SETTINGS_MODULE"] = f"core.settings.{settings_module}"
    return {**inherited, **variables}


def run_test_suite(project_python, project, *paths, **variables):
    """The bake's own suite, or those of its test `paths`."""
    command = [project_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths]
    result = run(command, cwd=project, env=project_environment(**variables))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def checkout(project, destination):
    """What `git clone` gives CI or a teammate: the tracked files, no .env."""
    subprocess.run([*GIT, "init", "-q", "."], cwd=project, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "Start from the template"], cwd=project, check=True)
    subprocess.run([*GIT, "clone", "-q", project, destination], check=True, capture_output=True)
    return Path(destination)


def path_without_uv():
    """PATH of a machine with Python, make and git, and no uv."""
    folders = os.environ["PATH"].split(os.pathsep)
    return os.pathsep.join(folder for folder in folders if not (Path(folder) / "uv").exists())


def make(target, project, *args, timeout=600, **variables):
    return run(["make", target, *args], cwd=project, env=project_environment(**variables), timeout=timeout)
