"""Sentry and logging: what the project reports, and what it never sends.

- `sentry`: the one `sentry_sdk.init(...)`, each option with its reason. Start here.
- `config`: the SENTRY_* variables, read and checked at start-up.
- `sampler`: which requests{% if cookiecutter.background_jobs == "celery" %} and tasks{% endif %} are traced.
- `client_faults`: what an anonymous client can cause, kept out of Sentry's quota.
- `compat`: the little that differs between sentry-sdk 2.x and 3.x.
- `privacy/`: the allowlists of what may be collected, and the rules that scrub the rest.
- `log_format`, `request_id`: JSON log lines, and the request id that ties a log line,
  an access log line and a Sentry event together.

The template owns this package; a team edits it to change what is reported (docs/sentry.md)
or what may be sent (docs/privacy.md).
"""
