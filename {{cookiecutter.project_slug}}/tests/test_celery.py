"""Background jobs without a broker: the checks at start-up, eager tasks in development
and tests, what a failing task sends to Sentry, and the health probe's broker check.
(The template's own suite runs the same project against a real Redis and workers.)"""

import socket

import pytest
from celery import signals
from django.core import mail

from ops.tasks import clear_expired_sessions, send_email
from tests.conftest import DEPLOYED_ENVIRONMENT, run_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_mail_server(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/0",
        "redis://",
        "redis://127.0.0.1:port/0",
        "redis://[::1/0",
        "127.0.0.1:6379",
        "redis://127.0.0.1:6379/abc",
        " redis://127.0.0.1:6379/0",
    ],
)
def test_a_broker_url_that_is_not_redis_stops_start_up_with_one_line(url):
    result = run_project(["manage.py", "check"], "development", CELERY_BROKER_URL=url)

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"ImproperlyConfigured: CELERY_BROKER_URL={url!r} is not a Redis URL")
    assert line.endswith("Fix it, for example: CELERY_BROKER_URL=redis://127.0.0.1:6379/0")


def test_the_broker_url_error_never_shows_its_password():
    result = run_project(
        ["manage.py", "check"], "development", CELERY_BROKER_URL="http://:s3cret-pw@127.0.0.1/0"
    )

    assert result.returncode != 0
    assert "CELERY_BROKER_URL='http://:[Filtered]@127.0.0.1/0'" in result.stderr
    assert "s3cret-pw" not in result.stderr


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_worker_and_beat_refuse_to_start_without_a_broker(command):
    result = run_project(["-m", "celery", "--app", "core", command], "development", timeout=60)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "CELERY_BROKER_URL is not set, so tasks run eagerly and there is nothing for a worker "
        "or beat to do. Fix it, for example: CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
    )


def test_development_without_a_broker_runs_tasks_eagerly():
    check = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    without = run_project(["manage.py", "shell", "-c", check], "development")
    with_broker = run_project(
        ["manage.py", "shell", "-c", check], "development", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )

    assert without.stdout.split()[-1] == "True", without.stderr
    assert with_broker.stdout.split()[-1] == "False", with_broker.stderr


def test_a_queued_email_is_sent():
    send_email.delay(to_email="ada@example.com", subject="Welcome", body="Hello")

    assert [(message.to, message.subject) for message in mail.outbox] == [(["ada@example.com"], "Welcome")]


def test_the_example_task_takes_keyword_arguments_only():
    with pytest.raises(TypeError):
        send_email.apply_async(args=("ada@example.com", "Welcome", "Hello"))


def test_the_nightly_clean_up_deletes_expired_sessions_only():
    from django.contrib.sessions.backends.db import SessionStore

    expired, current = SessionStore(), SessionStore()
    expired.set_expiry(-60)
    expired.create()
    current.create()

    clear_expired_sessions.delay()

    assert not SessionStore().exists(str(expired.session_key))
    assert SessionStore().exists(str(current.session_key))


def test_a_failing_task_is_one_event_after_its_last_retry(start_sentry, unreachable_mail_server):
    transport = start_sentry(SECRET_KEY="planted-secret-key-value-0123456789")
    retries = []

    def count_retry(**_):
        retries.append(1)

    signals.task_retry.connect(count_retry, weak=False)
    try:
        result = send_email.apply(
            kwargs={
                "to_email": "ada@example.com",
                "subject": "invoice-42-control",
                "body": "token=planted-token-abc and planted-secret-key-value-0123456789",
            }
        )
    finally:
        signals.task_retry.disconnect(count_retry)

    assert isinstance(result.result, ConnectionRefusedError)
    assert len(retries) == send_email.max_retries == 5
    [event] = transport.events
    assert event["extra"]["celery-job"]["task_name"] == "ops.tasks.send_email"
    assert "kwargs" not in event["extra"]["celery-job"]  # the frames show them, scrubbed
    assert event["exception"]["values"][-1]["type"] == "ConnectionRefusedError"
    sent = transport.sent_bytes.decode()
    assert "invoice-42-control" in sent
    for planted in ("ada@example.com", "planted-token-abc", "planted-secret-key-value"):
        assert planted not in sent


def test_health_reports_a_broker_that_does_not_answer(client, settings, closed_port):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"

    response = client.get("/api/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unavailable"}


def test_health_has_no_broker_to_report_when_tasks_run_eagerly(client):
    assert client.get("/api/health/").json() == {"status": "ok", "database": "ok"}


def test_a_deployed_worker_needs_the_broker_like_the_web_process():
    variables = {**DEPLOYED_ENVIRONMENT, "CELERY_BROKER_URL": ""}
    result = run_project(["-m", "celery", "--app", "core", "worker"], "production", timeout=60, **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured: CELERY_BROKER_URL is not set" in result.stderr
