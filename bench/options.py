"""Copied into the baked project by bench/run.py: what each Sentry option the project
sets, or could set, costs a request, measured in-process.

`python options.py CONFIG COUNT` serves COUNT requests of each bench view (and of the
health probe) through core.wsgi in this process and prints the CPU time per request
(µs) as JSON. Sentry starts through observability.sentry, as in production, with a
transport that serialises each envelope as the SDK's own would and sends nothing, so
the figures are the SDK's work in this process: bench/run.py measures the network
under gunicorn. Each CONFIG changes one of the project's variables, or one name
observability.sentry looks up, against the project's own set-up.
"""

import functools
import json
import os
import sys
import time

import observability.sentry
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport


class SerialisingTransport(Transport):
    def capture_envelope(self, envelope):
        envelope.serialize()


# Each gives the project's set-up with one change: (environment variables, names of
# observability.sentry replaced); None is Sentry off.
CONFIGS = {
    "Sentry off": None,
    "project": ({}, {}),
    "signals_spans on (the SDK's default)": (
        {},
        {"DjangoIntegration": lambda **options: DjangoIntegration(**{**options, "signals_spans": True})},
    ),
    "every request traced (SENTRY_TRACES_SAMPLE_RATE=1)": ({"SENTRY_TRACES_SAMPLE_RATE": "1"}, {}),
    "profiling on (SENTRY_PROFILE_SESSION_SAMPLE_RATE=1)": (
        {"SENTRY_PROFILE_SESSION_SAMPLE_RATE": "1"},
        {},
    ),
    "Sentry Logs on (SENTRY_LOGS_LEVEL=INFO)": ({"SENTRY_LOGS_LEVEL": "INFO"}, {}),
}


def main():
    config, count = sys.argv[1], int(sys.argv[2])
    if CONFIGS[config] is not None:
        os.environ["SENTRY_DSN"] = "http://bench@127.0.0.1:9/1"  # never contacted
        variables, names = CONFIGS[config]
        os.environ.update(variables)
        for name, value in names.items():
            setattr(observability.sentry, name, value)
        # The settings module imports init_sentry once this has replaced it.
        start = observability.sentry.init_sentry
        observability.sentry.init_sentry = functools.partial(start, transport=SerialisingTransport())
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
