"""Which files of a bake mypy --strict still finds errors in, while they are annotated on
the branch that is rewriting them. `make typecheck` is strict everywhere; the suite lets
its step fail only with errors in exactly these files, so the list can only shrink: a
file that type-checks clean must leave it, and an error anywhere else fails the suite."""

import re

NOT_YET_TYPED = {
    "api/health.py",
    "api/management/commands/sentry_check.py",
    "api/views.py",
    "core/database.py",
    "core/request_id.py",
    "core/sentry.py",
    "core/sentry_frames.py",
    "core/sentry_middleware.py",
    "core/sentry_request_data.py",
    "core/settings/base.py",
    "core/settings/deployed.py",
    "core/settings/development.py",
    "core/settings/production.py",
    "core/settings/staging.py",
    "core/wsgi.py",
    "gunicorn.conf.py",
    "scripts/sentry_local.py",
    "tests/envelope_server.py",
    "tests/test_sentry_events.py",
}

MYPY_ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ", re.MULTILINE)


def files_with_type_errors(mypy_output):
    return {match["path"] for match in MYPY_ERROR.finditer(mypy_output)}


def assert_only_baseline_type_errors(result):
    """`result` is a finished `make typecheck`: clean, or failing in NOT_YET_TYPED only."""
    failing = files_with_type_errors(result.stdout)
    unexpected = sorted(failing - NOT_YET_TYPED)
    assert unexpected == [], "\n".join(
        line for line in result.stdout.splitlines() if line.startswith(tuple(unexpected))
    )
    now_clean = sorted(NOT_YET_TYPED - failing)
    assert now_clean == [], f"these files type-check now: remove them from NOT_YET_TYPED: {now_clean}"
    assert (result.returncode == 0) == (not failing), result.stdout[-2000:] + result.stderr[-2000:]
