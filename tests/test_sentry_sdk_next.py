"""The generated workflow's sentry-sdk-next job and `make test-sentry-next`: the project's
suite on the newest sentry-sdk 3.x pre-release, installed over uv.lock in a virtual
environment of its own, so the day 3.0 is released the project already knows whether
it runs on it."""

import re
import tomllib

from tests.helpers.bake import bake_ok, run
from tests.helpers.project_commands import checkout, project_environment
from tests.helpers.workflow import run_steps, workflow_environment

NEXT_PYTHON = ".venv/sentry-next/bin/python"
# A 3.x release or pre-release, such as 3.0.0b2
SENTRY_SDK_3 = re.compile(r"3\.\d+\.\d+((a|b|rc)\d+)?")


def installed_sentry_sdk(python, project):
    command = [python, "-c", "import importlib.metadata as m; print(m.version('sentry-sdk'))"]
    return run(command, cwd=project).stdout.strip()


def test_suite_passes_on_the_newest_sentry_sdk_3_pre_release(cookies_session, tmp_path):
    repository = checkout(bake_ok(cookies_session), tmp_path / "checkout")
    job, variables = workflow_environment(repository, postgres=None, job_name="sentry-sdk-next")
    assert [step["run"] for step in job["steps"] if "run" in step] == ["make test-sentry-next"]

    [(step, result)] = list(run_steps(job, repository, project_environment(**variables)))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"^=+ \d+ passed", result.stdout.splitlines()[-1])
    assert SENTRY_SDK_3.fullmatch(installed_sentry_sdk(repository / NEXT_PYTHON, repository))
    lock = tomllib.loads((repository / "uv.lock").read_text())
    [locked] = [package["version"] for package in lock["package"] if package["name"] == "sentry-sdk"]
    assert installed_sentry_sdk(repository / ".venv/bin/python", repository) == locked
