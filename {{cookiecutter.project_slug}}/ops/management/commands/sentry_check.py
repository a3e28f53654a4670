"""`python manage.py sentry_check`: prove this machine's events reach Sentry.

Sends a test message and a test exception, waits for the server's answer to each, and
says in one line whether Sentry accepted them. Run it first when errors do not show up
in Sentry.
"""

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import sentry_sdk
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from observability.config import read_config
from observability.sentry import init_sentry


class AnswerRecordingTransport(Transport):
    """Sends each envelope at once, in this thread, and keeps how the server answered.

    The SDK's own HTTP transport sends from a background thread and keeps the answers
    to itself; a custom transport is the SDK's documented way to take over sending.
    The envelope goes to the endpoint and with the authentication header of Sentry's
    ingestion protocol (https://develop.sentry.dev/sdk/foundations/transport/).
    """

    def __init__(self, dsn: str, timeout: float) -> None:
        super().__init__()
        parts = urllib.parse.urlsplit(dsn)
        path, _, project_id = parts.path.rpartition("/")
        self.server = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        self.project_id = project_id
        self.endpoint = f"{self.server}{path}/api/{project_id}/envelope/"
        self.auth = f"Sentry sentry_version=7, sentry_key={parts.username}, sentry_client=sentry_check/1"
        self.timeout = timeout
        self.answers: list[int | str] = []  # per envelope: the HTTP status, "unreachable" or "timeout"

    def capture_envelope(self, envelope: Envelope) -> None:
        # The DSN's own http(s) URL, checked by the SDK before this command got it.
        request = urllib.request.Request(  # noqa: S310
            self.endpoint,
            data=envelope.serialize(),
            headers={"Content-Type": "application/x-sentry-envelope", "X-Sentry-Auth": self.auth},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                self.answers.append(response.status)
        except urllib.error.HTTPError as error:
            self.answers.append(error.code)
        except urllib.error.URLError as error:
            self.answers.append("timeout" if isinstance(error.reason, TimeoutError) else "unreachable")
        except TimeoutError:
            self.answers.append("timeout")
        except OSError:
            self.answers.append("unreachable")


def delivery_problem(answers: list[int | str], timeout: float) -> str | None:
    """Why the envelopes were not all accepted, or None when they were."""
    refused = [answer for answer in answers if isinstance(answer, int) and not 200 <= answer < 300]
    if refused:
        return (
            f"refused the events (HTTP {refused[0]}); check that SENTRY_DSN is the current key of a project "
            "that exists"
        )
    if "unreachable" in answers:
        return "could not be reached; check the DSN's host and port, and that this machine may connect to it"
    if "timeout" in answers:
        return f"did not answer within {timeout:g} s; check the DSN's host and port, or raise --timeout"
    return None


class Command(BaseCommand):
    help = "Send a test message and a test exception to Sentry and report whether it accepted them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="seconds to wait for each answer (default 5)"
        )

    def handle(self, *args: str, timeout: float, **options: Any) -> None:
        config = read_config(settings.ENVIRONMENT)
        if not config.dsn:
            raise CommandError(
                "SENTRY_DSN is empty, so Sentry is off; set it in .env, "
                "for example SENTRY_DSN=https://<key>@o123.ingest.sentry.io/456"
            )
        transport = AnswerRecordingTransport(config.dsn, timeout)
        init_sentry(settings.ENVIRONMENT, transport=transport)

        message_id = sentry_sdk.capture_message("sentry_check: test message")
        try:
            raise ZeroDivisionError("sentry_check: test exception")
        except ZeroDivisionError as error:
            exception_id = sentry_sdk.capture_exception(error)

        problem = delivery_problem(transport.answers, timeout)
        if problem:
            raise CommandError(f"Sentry at {transport.server} {problem}")
        self.stdout.write(
            f"Sentry at {transport.server} accepted both test events (project {transport.project_id}, "
            f"environment {config.environment}): message {message_id}, exception {exception_id}"
        )
