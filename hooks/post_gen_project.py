"""Finish the new project: remove the files of options not chosen, and give it its own
secrets, a .env made from .env.example with a fresh key.

.env is ignored by the project's .gitignore and skipped by cruft, so the key never
reaches a tracked file and template updates never touch it. Standard library only.
"""

import json
import os
import re
import secrets
import shutil
from pathlib import Path

# The .env variables that get a fresh random value: Django's signing key, and the key of
# Sentry's user pseudonyms.
SECRET_NAMES = ("SECRET_KEY", "SENTRY_USER_ID_KEY")

# Files that only a project with Celery has (background_jobs=celery).
CELERY_FILES = (
    "core/celery.py",
    "ops/tasks.py",
    "tests/core/test_celery.py",
    "tests/ops/test_tasks.py",
    "deploy/kubernetes/base/worker-deployment.yaml",
    "deploy/kubernetes/base/beat-deployment.yaml",
)
# Kubernetes manifests of each database: scaling web out needs PostgreSQL; SQLite's
# file needs a volume.
POSTGRESQL_FILES = ("deploy/kubernetes/base/web-scaling.yaml",)
SQLITE_FILES = ("deploy/kubernetes/base/database-volume.yaml",)
# Files of each API framework (api_framework), and of the example resource both share.
NINJA_FILES = ("notes/api.py", "api/fields.py")
DRF_FILES = ("notes/serializers.py", "notes/views.py")
EXAMPLE_RESOURCE_FILES = (
    "notes",
    "api/auth.py",
    "users/templates",
    "api/pagination.py",
    "docs/api.md",
    "tests/notes",
    "tests/api/test_docs.py",
)


def unchosen_files(answers):
    """The files (or folders) of the options these answers do not choose."""
    framework = answers["api_framework"]
    return [
        *(CELERY_FILES if answers["background_jobs"] != "celery" else ()),
        *(POSTGRESQL_FILES if answers["database"] != "postgresql" else ()),
        *(SQLITE_FILES if answers["database"] != "sqlite" else ()),
        *(NINJA_FILES if framework != "ninja" else ()),
        *(DRF_FILES if framework != "drf" else ()),
        *(EXAMPLE_RESOURCE_FILES if framework == "none" else ()),
    ]


def remove_unchosen_files(project_dir, answers):
    for relative_path in unchosen_files(answers):
        path = project_dir / relative_path
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def new_secret_key():
    # URL-safe characters need no quoting in .env and never start a ${VAR} reference.
    return secrets.token_urlsafe(50)


def env_file_from_example(example_text):
    """The example's settings, with each placeholder secret replaced by a fresh one."""
    text = example_text
    for name in SECRET_NAMES:
        line = re.compile(rf"^{name}=.*$", re.MULTILINE)
        text, count = line.subn(f"{name}={new_secret_key()}", text, count=1)
        if count != 1:
            raise ValueError(f".env.example has no {name}= line to fill in")
    return text


def write_env_file(project_dir):
    env_file = project_dir / ".env"
    if env_file.exists():
        return  # a re-run keeps the secrets the project already has
    example = (project_dir / ".env.example").read_text(encoding="utf-8")
    # Owner-only from the moment it exists: the key is never readable by others, even briefly.
    descriptor = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        file.write(env_file_from_example(example))


def shown_path(project_dir, environ):
    """The project's folder as the user can `cd` to it: relative to the shell's working
    directory (PWD, which cookiecutter's own chdir into the project leaves as it was),
    else absolute."""
    start = environ.get("PWD", "")
    if os.path.isabs(start) and os.path.isdir(start):
        relative = os.path.relpath(project_dir, start)
        if not relative.startswith(".."):
            return relative
    return str(project_dir)


def next_steps(path, database, api_framework):
    database_step = (
        ["Point DATABASE_URL in .env at your PostgreSQL server first."] if database == "postgresql" else []
    )
    return "\n".join(
        [
            "",
            f"Your backend is ready in {path}",
            *database_step,
            f"  cd {path}",
            "  make run    # installs, migrates and serves http://127.0.0.1:8000",
            "              # (port 8000 taken? make run PORT=8010)",
            *(
                ["  then open http://127.0.0.1:8000/api/docs/ (docs/api.md)"]
                if api_framework != "none"
                else []
            ),
            "  make test   # runs the test suite",
            "Put your Sentry DSN in .env as SENTRY_DSN=... (docs/sentry.md explains the rest),",
            "or run `make sentry-local` for a local Sentry-compatible server.",
        ]
    )


if __name__ == "__main__":
    answers = json.loads(r"""{{ cookiecutter | tojson }}""")
    remove_unchosen_files(Path.cwd(), answers)
    write_env_file(Path.cwd())
    print(next_steps(shown_path(Path.cwd(), os.environ), answers["database"], answers["api_framework"]))
