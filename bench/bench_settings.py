"""Copied into the baked project by bench/run.py: production settings plus the bench views."""

from core.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_app"
