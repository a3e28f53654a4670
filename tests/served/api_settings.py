"""Copied into a bake by the template's served-API tests: production settings, and each
answer naming the gunicorn worker that gave it (worker_pid.py)."""

from core.settings.production import *  # noqa: F403

MIDDLEWARE = ["worker_pid.name_the_worker", *MIDDLEWARE]  # noqa: F405
