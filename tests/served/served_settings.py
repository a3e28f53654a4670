"""Copied into a bake by the template's serving tests: production settings, and the
routes of served_routes.py."""

from core.settings.production import *  # noqa: F403

ROOT_URLCONF = "served_routes"
