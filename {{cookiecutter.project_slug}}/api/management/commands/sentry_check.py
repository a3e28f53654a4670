"""`python manage.py sentry_check`: prove this machine's events reach Sentry.

Sends a test message and a test exception through the SDK's own HTTP transport,
waits for the server's answers, and says in one line whether Sentry accepted them.
Run it first when errors do not show up in Sentry.
"""

import logging

import sentry_sdk
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from sentry_sdk.transport import HttpTransport
from sentry_sdk.utils import Dsn

from core.sentry import sentry_options


class AnswerRecordingTransport(HttpTransport):
    """The SDK's HTTP transport, also keeping how the server answered each envelope."""

    def __init__(self, options):
        super().__init__(options)
        self.statuses = []
        self.dropped = []

    def _handle_response(self, response, envelope):
        # The one place the SDK sees every answer. It is private API, which is one
        # reason requirements.txt keeps sentry-sdk below 3.
        self.statuses.append(response.status)
        super()._handle_response(response=response, envelope=envelope)

    def on_dropped_event(self, reason):
        self.dropped.append(reason)


def delivery_problem(transport, sent, timeout):
    """Why the sent envelopes were not all accepted, or None when they were."""
    refused = [status for status in transport.statuses if not 200 <= status < 300]
    if refused:
        return (
            f"refused the events (HTTP {refused[0]}); check that SENTRY_DSN is the current key of a project "
            "that exists"
        )
    if "network" in transport.dropped:
        return "could not be reached; check the DSN's host and port, and that this machine may connect to it"
    if transport.dropped:
        return f"did not take the events ({transport.dropped[0]})"
    if len(transport.statuses) < sent:
        return f"did not answer within {timeout:g} s; check the DSN's host and port, or raise --timeout"
    return None


class Command(BaseCommand):
    help = "Send a test message and a test exception to Sentry and report whether it accepted them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="seconds to wait for Sentry (default 5)"
        )

    def handle(self, *args, timeout, **options):
        sentry = sentry_options(settings.ENVIRONMENT)
        if sentry is None:
            raise CommandError(
                "SENTRY_DSN is empty, so Sentry is off; set it in .env, "
                "for example SENTRY_DSN=https://<key>@o123.ingest.sentry.io/456"
            )
        dsn = Dsn(sentry["dsn"])
        server = f"{dsn.scheme}://{dsn.netloc}"
        # urllib3 logs each retry; the one line this command prints says it better.
        logging.getLogger("urllib3").setLevel(logging.ERROR)
        sentry_sdk.init(**sentry, transport=AnswerRecordingTransport)
        transport = sentry_sdk.get_client().transport

        message_id = sentry_sdk.capture_message("sentry_check: test message")
        try:
            raise ZeroDivisionError("sentry_check: test exception")
        except ZeroDivisionError as error:
            exception_id = sentry_sdk.capture_exception(error)
        sentry_sdk.flush(timeout=timeout)

        problem = delivery_problem(transport, sent=2, timeout=timeout)
        # Don't wait again at exit for envelopes the server will never take.
        sentry_sdk.get_client().close(timeout=0.1)
        if problem:
            raise CommandError(f"Sentry at {server} {problem}")
        self.stdout.write(
            f"Sentry at {server} accepted both test events (project {dsn.project_id}, environment "
            f"{sentry['environment']}): message {message_id}, exception {exception_id}"
        )
