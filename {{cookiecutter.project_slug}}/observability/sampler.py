"""Which traces start here: the traces_sampler that observability/sentry.py passes."""

from collections.abc import Callable
from typing import Any

from edge.health import PROBE_PATHS

# Requests that say nothing about the project's code: a static file (served by
# whitenoise inside Django), a HEAD or OPTIONS (a monitor, a CORS preflight), the health
# probes (answered before Django by edge/, but through Django by the test client and
# runserver).
UNTRACED_METHODS = frozenset({"HEAD", "OPTIONS"})


def traces_sampler(rate: float, static_url: str) -> Callable[[dict[str, Any]], float]:
    """Requests{% if cookiecutter.background_jobs == "celery" %} and tasks{% endif %} at `rate` (or as a trusted caller decided: untrusted
    callers' trace headers never reach the SDK, edge/trace_headers.py); never the
    requests above, nor a library's span outside any request (a query at start-up, a
    management command's), which would be a trace alone. A span the project starts
    itself outside a request is traced at `rate` too."""
    static_prefix = "/" + static_url.strip("/") + "/"

    def is_untraced_request(method: str | None, path: str | None) -> bool:
        path = path or ""
        return method in UNTRACED_METHODS or path in PROBE_PATHS or path.startswith(static_prefix)

    def sample(context: dict[str, Any]) -> float:
        if "wsgi_environ" in context:
            environ = context["wsgi_environ"]
            if is_untraced_request(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")):
                return 0.0
        elif "asgi_scope" in context:
            scope = context["asgi_scope"]
            if is_untraced_request(scope.get("method"), scope.get("path")):
                return 0.0
{%- if cookiecutter.background_jobs == "celery" %}
        elif "celery_job" not in context:  # a task's root span is traced like a request's
{%- else %}
        else:
{%- endif %}
            attributes = (context.get("transaction_context") or {}).get("data") or {}
            if str(attributes.get("sentry.origin") or "").startswith("auto."):
                return 0.0
        parent_sampled = context.get("parent_sampled")
        return float(parent_sampled) if parent_sampled is not None else rate

    return sample
