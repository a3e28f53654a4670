"""The operational routes and commands: what proves the service runs and reports.

GET /api/health/ (the probe's answer through Django; servers answer it in
edge/health.py), /api/sentry-debug/ (raises on purpose, so the first Sentry event takes
one request) and `manage.py sentry_check` (sends a test event and says whether Sentry
took it){% if cookiecutter.background_jobs == "celery" %}; tasks.py holds the mail and housekeeping jobs{% endif %}.
A team adds its own operational routes here.
"""
