"""Copied into the baked project by bench/run.py: the configuration a user would
otherwise pick. Production settings with the project's own Sentry set-up off (the bench
leaves SENTRY_DSN empty), then Sentry started as Sentry's Django guide writes it
(https://docs.sentry.io/platforms/python/integrations/django/), at the project's
default sample rate so that both sides trace the same share of requests."""

import os

import sentry_sdk
from bench_settings import *  # noqa: F403

sentry_sdk.init(
    dsn=os.environ["BENCH_STOCK_DSN"],
    send_default_pii=True,
    traces_sample_rate=float(os.environ["BENCH_STOCK_TRACES_SAMPLE_RATE"]),
)
