"""The generated GitHub workflow, read and run as GitHub would: its jobs' environment
and each `run:` step in GitHub's bash, in a checkout of a bake."""

import urllib.parse
from pathlib import Path

import yaml

from tests.helpers.bake import run
from tests.helpers.processes import free_port

CI = Path(".github/workflows/ci.yml")
# GitHub runs `shell: bash` steps as this command, the script in a file ({0}).
GITHUB_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def load(path):
    return yaml.safe_load(path.read_text())


def workflow_environment(project, postgres, job_name="check"):
    """The job's environment, with the suite's own PostgreSQL standing in for the service."""
    workflow = load(project / CI)
    job = workflow["jobs"][job_name]
    variables = {**workflow.get("env", {}), **job.get("env", {})}
    if "services" in job:
        service = job["services"]["postgres"]
        url = urllib.parse.urlsplit(variables["DATABASE_URL"])
        assert (url.username, url.password, url.path) == (
            service["env"]["POSTGRES_USER"],
            service["env"]["POSTGRES_PASSWORD"],
            "/" + service["env"]["POSTGRES_DB"],
        )
        assert f"{url.port}:5432" in service["ports"]
        variables["DATABASE_URL"] = postgres.create_database(f"ci_{free_port()}")
    return job, variables


def run_steps(job, repository, environment):
    """Run the job's `run:` steps in order, as GitHub's bash does, yielding each step and
    its result; the others (checkout, Python, uv) are this checkout, this machine's
    Python and the Makefile's uv."""
    for step in job["steps"]:
        if "run" in step:
            command = [*GITHUB_BASH, "-c", step["run"]]
            yield step, run(command, cwd=repository, env={**environment, **step.get("env", {})}, timeout=900)
