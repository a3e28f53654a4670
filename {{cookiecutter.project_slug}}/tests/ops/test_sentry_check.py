"""`manage.py sentry_check` against a server that accepts, refuses, is closed or never
answers, and with a DSN that is empty or malformed: one clear line, never a hang."""

import socket

from tests.conftest import run_project
from tests.envelope_server import EnvelopeServer

# Far above the command's own --timeout: reaching it means the command hung.
HANG_GUARD_SECONDS = 60


def sentry_check(dsn, *args):
    return run_project(["manage.py", "sentry_check", *args], "development", SENTRY_DSN=dsn)


def assert_one_error_line(result, expected):
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert expected in result.stderr


def test_accepted_events_are_reported_with_their_ids():
    with EnvelopeServer(status=200) as server:
        result = sentry_check(server.dsn())

    assert result.returncode == 0, result.stderr
    assert "accepted both test events" in result.stdout
    events = {event["event_id"]: event for event in server.events()}
    reported_ids = result.stdout.split("message ")[1].replace("exception ", "").strip().split(", ")
    assert sorted(events) == sorted(reported_ids)
    message, exception = (events[event_id] for event_id in reported_ids)
    assert message["message"] == "sentry_check: test message"
    assert exception["exception"]["values"][0]["type"] == "ZeroDivisionError"


def test_refusing_server_is_one_clear_line():
    # 401 is what Sentry answers for a revoked or mistyped key.
    with EnvelopeServer(status=401) as server:
        result = sentry_check(server.dsn())

    assert_one_error_line(result, "refused the events (HTTP 401)")


def test_closed_port_is_one_clear_line():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    result = sentry_check(f"http://key@127.0.0.1:{closed_port}/1")

    assert_one_error_line(result, "could not be reached")


def test_server_that_never_answers_times_out_instead_of_hanging():
    # The kernel completes the TCP handshake for a listening socket nobody serves.
    with socket.socket() as black_hole:
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen()
        port = black_hole.getsockname()[1]
        result = run_project(
            ["manage.py", "sentry_check", "--timeout", "1"],
            "development",
            timeout=HANG_GUARD_SECONDS,
            SENTRY_DSN=f"http://key@127.0.0.1:{port}/1",
        )

    assert_one_error_line(result, "did not answer within 1 s")


def test_empty_dsn_is_one_clear_line():
    assert_one_error_line(sentry_check(""), "SENTRY_DSN is empty")


def test_malformed_dsn_is_one_clear_line_without_traceback():
    result = sentry_check("https://sentry.invalid/1")

    assert_one_error_line(
        result, "ImproperlyConfigured: SENTRY_DSN='https://sentry.invalid/1' is not a Sentry DSN"
    )
