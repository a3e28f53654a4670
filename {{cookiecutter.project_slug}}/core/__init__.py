{%- if cookiecutter.background_jobs == "celery" -%}
# Loaded whenever Django is, so that tasks queued by any process go through this app
# and its configuration (Celery's "First steps with Django").
from core.celery import app as celery_app

__all__ = ["celery_app"]
{% endif -%}
