"""Copied into a Celery bake by the template's background-job tests: production
settings, the routes of jobs_routes.py and the task of jobs_tasks.py, fewer retries
and a beat schedule due every minute. The mail server is the test's EMAIL_URL."""

from celery.schedules import crontab
from core.settings.production import *  # noqa: F403

ROOT_URLCONF = "jobs_routes"
CELERY_IMPORTS = ["jobs_tasks"]

# Celery's documented way to change a task's options without editing it.
CELERY_TASK_ANNOTATIONS = {"ops.tasks.send_email": {"max_retries": 2}}
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": crontab(minute="*")}
    for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
}
