"""A Celery bake for real: a Redis server, the project's own worker and beat commands,
its web app under gunicorn, and a capturing Sentry endpoint on loopback.

- a task queued through the web app runs, in the trace of the request that queued it;
- a failing task is one event, after its last retry, without the secrets it was given;
- a beat schedule sends Sentry Crons check-ins;
- a worker killed mid-task loses nothing: a second worker finishes the task;
- sessions kept in Redis leave their keys out of every span and breadcrumb.
"""

import http.cookiejar
import json
import os
import signal
import sqlite3
import time
import urllib.parse
import urllib.request

import pytest

from tests.helpers.processes import wait_for
from tests.helpers.serving import request as status
from tests.helpers.smtp_server import SmtpServer

pytestmark = pytest.mark.xdist_group("celery")


def health(url):
    with urllib.request.urlopen(url + "/api/health/", timeout=30) as response:
        return json.loads(response.read())


def items_by(sentry, item_type, field, *values):
    """The first item of this type for each of `values` of `field`; None until all arrived."""
    found = {}
    for item in sentry.items(item_type):
        found.setdefault(item.get(field), item)
    return [found[value] for value in values] if set(values) <= found.keys() else None


def spans(sentry):
    """Every span sent so far (they come in batches), its attributes' values unwrapped."""
    return [
        {**span, "attributes": {name: typed["value"] for name, typed in span.get("attributes", {}).items()}}
        for batch in sentry.items("span")
        for span in batch["items"]
    ]


def is_queueing(span):
    return span["attributes"].get("sentry.op") == "queue.submit.celery"


def segments_named(sentry, *names):
    """The root span of each of these names; None until all arrived."""
    found = {span["name"]: span for span in spans(sentry) if span["is_segment"]}
    return [found[name] for name in names] if set(names) <= found.keys() else None


def sessions(project_dir):
    with sqlite3.connect(project_dir / "db.sqlite3") as database:
        return {key for (key,) in database.execute("SELECT session_key FROM django_session")}


def test_a_task_queued_by_a_request_runs_in_that_request_trace(jobs_project, jobs_deployment, sentry):
    project_dir, _ = jobs_project
    with sqlite3.connect(project_dir / "db.sqlite3") as database:
        database.executemany(
            "INSERT INTO django_session VALUES (?, '', ?)",
            [("expired-session", "2000-01-01 00:00:00"), ("current-session", "2999-01-01 00:00:00")],
        )
    jobs_deployment.worker("one")
    url = jobs_deployment.web()

    assert health(url) == {"status": "ok", "database": "ok", "broker": "ok"}
    assert status(url + "/queue/clean-up/") == 202

    wait_for(lambda: "expired-session" not in sessions(project_dir), timeout=60, what="the clean-up")
    assert "current-session" in sessions(project_dir)
    request, task = wait_for(
        lambda: segments_named(sentry, "/queue/clean-up/", "ops.tasks.clear_expired_sessions"),
        what="the request's and the task's root spans",
    )
    assert task["trace_id"] == request["trace_id"]
    # The task's parent is a span of the request's, one that queued it.
    in_request = [span for span in spans(sentry) if span["trace_id"] == request["trace_id"]]
    queued = {span["span_id"] for span in in_request if is_queueing(span)}
    assert task["parent_span_id"] in queued


@pytest.mark.parametrize("login", [None, ("mailer", "planted-smtp-password")], ids=["no login", "login"])
def test_send_email_delivers_through_email_url_to_a_real_smtp_server(jobs_deployment, sentry, login):
    with SmtpServer(login) as smtp:
        jobs_deployment.use(EMAIL_URL=smtp.url(), DEFAULT_FROM_EMAIL="team@example.com")
        jobs_deployment.worker("one")
        url = jobs_deployment.web()
        query = urllib.parse.urlencode({"to": "ada@example.com", "subject": "Welcome", "body": "Hello"})

        assert status(f"{url}/queue/email/?{query}") == 202
        [message] = wait_for(lambda: smtp.messages, timeout=60, what="the message at the SMTP server")

    assert message.rcpt_tos == ["ada@example.com"]
    assert message.mail_from == "team@example.com"
    assert b"Subject: Welcome" in message.content
    assert smtp.logged_in == ([login[0]] if login else [])
    assert sentry.events() == []


