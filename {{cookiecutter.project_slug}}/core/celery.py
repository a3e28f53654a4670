"""The Celery app: background jobs, queued on Redis, run by `celery -A core worker`.

Its configuration is the CELERY_* names of Django's settings (core/settings/base.py),
read from the environment there like every other value. A worker or beat therefore
starts exactly like the web process: it loads the same settings module, which checks
every variable and starts Sentry once, with sentry-sdk's CeleryIntegration. core/
__init__.py imports this module, so tasks queued by the web process go through it.
"""

import os
import re
import urllib.parse
from typing import Any

from celery import Celery, signals

from core.env import bad_value, env, mask_url_passwords

# A worker is a deployed process, like a server loading core/wsgi.py: production
# settings unless DJANGO_SETTINGS_MODULE says otherwise (`make worker` says development).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

BROKER_SCHEMES = ("redis", "rediss")
EXAMPLE_BROKER_URL = "redis://127.0.0.1:6379/0"

app = Celery("core")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py (ops/tasks.py).
app.autodiscover_tasks()


def is_redis_url(url: str) -> bool:
    """redis:// or rediss://, a host, and a database number or none. Celery reads
    CELERY_BROKER_URL from the environment itself, so the value is checked as it is:
    surrounding spaces are an error here, not something to strip."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:  # that, or an unclosed [IPv6 address
        return False
    return (
        url == url.strip()
        and parts.scheme in BROKER_SCHEMES
        and bool(parts.hostname)
        and re.fullmatch(r"/?\d*", parts.path) is not None
    )


def broker_url_from_environment() -> str:
    """CELERY_BROKER_URL, checked; "" when it is unset (tasks then run eagerly, in
    development only: core/settings/deployed.py requires it)."""
    url: str = env.str("CELERY_BROKER_URL", default="")
    if url and not is_redis_url(url):
        raise bad_value(
            "CELERY_BROKER_URL",
            mask_url_passwords(url),
            "is not a Redis URL (redis://[:password@]host[:port][/db], no spaces)",
            EXAMPLE_BROKER_URL,
        )
    return url


# Sent as a worker or beat starts, before either connects or redirects its output.
@signals.import_modules.connect
def refuse_to_start_without_a_broker(**_: Any) -> None:
    """Without a broker, tasks run inside the process that queues them; a worker or beat
    would instead retry a default broker forever."""
    if app.conf.task_always_eager or not app.conf.broker_url:
        # SystemExit, because Celery logs and ignores any Exception a signal handler raises.
        raise SystemExit(
            "CELERY_BROKER_URL is not set, so tasks run eagerly and there is nothing for a "
            f"worker or beat to do. Fix it, for example: CELERY_BROKER_URL={EXAMPLE_BROKER_URL}"
        )
