"""gunicorn's settings, for `make serve` and for servers: `gunicorn -c gunicorn.conf.py core.wsgi`.

https://docs.gunicorn.org/en/stable/settings.html
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING

from core.env import env

if TYPE_CHECKING:
    from gunicorn.workers.base import Worker

# Where to listen. Behind a load balancer or in a container: GUNICORN_BIND=0.0.0.0:8000.
bind = env.str("GUNICORN_BIND", default="127.0.0.1:8000")

# Sync workers: one request at a time each. The common starting point is 2 per core + 1.
workers = env.int("WEB_CONCURRENCY", default=multiprocessing.cpu_count() * 2 + 1)

# Never load the app in the master: each worker imports it after the fork, and with it
# the settings that start Sentry. The SDK's background sending thread does not survive
# a fork, so a preloaded app would queue events in workers that never send them.
preload_app = False

# A worker stuck longer than this is killed and replaced (its request gets a 502).
timeout = env.int("GUNICORN_TIMEOUT", default=30)
# On SIGTERM, workers finish their requests and flush Sentry's queue for up to this long.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = 5

# One JSON object per line on stdout, like the app's own lines (observability/log_format.py):
# gunicorn writes a request's decoded path and its user agent into its lines, and as
# JSON a newline a client sends (%0A) stays inside its line instead of forging another.
# The access line itself is logfmt, with the request id (observability/request_id.py).
access_log_format = (
    'remote=%(h)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s duration_us=%(D)s '
    'request_id=%({x-request-id}o)s user_agent="%(a)s"'
)
logconfig_dict = {
    "formatters": {"json": {"()": "observability.log_format.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        name: {"level": "INFO", "handlers": ["stdout"], "propagate": False}
        for name in ("gunicorn.error", "gunicorn.access")
    },
}

# gunicorn 25+ opens a control socket in ~/.gunicorn by default; servers don't need it.
control_socket_disable = True


def post_worker_init(worker: Worker) -> None:
    """Tag this worker's Sentry events with its PID, to tell workers apart."""
    import sentry_sdk

    sentry_sdk.get_global_scope().set_tag("gunicorn.worker_pid", worker.pid)