def test_a_failing_task_is_one_event_after_its_last_retry_without_its_secrets(jobs_deployment, sentry, redis):
    _, worker_log = jobs_deployment.worker("one")
    url = jobs_deployment.web()
    query = urllib.parse.urlencode(
        {"to": "ada@example.com", "subject": "invoice-42-control", "body": "token=planted-token-abc"}
    )

    assert status(f"{url}/queue/email/?{query}") == 202

    final = "raised unexpected: ConnectionRefusedError"
    log = wait_for(lambda: final in worker_log.read_text() and worker_log.read_text(), timeout=60, what=final)
    [event] = wait_for(sentry.events, what="the task's event")
    assert log.count("retry: Retry in") == 2  # max_retries from jobs_settings.py
    assert event["extra"]["celery-job"]["task_name"] == "ops.tasks.send_email"
    assert "kwargs" not in event["extra"]["celery-job"]  # arguments are not attached
    [task_frame] = [
        frame
        for value in event["exception"]["values"]
        for frame in value["stacktrace"]["frames"]
        if frame["function"] == "send_email"
    ]
    assert task_frame["vars"]["subject"] == "'invoice-42-control'"
    sent = b"".join(sentry.envelopes).decode()
    for planted in ("ada@example.com", "ada%40example.com", "planted-token-abc", redis.password):
        assert planted not in sent
    assert len(sentry.events()) == 1  # the retries, sent before it if at all, were none


def test_a_beat_schedule_sends_crons_check_ins(jobs_deployment, sentry):
    jobs_deployment.worker("one")
    jobs_deployment.beat()

    # jobs_settings.py runs the nightly clean-up every minute: at most a minute's wait.
    started, finished = wait_for(
        lambda: items_by(sentry, "check_in", "status", "in_progress", "ok"),
        timeout=90,
        what="an in-progress and an ok check-in",
    )
    assert started["monitor_slug"] == finished["monitor_slug"] == "clear-expired-sessions"
    assert started["check_in_id"] == finished["check_in_id"]
    assert started["monitor_config"]["schedule"] == {"type": "crontab", "value": "* * * * *"}


def test_a_worker_killed_mid_task_loses_nothing(jobs_deployment, redis, tmp_path):
    # Its own Redis database, and a visibility timeout short enough to wait out here.
    jobs_deployment.use(CELERY_BROKER_URL=redis.url(1), CELERY_VISIBILITY_TIMEOUT="2")
    first, _ = jobs_deployment.worker("first")
    url = jobs_deployment.web()
    marks = tmp_path / "marks"
    marks.mkdir()

    assert status(f"{url}/queue/hold/?folder={urllib.parse.quote(str(marks))}") == 202
    wait_for(lambda: list(marks.glob("started-*")), timeout=60, what="the task to start")
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, mid-task
    first.wait()
    time.sleep(3)  # past the visibility timeout: Redis may hand the task out again
    (marks / "release").touch()
    jobs_deployment.worker("second")

    finished = wait_for(lambda: list(marks.glob("finished-*")), timeout=60, what="the task to finish")
    assert len(list(marks.glob("started-*"))) == 2
    assert len(finished) == 1


def test_a_session_kept_in_redis_leaves_its_key_out_of_every_span_and_breadcrumb(
    jobs_deployment, sentry, redis
):
    jobs_deployment.use(TEST_CACHE_URL=redis.url(database=1))
    url = jobs_deployment.web("sessions_settings")
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    browser.open(url + "/session/remember/", timeout=30).close()
    [session_key] = [cookie.value for cookie in cookies if cookie.name == "sessionid"]
    assert status(url + "/session/fail/", headers={"Cookie": f"sessionid={session_key}"}) == 500

    [event] = wait_for(sentry.events, what="the failing request's event")
    wait_for(lambda: segments_named(sentry, "/session/remember/", "/session/fail/"), what="both traces")
    sent = json.dumps([event, *spans(sentry)])
    assert "control-cart" in event["exception"]["values"][0]["value"]
    # The Redis commands are there, the session's key is not.
    assert "django.contrib.sessions.cache[Filtered]" in sent
    assert session_key not in sent
