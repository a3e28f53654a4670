"""core/celery.py without a broker: the checks at start-up, and eager tasks in
development. (The template's own suite runs the same project against a real Redis and
workers.)"""

import pytest

from tests.conftest import DEPLOYED_ENVIRONMENT, run_project


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


def test_a_deployed_worker_needs_the_broker_like_the_web_process():
    variables = {**DEPLOYED_ENVIRONMENT, "CELERY_BROKER_URL": ""}
    result = run_project(["-m", "celery", "--app", "core", "worker"], "production", timeout=60, **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured: CELERY_BROKER_URL is not set" in result.stderr
