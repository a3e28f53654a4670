"""Copied into the baked project by bench/run.py: what each Sentry option the project
sets, or could set, costs a request, measured in-process.

`python options.py CONFIG COUNT` serves COUNT requests of each bench view (and of the
health probe) through core.wsgi in this process and prints the CPU time per request
(µs) as JSON. Sentry
starts through core.sentry, as in production, with a transport that serialises each
envelope as the SDK's own would and sends nothing, so the figures are the SDK's work
in the request thread: bench/run.py measures the sending thread and the network under
gunicorn. Each CONFIG changes one option, or one of the project's variables, against
the project's own set-up.
"""

import json
import os
import sys
import time

import core.sentry
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport


class SerialisingTransport(Transport):
    def capture_envelope(self, envelope):
        envelope.serialize()


def project_integrations(**django_options):
    integrations = core.sentry.sentry_options("production")["integrations"]
    return [
        DjangoIntegration(**django_options) if isinstance(integration, DjangoIntegration) else integration
        for integration in integrations
    ]


# Each gives the project's set-up with one change: (environment variables, init()
# options); None is Sentry off.
CONFIGS = {
    "Sentry off": None,
    "project": lambda: ({}, {}),
    "signals_spans on (the SDK's default)": lambda: (
        {},
        {"integrations": project_integrations(signals_spans=True)},
    ),
    "auto_session_tracking off": lambda: ({}, {"auto_session_tracking": False}),
    "profiling on (SENTRY_PROFILE_SESSION_SAMPLE_RATE=1)": lambda: (
        {"SENTRY_PROFILE_SESSION_SAMPLE_RATE": "1"},
        {},
    ),
    "Sentry Logs on (SENTRY_LOGS_LEVEL=INFO)": lambda: ({"SENTRY_LOGS_LEVEL": "INFO"}, {}),
}


def main():
    config, count = sys.argv[1], int(sys.argv[2])
    if CONFIGS[config] is not None:
        os.environ["SENTRY_DSN"] = "http://bench@127.0.0.1:9/1"  # never contacted
        variables, overrides = CONFIGS[config]()
        os.environ.update(variables)
        start = core.sentry.init_sentry
        core.sentry.init_sentry = lambda environment, *args: start(
            environment, *args, transport=SerialisingTransport(), **overrides
        )
    from core.wsgi import application
    from django.test import RequestFactory

    factory = RequestFactory(HTTP_HOST="127.0.0.1")  # the bench's ALLOWED_HOSTS

    def serve(path):
        answer = []
        response = application(factory.get(path).environ, lambda status, headers: answer.append(status))
        b"".join(response)
        getattr(response, "close", lambda: None)()  # the health probe answers with a list
        if not answer[0].startswith("200"):
            sys.exit(f"{path} answered {answer[0]}: the figures would time an error page")

    figures = {}
    for path, share in (("/api/health/", 1), ("/bench/orm/", 1), ("/bench/api/", 10)):
        for _ in range(50):
            serve(path)  # warm up: connections, caches, first-request imports
        requests = max(1, count // share)
        started = time.process_time()
        for _ in range(requests):
            serve(path)
        figures[path] = (time.process_time() - started) * 1e6 / requests
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
