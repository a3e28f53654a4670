"""A bake as a user or CI has it: a git checkout (so no .env), and its make targets run
with or without uv on PATH."""

import os
import subprocess
from pathlib import Path

from tests.conftest import run
from tests.test_generated_project import project_environment

GIT = ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]


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
