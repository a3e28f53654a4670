"""The generated workflow's Sentry release job: on the default branch, its own step makes
the commit's release (named after the SHA, as the image is), associates the commits and
records the deploy, with the pinned sentry-cli, against a stand-in for Sentry's API;
without the secrets it does nothing and succeeds."""

import re

import pytest

from tests.helpers.bake import run
from tests.helpers.project_commands import project_environment
from tests.helpers.sentry_api import SentryApi
from tests.helpers.workflow import CI, load, run_steps

EXPRESSION = re.compile(r"^\$\{\{ ([\w.]+) \}\}$")
TOKEN = "sntrys_release-token-for-the-template-tests"
ORG = "averon"


def commits(repository):
    return run(["git", "log", "--format=%H"], cwd=repository).stdout.split()


def release_job(repository):
    return load(repository / CI)["jobs"]["sentry-release"]


def job_environment(job, context):
    """The job's `env:`, each `${{ name }}` given its value from `context`, as GitHub
    does (a secret or variable that is not set is empty)."""
    return {name: context[EXPRESSION.match(value)[1]] for name, value in job["env"].items()}


def run_release_step(repository, tmp_path, api_url, **context):
    job = release_job(repository)
    github = {
        "github.sha": commits(repository)[0],
        "secrets.SENTRY_AUTH_TOKEN": "",
        "secrets.SENTRY_ORG": "",
        "secrets.SENTRY_PROJECT": "",
        "vars.SENTRY_DEPLOY_ENVIRONMENT": "",
        **context,
    }
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    # SENTRY_URL: sentry-cli's setting for a self-hosted Sentry, here the stand-in.
    environment = project_environment(
        **job_environment(job, github), RUNNER_TEMP=str(runner_temp), SENTRY_URL=api_url
    )
    [(step, result)] = list(run_steps(job, repository, environment))
    return result


def test_release_job_runs_on_pushes_to_the_default_branch_after_the_checks(release_repository):
    job = release_job(release_repository)
    [checkout_step] = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]

    assert job["needs"] == "check"
    assert job["if"] == (
        "github.event_name == 'push' && github.ref_name == github.event.repository.default_branch"
    )
    assert checkout_step["with"]["fetch-depth"] == 0


@pytest.mark.parametrize(("variable", "environment"), [("", "production"), ("staging", "staging")])
def test_release_step_creates_the_release_with_its_commits_and_records_the_deploy(
    release_repository, tmp_path, variable, environment
):
    sha, previous = commits(release_repository)
    with SentryApi() as api:
        result = run_release_step(
            release_repository,
            tmp_path,
            api.url,
            **{
                "secrets.SENTRY_AUTH_TOKEN": TOKEN,
                "secrets.SENTRY_ORG": ORG,
                "secrets.SENTRY_PROJECT": release_repository.name,
                "vars.SENTRY_DEPLOY_ENVIRONMENT": variable,
            },
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    releases = f"/api/0/organizations/{ORG}/releases/"
    writes = [request for request in api.requests if request.method != "GET"]

    created, *_ = [request for request in writes if request.path == releases]
    assert (created.body["version"], created.body["projects"]) == (sha, [release_repository.name])
    [associated] = [request for request in writes if request.body.get("commits")]
    assert associated.path == f"{releases}{sha}/"
    assert [commit["id"] for commit in associated.body["commits"]] == [sha, previous]
    [finalized] = [request for request in writes if request.body.get("dateReleased")]
    assert finalized.path == f"{releases}{sha}/"
    [deploy] = [request for request in writes if request.path.endswith("/deploys/")]
    assert (deploy.path, deploy.body["environment"]) == (f"{releases}{sha}/deploys/", environment)
    assert writes[-1] is deploy
    assert {request.authorization for request in api.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in result.stdout + result.stderr


def test_release_step_without_the_secrets_succeeds_and_calls_nothing(release_repository, tmp_path):
    with SentryApi() as api:
        result = run_release_step(release_repository, tmp_path, api.url)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert api.requests == []
    assert "::notice::No Sentry release" in result.stdout
    assert not (tmp_path / "runner-temp/sentry-cli").exists()
