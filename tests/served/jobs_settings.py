"""Copied into a Celery bake by the template's background-job tests: production
settings, the routes of jobs_routes.py and the task of jobs_tasks.py, a mail server
on the port the test gives, fewer retries and a beat schedule due every minute."""

from celery.schedules import crontab
from core.env import env
from core.settings.production import *  # noqa: F403

ROOT_URLCONF = "jobs_routes"
CELERY_IMPORTS = ["jobs_tasks"]

EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("TEST_SMTP_PORT", default=25)
# Celery's documented way to change a task's options without editing it.
CELERY_TASK_ANNOTATIONS = {"api.tasks.send_email": {"max_retries": 2}}
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": crontab(minute="*")}
    for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
}
