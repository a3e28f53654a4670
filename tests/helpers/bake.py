"""Baking the template and installing a bake, as a user does: on the command line or
through pytest-cookies, then `uv sync --locked` from the bake's own uv.lock."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from uv import find_uv_bin

TEMPLATE_DIR = Path(__file__).resolve().parents[2]

# What a deployed server must be given; placeholders long enough for check --deploy.
DEPLOYED_ENVIRONMENT = {
    "SECRET_KEY": "placeholder-secret-key-for-template-tests-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "api.example.com",
    "EMAIL_URL": "dummymail://",
    "FRONTEND_URL": "https://app.example.com",
    "SENTRY_DSN": "",
    # The key of Sentry's pseudonymous user id, required while SENTRY_DSN is set.
    "SENTRY_USER_ID_KEY": "placeholder-user-id-key-for-template-tests-0123456789",
}

# The uv of the template's own environment (requirements-dev.txt pins the release the
# generated Makefile installs): on PATH, bakes' Makefiles use it as a user's own uv.
UV = Path(find_uv_bin())
# uv as the generated Makefile sets it up: the machine's Python, bytecode at install.
UV_ENVIRONMENT = {"UV_PYTHON": "python3", "UV_PYTHON_DOWNLOADS": "never", "UV_COMPILE_BYTECODE": "1"}

# The capturing Sentry endpoint every bake's own suite has, which the template's tests
# run too: it keeps each envelope it is sent.
ENVELOPE_SERVER = Path("tests") / "envelope_server.py"


def run(command, cwd, env=None, timeout=300):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def bake_ok(cookies, **answers):
    """Bake with these answers and return the project folder, failing loudly if refused."""
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    return Path(result.project_path)


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


def uv_sync(project, environment_dir):
    """`uv sync --locked` of a bake into `environment_dir`, as the Makefile runs it."""
    environment = {**os.environ, **UV_ENVIRONMENT, "UV_PROJECT_ENVIRONMENT": str(environment_dir)}
    command = [UV, "sync", "--locked", "--quiet"]
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return Path(environment_dir) / "bin" / "python"


def load_module(path):
    """Import a Python file that is not on sys.path (a hook, a baked project's script)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def envelope_server(project):
    """The bake's capturing Sentry endpoint module: EnvelopeServer, EnvelopeHandler."""
    return load_module(project / ENVELOPE_SERVER)


def env_file_values(project):
    lines = (project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
