"""Fixtures for the template's suite: bakes, and one virtual environment in which
every baked project's own requirements are installed, as a user's `make` would."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

TEMPLATE_DIR = Path(__file__).resolve().parent.parent

# What a deployed server must be given; placeholders long enough for check --deploy.
DEPLOYED_ENVIRONMENT = {
    "SECRET_KEY": "placeholder-secret-key-for-template-tests-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "api.example.com",
    "SENTRY_DSN": "",
}


def bake_ok(cookies, **answers):
    """Bake with these answers and return the project folder, failing loudly if refused."""
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    return Path(result.project_path)


@pytest.fixture(scope="session")
def default_project(cookies_session):
    return bake_ok(cookies_session)


@pytest.fixture(scope="session")
def project_python(tmp_path_factory):
    """A Python with the generated project's requirements-dev.txt installed."""
    env_dir = tmp_path_factory.mktemp("generated-project-venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    requirements = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
    # The requirements files hold no template text, so they install straight from here.
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            requirements / "requirements-dev.txt",
        ],
        cwd=requirements,
        check=True,
    )
    return python


def run(command, cwd, env=None, timeout=300):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def cookiecutter_cli(output_dir, *answers):
    """Bake the way a user does, on the command line, with `key=value` answers."""
    return run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--output-dir",
            output_dir,
            TEMPLATE_DIR,
            *answers,
        ],
        cwd=output_dir,
    )
