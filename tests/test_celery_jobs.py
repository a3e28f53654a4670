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
import shutil
import signal
import sqlite3
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, bake_ok, load_module, run, uv_sync
from tests.processes import free_port, start_server, stop_server, wait_for
from tests.smtp_server import SmtpServer
from tests.test_generated_project import project_environment
from tests.test_served_sentry import request as status
from tests.test_served_sentry import serve

SERVED_FILES = Path(__file__).parent / "served"
JOB_FILES = ("jobs_routes.py", "jobs_settings.py", "jobs_tasks.py", "sessions_settings.py")

pytestmark = pytest.mark.xdist_group("celery")


@pytest.fixture(scope="module")
def project(cookies_session, tmp_path_factory):
    """An installed and migrated Celery bake, with the routes and task of tests/served."""
    project = bake_ok(cookies_session, background_jobs="celery")
    for name in JOB_FILES:
        shutil.copy(SERVED_FILES / name, project / name)
    python = uv_sync(project, tmp_path_factory.mktemp("celery-venv"))
    migrated = run([python, "manage.py", "migrate", "--no-input"], cwd=project, env=job_environment())
    assert migrated.returncode == 0, migrated.stderr
    return project, python


@pytest.fixture
def sentry(project):
    with load_module(project[0] / "tests" / "envelope_server.py").EnvelopeServer() as server:
        yield server


def job_environment(**variables):
    """What every process of the deployment gets: the web app, workers and beat."""
    defaults = {
        "DJANGO_SETTINGS_MODULE": "jobs_settings",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "PYTHONUNBUFFERED": "1",  # each log line as it is written, as container images set it
    }
    return project_environment(**{**DEPLOYED_ENVIRONMENT, **defaults, **variables})


@pytest.fixture
def deployment(project, redis, sentry, tmp_path):
    """Start the web app, workers and beat against this test's Redis database and
    Sentry endpoint; every process is stopped at the end."""
    project_dir, python = project
    processes = []
    variables = {
        "CELERY_BROKER_URL": redis.url(),
        "SENTRY_DSN": sentry.dsn(),
        "SENTRY_TRACES_SAMPLE_RATE": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",  # nothing listens: every email fails
    }

    class Deployment:
        def web(self, settings_module="jobs_settings"):
            process, url = serve(
                project_dir, python, sentry, tmp_path / "web.log", "gunicorn", settings_module, **variables
            )
            processes.append(process)
            return url

        def celery(self, name, *args):
            log = tmp_path / f"{name}.log"
            command = [python, "-m", "celery", "--app", "core", *args, "--loglevel", "INFO"]
            process = start_server(command, None, log, cwd=project_dir, env=job_environment(**variables))
            processes.append(process)
            return process, log

        def worker(self, name):
            process, log = self.celery(
                name, "worker", "--hostname", f"{name}@%h", "--concurrency", "1", "--without-mingle"
            )
            wait_for(lambda: "ready." in log.read_text(), timeout=60, what=f"worker {name} ready")
            return process, log

        def beat(self):
            return self.celery("beat", "beat", "--schedule", str(tmp_path / "celerybeat-schedule"))

        def use(self, **more):
            variables.update(more)

    yield Deployment()
    for process in processes:
        stop_server(process)


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


def test_a_task_queued_by_a_request_runs_in_that_request_trace(project, deployment, sentry):
    project_dir, _ = project
    with sqlite3.connect(project_dir / "db.sqlite3") as database:
        database.executemany(
            "INSERT INTO django_session VALUES (?, '', ?)",
            [("expired-session", "2000-01-01 00:00:00"), ("current-session", "2999-01-01 00:00:00")],
        )
    deployment.worker("one")
    url = deployment.web()

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
def test_send_email_delivers_through_email_url_to_a_real_smtp_server(deployment, sentry, login):
    with SmtpServer(login) as smtp:
        deployment.use(EMAIL_URL=smtp.url(), DEFAULT_FROM_EMAIL="team@example.com")
        deployment.worker("one")
        url = deployment.web()
        query = urllib.parse.urlencode({"to": "ada@example.com", "subject": "Welcome", "body": "Hello"})

        assert status(f"{url}/queue/email/?{query}") == 202
        [message] = wait_for(lambda: smtp.messages, timeout=60, what="the message at the SMTP server")

    assert message.rcpt_tos == ["ada@example.com"]
    assert message.mail_from == "team@example.com"
    assert b"Subject: Welcome" in message.content
    assert smtp.logged_in == ([login[0]] if login else [])
    assert sentry.events() == []


def test_a_failing_task_is_one_event_after_its_last_retry_without_its_secrets(deployment, sentry, redis):
    _, worker_log = deployment.worker("one")
    url = deployment.web()
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


def test_a_beat_schedule_sends_crons_check_ins(deployment, sentry):
    deployment.worker("one")
    deployment.beat()

    # jobs_settings.py runs the nightly clean-up every minute: at most a minute's wait.
    started, finished = wait_for(
        lambda: items_by(sentry, "check_in", "status", "in_progress", "ok"),
        timeout=90,
        what="an in-progress and an ok check-in",
    )
    assert started["monitor_slug"] == finished["monitor_slug"] == "clear-expired-sessions"
    assert started["check_in_id"] == finished["check_in_id"]
    assert started["monitor_config"]["schedule"] == {"type": "crontab", "value": "* * * * *"}


def test_a_worker_killed_mid_task_loses_nothing(deployment, redis, tmp_path):
    # Its own Redis database, and a visibility timeout short enough to wait out here.
    deployment.use(CELERY_BROKER_URL=redis.url(1), CELERY_VISIBILITY_TIMEOUT="2")
    first, _ = deployment.worker("first")
    url = deployment.web()
    marks = tmp_path / "marks"
    marks.mkdir()

    assert status(f"{url}/queue/hold/?folder={urllib.parse.quote(str(marks))}") == 202
    wait_for(lambda: list(marks.glob("started-*")), timeout=60, what="the task to start")
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, mid-task
    first.wait()
    time.sleep(3)  # past the visibility timeout: Redis may hand the task out again
    (marks / "release").touch()
    deployment.worker("second")

    finished = wait_for(lambda: list(marks.glob("finished-*")), timeout=60, what="the task to finish")
    assert len(list(marks.glob("started-*"))) == 2
    assert len(finished) == 1


def test_a_session_kept_in_redis_leaves_its_key_out_of_every_span_and_breadcrumb(deployment, sentry, redis):
    deployment.use(TEST_CACHE_URL=redis.url(database=1))
    url = deployment.web("sessions_settings")
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
