"""ops/tasks.py, run eagerly as the tests' settings run them: the mail and clean-up jobs,
and what a failing task sends to Sentry."""

import pytest
from celery import signals
from django.core import mail

from ops.tasks import clear_expired_sessions, send_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_mail_server(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port


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
